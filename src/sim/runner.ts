import { randomUUID } from 'node:crypto';
import { connectsError, err, ok, type Result } from '../core/errors.ts';
import type { PolicyTimeline } from '../core/policy/timeline.ts';
import { toIso, type Instant } from '../core/time.ts';
import type { LedgerStore } from '../store/store.ts';
import { MAX_FREELANCERS } from './params.ts';
import {
  parseSimulationInput,
  prepareSimulation,
  runSimulation,
  type SimulationRequest,
  type SimulationResult,
} from './simulation.ts';
import { loadBadgePrices, loadSnapshot } from './snapshot.ts';

/**
 * Stored simulations (table `simulations`, migration 074) and the queue that
 * runs them: one at a time per server process, taken from the table with
 * FOR UPDATE SKIP LOCKED so several processes share the queue. A run writes
 * its progress as it goes and can be cancelled; it reads live accounts (a
 * snapshot) but writes nothing except its own row.
 */

export const simulationStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type SimulationStatus = (typeof simulationStatuses)[number];

/** Most simulations queued or running at once (in the whole deployment); more is simulation_queue_full. */
export const MAX_PENDING_SIMULATIONS = 4;
export const MAX_LISTED_SIMULATIONS = 100;

export interface SimulationView {
  readonly id: string;
  readonly status: SimulationStatus;
  readonly input: SimulationRequest;
  readonly progress: { readonly done: number; readonly total: number };
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** Present once succeeded (omitted from lists). */
  readonly result?: SimulationResult | null;
}

interface SimulationRow {
  id: string;
  status: SimulationStatus;
  input: SimulationRequest | string;
  progress_done: number;
  progress_total: number;
  result?: SimulationResult | string | null;
  error: string | null;
  cancel_requested: boolean;
  created_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const summaryColumns =
  'id, status, input, progress_done, progress_total, error, cancel_requested, created_by, created_at, started_at, finished_at';

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const iso = (t: number | null) => (t === null ? null : toIso(Number(t)));

function view(row: SimulationRow, withResult: boolean): SimulationView {
  return {
    id: row.id,
    status: row.status,
    input: json(row.input),
    progress: { done: row.progress_done, total: row.progress_total },
    createdBy: row.created_by,
    createdAt: toIso(Number(row.created_at)),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    error: row.error,
    ...(withResult
      ? { result: row.result === undefined || row.result === null ? null : json(row.result) }
      : {}),
  };
}

export interface SimulationRunnerOptions {
  readonly store: LedgerStore;
  /** The baseline: the timeline as it stands when a simulation starts. */
  readonly timeline: () => PolicyTimeline;
  readonly now: () => Instant;
  /** Worker threads per run (default: one per core, at most 4). */
  readonly workers?: number;
}

export class SimulationRunner {
  private running: { id: string; cancelled: boolean } | null = null;
  private loop: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: SimulationRunnerOptions) {}

