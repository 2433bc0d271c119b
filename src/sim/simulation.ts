import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../core/errors.ts';
import type { PolicyTimeline } from '../core/policy/timeline.ts';
import { toIso, type Instant } from '../core/time.ts';
import { candidateTimeline } from './candidate.ts';
import { monthStartsFrom, populationSize, simulationStart, type EngineInput } from './engine.ts';
import type { PriceChange } from '../app/badge/badge-price.ts';
import type { StartingAccount } from './freelancer.ts';
import { difference, emptyCounters, flatten, monthReport, runReport, type MonthReport } from './metrics.ts';
import { runParallel, type ParallelControl } from './parallel.ts';
import { MAX_MONTHS, populationParamsSchema, resolveParams, type PopulationParams } from './params.ts';

/** What a caller asks for: POST /v1/admin/simulations and `connects simulate` take this shape. */
export const simulationInputSchema = z
  .strictObject({
    /** A policy document, or a list of them in ascending effectiveFrom, scheduled on the baseline. */
    candidate: z.unknown(),
    months: z.int().min(1).max(MAX_MONTHS),
    population: z
      .strictObject({
        kind: z.enum(['synthetic', 'snapshot']).default('synthetic'),
        params: populationParamsSchema.optional(),
      })
      .default({ kind: 'synthetic' }),
    seed: z.int().min(0).max(2_147_483_647).default(1),
  })
  .superRefine((input, ctx) => {
    if (input.candidate === undefined)
      ctx.addIssue({ code: 'custom', path: ['candidate'], message: 'is required' });
    const p = input.population.params;
    // Each range's low end must not pass its high end.
    const ranges = [
      ['boost', 'minBid', 'maxBid', p?.boost?.minBid, p?.boost?.maxBid],
      ['interview', 'minDays', 'maxDays', p?.interview?.minDays, p?.interview?.maxDays],
      ['badge', 'minWeeklyMax', 'maxWeeklyMax', p?.badge?.minWeeklyMax, p?.badge?.maxWeeklyMax],
    ] as const;
    for (const [group, low, high, min, max] of ranges) {
      if (min !== undefined && max !== undefined && min > max) {
        ctx.addIssue({
          code: 'custom',
          path: ['population', 'params', group, low],
          message: `must not exceed ${high}`,
        });
      }
    }
  });
export type SimulationInput = z.input<typeof simulationInputSchema>;
export type SimulationRequest = z.output<typeof simulationInputSchema>;

export interface SimulationResult {
  /** Version of this shape. */
  readonly version: 1;
  readonly seed: number;
  readonly months: number;
  /** First instant of month 1 and the end of the last month (exclusive). */
  readonly start: string;
  readonly end: string;
  readonly population: {
    readonly kind: 'synthetic' | 'snapshot';
    readonly freelancers: number;
    readonly params: PopulationParams;
  };
  /** Policy ids of each timeline, in effect order, with their effectiveFrom. */
  readonly timelines: {
    readonly baseline: readonly { id: string; effectiveFrom: string }[];
    readonly candidate: readonly { id: string; effectiveFrom: string }[];
  };
  readonly baseline: readonly MonthReport[];
  readonly candidate: readonly MonthReport[];
  /** candidate - baseline, month by month. */
  readonly difference: readonly MonthReport[];
  /** Operations and decisions the engine applied (both runs). */
  readonly events: number;
}

/** A validated request, ready to run. */
export interface PreparedSimulation {
  readonly request: SimulationRequest;
  readonly engine: EngineInput;
}

export interface PrepareOptions {
  readonly baseline: PolicyTimeline;
  /** The service's time: the simulation starts on the first of the next month. */
  readonly now: Instant;
  /** Live accounts, for a snapshot population (loaded by the caller, read only). */
  readonly accounts?: readonly StartingAccount[];
  /** Availability badge prices the operator set (loadBadgePrices). */
  readonly badgePrices?: readonly PriceChange[];
}

/** Field paths of a zod error, in the shape parsePolicy reports. */
function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function parseSimulationInput(input: unknown): Result<SimulationRequest> {
  const parsed = simulationInputSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = issuesOf(parsed.error);
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path || '(input)'}: ${i.message}`)
    .join('; ');
  return err(connectsError('validation_failed', `Invalid simulation: ${summary}`, { issues }));
}

export function prepareSimulation(
  request: SimulationRequest,
  options: PrepareOptions,
): Result<PreparedSimulation> {
  const candidate = candidateTimeline(options.baseline, request.candidate);
  if (!candidate.ok) return candidate;
  const params = resolveParams(request.population.params);
  const start = simulationStart(options.now);
  const engine: EngineInput = {
    baseline: options.baseline,
    candidate: candidate.value,
    params,
    frame: { seed: request.seed, monthStarts: monthStartsFrom(start, request.months) },
    ...(request.population.kind === 'snapshot' ? { accounts: options.accounts ?? [] } : {}),
    ...(options.badgePrices === undefined ? {} : { badgePrices: options.badgePrices }),
  };
  return ok({ request, engine });
}

const timelineView = (t: PolicyTimeline) =>
  t.policies.map((p) => ({ id: p.id, effectiveFrom: p.effectiveFrom }));

/** Runs a prepared simulation; null when cancelled. */
export async function runSimulation(
  prepared: PreparedSimulation,
  control: ParallelControl = {},
): Promise<SimulationResult | null> {
  const { engine, request } = prepared;
  const tallies = await runParallel(engine, control);
  if (tallies === null) return null;
  const starts = engine.frame.monthStarts;
  const baseline = runReport(tallies.baseline, starts);
  const candidate = runReport(tallies.candidate, starts);
  return {
    version: 1,
    seed: request.seed,
    months: request.months,
    start: toIso(starts[0] as Instant),
    end: toIso(starts[starts.length - 1] as Instant),
    population: { kind: request.population.kind, freelancers: populationSize(engine), params: engine.params },
    timelines: { baseline: timelineView(engine.baseline), candidate: timelineView(engine.candidate) },
    baseline,
    candidate,
    difference: candidate.map((month, i) => difference(month, baseline[i] as MonthReport)),
    events: tallies.events,
  };
}

/** The result as CSV: one row per month and run (baseline, candidate, difference), dotted column names. */
export function resultCsv(result: SimulationResult): string {
  const rows: Record<string, string | number>[] = [];
  for (const run of ['baseline', 'candidate', 'difference'] as const) {
    for (const month of result[run]) rows.push({ run, ...flatten(month) });
  }
  // Columns in the report's own order (a result read back from storage may have its keys reordered).
  const template = monthReport(emptyCounters(), new Map(), 0, 0);
  const columns = ['run', ...Object.keys(flatten(template))];
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => String(row[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
