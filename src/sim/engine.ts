import type { PriceChange } from '../app/badge/badge-price.ts';
import type { PolicyTimeline } from '../core/policy/timeline.ts';
import type { Instant } from '../core/time.ts';
import { SimFreelancer, type StartingAccount } from './freelancer.ts';
import { syntheticId } from './ids.ts';
import { RunTally } from './metrics.ts';
import type { PopulationParams } from './params.ts';
import { drawScript, type ScriptFrame } from './script.ts';

/**
 * Runs a population under the baseline and the candidate timelines. Every
 * freelancer's account is its own (Connects never move between accounts),
 * so each is played start to end on its own, twice, from one script: the
 * work is linear in freelancers x events and needs memory for one account
 * at a time plus the tallies.
 */

export interface EngineInput {
  readonly baseline: PolicyTimeline;
  readonly candidate: PolicyTimeline;
  readonly params: PopulationParams;
  readonly frame: ScriptFrame;
  /** Live accounts (snapshot population); absent: `params.freelancers` synthetic ones. */
  readonly accounts?: readonly StartingAccount[];
  /** Availability badge prices the operator set (they override both timelines' price). */
  readonly badgePrices?: readonly PriceChange[];
}

export interface EngineTallies {
  readonly baseline: RunTally;
  readonly candidate: RunTally;
  /** Operations and decisions applied, both runs. */
  events: number;
}

export function populationSize(input: EngineInput): number {
  return input.accounts?.length ?? input.params.freelancers;
}

export function emptyTallies(input: EngineInput): EngineTallies {
  const months = input.frame.monthStarts.length - 1;
  return { baseline: new RunTally(months), candidate: new RunTally(months), events: 0 };
}

/** Plays freelancers [from, to) of the population into the tallies. */
export function runSlice(input: EngineInput, tallies: EngineTallies, from: number, to: number): void {
  const { params, frame } = input;
  for (let index = from; index < to; index += 1) {
    const account = input.accounts?.[index] ?? null;
    const script = drawScript(params, frame, index, account?.registeredAt);
    const id = account?.id ?? syntheticId(index);
    for (const run of ['baseline', 'candidate'] as const) {
      const freelancer = new SimFreelancer(
        input[run],
        tallies[run],
        frame.monthStarts,
        script,
        id,
        account,
        input.badgePrices,
      );
      freelancer.run();
      tallies.events += freelancer.events;
    }
  }
}

export interface RunControl {
  /** Called after each slice with the freelancers done so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between slices; true stops the run. */
  readonly cancelled?: () => boolean;
  /** Freelancers per slice (between slices the event loop gets a turn). */
  readonly sliceSize?: number;
}

/** Runs the whole population in slices, yielding to the event loop between them; null when cancelled. */
export async function runEngine(input: EngineInput, control: RunControl = {}): Promise<EngineTallies | null> {
  const total = populationSize(input);
  const tallies = emptyTallies(input);
  const slice = control.sliceSize ?? 500;
  for (let from = 0; from < total; from += slice) {
    if (control.cancelled?.() === true) return null;
    runSlice(input, tallies, from, Math.min(total, from + slice));
    control.onProgress?.(Math.min(total, from + slice), total);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return tallies;
}

/** The instants at which months 1..n start (n + 1 of them): the first of each month from `start`. */
export function monthStartsFrom(start: Instant, months: number): Instant[] {
  const d = new Date(start);
  return Array.from({ length: months + 1 }, (_, k) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1));
}

/** The first 00:00 UTC of a month strictly after `now`: where a simulation starts. */
export function simulationStart(now: Instant): Instant {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