  /** Validates and queues a simulation; the run starts in the background. */
  async submit(input: unknown, createdBy: string | null): Promise<Result<SimulationView>> {
    const parsed = parseSimulationInput(input);
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    // Check the candidate now, so a bad one is a 400 and nothing is stored.
    const prepared = prepareSimulation(request, {
      baseline: this.options.timeline(),
      now: this.options.now(),
    });
    if (!prepared.ok) return prepared;
    if (request.population.kind === 'snapshot') {
      const { rows } = await this.options.store.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM freelancers',
      );
      const live = rows[0]?.n ?? 0;
      if (live > MAX_FREELANCERS) {
        return err(
          connectsError(
            'population_too_large',
            `The live population (${live}) exceeds ${MAX_FREELANCERS} freelancers.`,
            {
              freelancers: live,
              limit: MAX_FREELANCERS,
              issues: [
                { path: 'population.kind', message: `the live population exceeds ${MAX_FREELANCERS}` },
              ],
            },
          ),
        );
      }
    }
    const id = `sim_${randomUUID()}`;
    const now = this.options.now();
    const total = request.population.kind === 'synthetic' ? prepared.value.engine.params.freelancers : 0;
    const stored = await this.options.store.transaction(async (tx) => {
      // One writer at a time counts the queue, so two submissions cannot both take the last place.
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('simulations:queue', 0))");
      const { rows } = await tx.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM simulations WHERE status IN ('queued', 'running')",
      );
      if ((rows[0]?.n ?? 0) >= MAX_PENDING_SIMULATIONS) return null;
      const inserted = await tx.query<SimulationRow>(
        `INSERT INTO simulations (id, status, input, progress_total, created_by, created_at)
         VALUES ($1, 'queued', $2, $3, $4, $5) RETURNING ${summaryColumns}`,
        [id, JSON.stringify(request), total, createdBy, now],
      );
      return inserted.rows[0] ?? null;
    });
    if (stored === null) {
      return err(
        connectsError(
          'simulation_queue_full',
          `At most ${MAX_PENDING_SIMULATIONS} simulations run or wait at once.`,
          {
            limit: MAX_PENDING_SIMULATIONS,
          },
        ),
      );
    }
    this.kick();
    return ok(view(stored, false));
  }

  async list(limit: number): Promise<SimulationView[]> {
    const { rows } = await this.options.store.query<SimulationRow>(
      `SELECT ${summaryColumns} FROM simulations ORDER BY created_at DESC, id DESC LIMIT $1`,
      [Math.min(limit, MAX_LISTED_SIMULATIONS)],
    );
    return rows.map((row) => view(row, false));
  }

  async get(id: string): Promise<Result<SimulationView>> {
    const { rows } = await this.options.store.query<SimulationRow>(
      `SELECT ${summaryColumns}, result FROM simulations WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) return err(connectsError('simulation_not_found', `No simulation ${id}.`, { id }));
    return ok(view(row, true));
  }

  /** Cancels a queued or running simulation; a finished one is simulation_finished. */
  async cancel(id: string): Promise<Result<SimulationView>> {
    const { rows } = await this.options.store.query<SimulationRow>(
      `UPDATE simulations SET cancel_requested = true,
         status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
         finished_at = CASE WHEN status = 'queued' THEN $2 ELSE finished_at END
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${summaryColumns}`,
      [id, this.options.now()],
    );
    if (rows[0] === undefined) {
      const found = await this.get(id);
      if (!found.ok) return found;
      return err(
        connectsError('simulation_finished', `Simulation ${id} has already ${found.value.status}.`, {
          id,
          status: found.value.status,
        }),
      );
    }
    if (this.running?.id === id) this.running.cancelled = true;
    return this.get(id);
  }

  /** Resolves when this process has no simulation to run. */
  idle(): Promise<void> {
    return this.loop;
  }

  /** Stops taking work and cancels the run in progress (server shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.running !== null) this.running.cancelled = true;
    await this.loop;
  }

  private kick(): void {
    if (this.running !== null || this.stopped) return;
    // A failure to claim (the store unreachable) leaves the work queued for the next submission.
    this.loop = this.loop.then(() => this.drain()).catch(() => undefined);
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.claim();
      if (claimed === null) return;
      this.running = { id: claimed.id, cancelled: false };
      try {
        await this.run(claimed.id, json(claimed.input));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // The store may be gone (the server shutting down): the row then stays 'running'; cancel it later.
        await this.finish(claimed.id, 'failed', null, message).catch(() => undefined);
      } finally {
        this.running = null;
      }
    }
  }

  private async claim(): Promise<SimulationRow | null> {
    const { rows } = await this.options.store.query<SimulationRow>(
      `UPDATE simulations SET status = 'running', started_at = $1
        WHERE id = (SELECT id FROM simulations WHERE status = 'queued' ORDER BY created_at, id
                    LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${summaryColumns}`,
      [this.options.now()],
    );
    return rows[0] ?? null;
  }

  private async run(id: string, request: SimulationRequest): Promise<void> {
    const { store } = this.options;
    const now = this.options.now();
    const accounts = request.population.kind === 'snapshot' ? await loadSnapshot(store, now) : undefined;
    if (accounts === 'too_large') {
      await this.finish(id, 'failed', null, `The live population exceeds ${MAX_FREELANCERS} freelancers.`);
      return;
    }
    const prepared = prepareSimulation(request, {
      baseline: this.options.timeline(),
      now,
      badgePrices: await loadBadgePrices(store),
      ...(accounts === undefined ? {} : { accounts }),
    });
    if (!prepared.ok) {
      await this.finish(id, 'failed', null, prepared.error.message);
      return;
    }
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const running = this.running;
    const result = await runSimulation(prepared.value, {
      ...(this.options.workers === undefined ? {} : { workers: this.options.workers }),
      cancelled: () => running?.cancelled === true,
      onProgress: (done, total) => {
        if (performance.now() - lastWrite < 500 && done < total) return;
        lastWrite = performance.now();
        writing = writing.then(() => this.progress(id, done, total));
      },
    });
    await writing;
    const reason = this.stopped ? 'The server stopped while it ran; submit it again.' : null;
    if (result === null) await this.finish(id, 'cancelled', null, reason);
    else await this.finish(id, 'succeeded', result, null);
  }

  /** Writes progress, and learns of a cancel asked through another process. */
  private async progress(id: string, done: number, total: number): Promise<void> {
    const { rows } = await this.options.store.query<{ cancel_requested: boolean }>(
      'UPDATE simulations SET progress_done = $2, progress_total = $3 WHERE id = $1 RETURNING cancel_requested',
      [id, done, total],
    );
    if (rows[0]?.cancel_requested === true && this.running?.id === id) this.running.cancelled = true;
  }

  private async finish(
    id: string,
    status: SimulationStatus,
    result: SimulationResult | null,
    error: string | null,
  ): Promise<void> {
    await this.options.store.query(
      `UPDATE simulations SET status = $2, result = $3, error = $4, finished_at = $5 WHERE id = $1`,
      [id, status, result === null ? null : JSON.stringify(result), error, this.options.now()],
    );
  }
}
