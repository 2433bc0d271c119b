import type { AppContext } from './app/context.ts';
import { tick, type TickOptions, type TickSummary } from './app/scheduler/tick.ts';
import type { Clock } from './clock.ts';
import type { Instant } from './core/time.ts';
import { notifyExpiringHook, pruneEventsHook } from './events/index.ts';
import { isStoreUnavailable } from './http/errors.ts';
import { errorFields, type Logger } from './http/logger.ts';

/**
 * Runs the scheduler's periodic work in the server process: the tick
 * (expiry sweep, allotments and renewals, badge charges, auction closes),
 * then the expiring-soon notices and the pruning of old events and stored
 * idempotent responses. Runs never overlap in one process: the loop and
 * `runNow` (POST /v1/admin/tick) queue behind each other. Across processes
 * the tick itself is safe to run concurrently. Each run is bounded (a batch
 * budget); when a run ends with work left, the next one starts soon instead
 * of after the full interval.
 */

export const DEFAULT_TICK_INTERVAL_MS = 60_000;
/** Pause before the next run when the last one used its whole budget. */
export const CATCH_UP_DELAY_MS = 1_000;
/** Batches one run may take; the tick's own default would allow a run of hours. */
export const RUN_MAX_BATCHES = 1_000;
/** Items per call of the events and pruning steps, and calls per run. */
const STEP_LIMIT = 1_000;
const STEP_MAX_CALLS = 100;

export interface SchedulerRun {
  /** The service time the run used. */
  readonly now: Instant;
  readonly tick: TickSummary;
  /** connects.expiring_soon events written. */
  readonly expiringSoonNotices: number;
  /** Old webhook events and deliveries, and stored idempotent responses, removed. */
  readonly pruned: number;
  /** False when the batch budget ran out with work left (the next run continues). */
  readonly complete: boolean;
  readonly seconds: number;
}

export interface SchedulerStatus {
  /** Whether the periodic loop runs (never with a manual clock). */
  readonly looping: boolean;
  readonly intervalMs: number;
  /** A run is in progress now. */
  readonly busy: boolean;
  readonly runs: number;
  readonly lastRun: SchedulerRun | null;
  readonly lastError: { readonly at: Instant; readonly message: string } | null;
}

export interface SchedulerLoopOptions {
  readonly ctx: AppContext;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** Passed to every tick; maxBatches defaults to RUN_MAX_BATCHES. */
  readonly tickOptions?: TickOptions;
  /** More pruning of the `(now, limit) => removed` shape (the HTTP layer's stored responses). */
  readonly pruning?: readonly ((now: Instant, limit: number) => Promise<number>)[];
}

/** Calls `step` until it comes back short of the limit, at most STEP_MAX_CALLS times. */
async function drain(step: (now: Instant, limit: number) => Promise<number>, now: Instant): Promise<number> {
  let total = 0;
  for (let call = 0; call < STEP_MAX_CALLS; call++) {
    const done = await step(now, STEP_LIMIT);
    total += done;
    if (done < STEP_LIMIT) break;
  }
  return total;
}

export class SchedulerLoop {
  readonly #options: SchedulerLoopOptions;
  readonly #intervalMs: number;
  #queue: Promise<unknown> = Promise.resolve();
  #busy = false;
  #looping = false;
  #timer: NodeJS.Timeout | undefined;
  #runs = 0;
  #lastRun: SchedulerRun | null = null;
  #lastError: SchedulerStatus['lastError'] = null;

  constructor(options: SchedulerLoopOptions) {
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? DEFAULT_TICK_INTERVAL_MS;
  }

  /** One run now, after any run in progress; rejects if the run fails (the loop logs and goes on). */
  runNow(): Promise<SchedulerRun> {
    const run = this.#queue.then(() => this.#run());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Starts the loop: a run at once (catching up after a restart), then one per interval. */
  start(): void {
    if (this.#looping) return;
    this.#looping = true;
    this.#schedule(0);
  }

  /** Stops the loop and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    this.#looping = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queue;
  }

  status(): SchedulerStatus {
    return {
      looping: this.#looping,
      intervalMs: this.#intervalMs,
      busy: this.#busy,
      runs: this.#runs,
      lastRun: this.#lastRun,
      lastError: this.#lastError,
    };
  }

  #schedule(delayMs: number): void {
    if (!this.#looping) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.runNow().then(
        (run) => this.#schedule(catchingUp(run) ? CATCH_UP_DELAY_MS : this.#intervalMs),
        () => this.#schedule(this.#intervalMs),
      );
    }, delayMs);
    // A pending tick never keeps the process alive on its own.
    this.#timer.unref();
  }

  async #run(): Promise<SchedulerRun> {
    const { ctx, clock, logger } = this.#options;
    const now = clock.now();
    const started = performance.now();
    this.#busy = true;
    try {
      const maxBatches = this.#options.tickOptions?.maxBatches ?? RUN_MAX_BATCHES;
      const summary = await tick(ctx, now, { ...this.#options.tickOptions, maxBatches });
      const expiringSoonNotices = await drain(notifyExpiringHook(ctx.store), now);
      let pruned = await drain(pruneEventsHook(ctx.store), now);
      for (const prune of this.#options.pruning ?? []) pruned += await drain(prune, now);
      const run: SchedulerRun = {
        now,
        tick: summary,
        expiringSoonNotices,
        pruned,
        complete: summary.batches < maxBatches,
        seconds: (performance.now() - started) / 1000,
      };
      this.#runs += 1;
      this.#lastRun = run;
      logger.log(summary.failures.length > 0 ? 'warn' : 'info', 'scheduler tick', summaryFields(run));
      return run;
    } catch (error) {
      this.#lastError = { at: now, message: error instanceof Error ? error.message : String(error) };
      logger.log(isStoreUnavailable(error) ? 'warn' : 'error', 'scheduler tick failed', {
        now: new Date(now).toISOString(),
        ...errorFields(error),
      });
      throw error;
    } finally {
      this.#busy = false;
    }
  }
}

/**
 * Continue soon only when the run stopped at its budget while getting work
 * done; a run that spent its budget on nothing waits the full interval, so a
 * fault cannot turn the loop into a busy loop.
 */
export function catchingUp(run: SchedulerRun): boolean {
  const t = run.tick;
  const work = t.cycles + t.expired + t.badgesCharged + t.auctionsClosed + t.charged + t.downgraded;
  return !run.complete && work > 0;
}

/** The one log line of a run: counts only, no per-account detail. */
function summaryFields(run: SchedulerRun): Record<string, unknown> {
  const t = run.tick;
  return {
    now: new Date(run.now).toISOString(),
    accounts: t.accounts,
    cycles: t.cycles,
    allotted: t.connects,
    charged: t.charged,
    downgraded: t.downgraded,
    paymentFailures: t.paymentFailures,
    expired: t.expired,
    badgesCharged: t.badgesCharged,
    badgeConnectsCharged: t.badgeConnectsCharged,
    auctionsClosed: t.auctionsClosed,
    expiringSoonNotices: run.expiringSoonNotices,
    pruned: run.pruned,
    failures: t.failures.length,
    batches: t.batches,
    complete: run.complete,
    seconds: Math.round(run.seconds * 1000) / 1000,
  };
}
