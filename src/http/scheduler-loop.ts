import type { TickOptions } from '../app/scheduler/tick.ts';
import type { Clock } from '../clock.ts';
import type { Connects, SchedulerRun } from '../connects.ts';
import type { Instant } from '../core/time.ts';
import { isStoreUnavailable } from './errors.ts';
import { errorFields, type Logger } from './logger.ts';

/**
 * Runs the scheduler's periodic work in the server process: each run is
 * `Connects.runScheduler` (the composition root lists its steps: expiry
 * sweep, allotments and renewals, badge charges, auction closes, then the
 * expiring-soon notices and the pruning). Runs never overlap in one process:
 * the loop and `runNow` (POST /v1/admin/tick) queue behind each other.
 * Across processes the tick itself is safe to run concurrently. Each run is
 * bounded (a batch budget); when a run ends with work left, the next one
 * starts soon instead of after the full interval.
 */

export const DEFAULT_TICK_INTERVAL_MS = 60_000;
/** Pause before the next run when the last one used its whole budget. */
export const CATCH_UP_DELAY_MS = 1_000;
/** Batches one run may take; the tick's own default would allow a run of hours. */
export const RUN_MAX_BATCHES = 1_000;

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
  /** One run; the server passes its Connects. */
  readonly connects: Pick<Connects, 'runScheduler'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs?: number;
  /** Passed to every run; maxBatches defaults to RUN_MAX_BATCHES. */
  readonly tickOptions?: TickOptions;
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
    const { connects, clock, logger } = this.#options;
    const now = clock.now();
    this.#busy = true;
    try {
      const maxBatches = this.#options.tickOptions?.maxBatches ?? RUN_MAX_BATCHES;
      const run = await connects.runScheduler({ ...this.#options.tickOptions, maxBatches, now });
      this.#runs += 1;
      this.#lastRun = run;
      logger.log(run.tick.failures.length > 0 ? 'warn' : 'info', 'scheduler tick', summaryFields(run));
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
