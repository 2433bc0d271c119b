import { chargeDueBadges } from './app/badge/charge-availability-badges.ts';
import { closeDueAuctions } from './app/boosts/close-due-auctions.ts';
import type { PaymentProvider } from './app/payments/payment-provider.ts';
import { TestPaymentProvider } from './app/payments/test-provider.ts';
import { announceEffectivePolicies } from './app/policy/policy-events.ts';
import type { PurchaseContext } from './app/purchases/buy-connects.ts';
import type { TaxTable } from './app/purchases/tax.ts';
import { pruneStoredAnswers } from './app/scheduler/prune-stored-answers.ts';
import { tick, TICK_DEFAULTS, type TickOptions, type TickSummary } from './app/scheduler/tick.ts';
import { SystemClock, type Clock } from './clock.ts';
import { defaultTimeline, type PolicyTimeline } from './core/policy/timeline.ts';
import type { Instant } from './core/time.ts';
import { notifyExpiringHook, pruneEventsHook } from './events/index.ts';
import type { LedgerStore } from './store/store.ts';

/**
 * The composition root: the one place that turns a store into a working
 * Connects. The server (src/http/create-services.ts), the CLI, the examples
 * and library users all call `createConnects`, so every caller gets the same
 * use-case context and the same scheduler: a library `runScheduler` does
 * exactly what the server's loop and POST /v1/admin/tick do.
 */

export interface ConnectsOptions {
  /** An opened, migrated store (`openStore` from src/store/open-store.ts). */
  readonly store: LedgerStore;
  /**
   * The policy eras. Default: the built-in timeline. The server and the CLI
   * pass the stored one (`openPolicyTimeline` from src/app/policy/live-timeline.ts),
   * which follows the operator's changes; a library user who passes a fixed
   * timeline keeps it whatever the store holds (docs/policy.md, "Precedence").
   */
  readonly timeline?: PolicyTimeline;
  /** The card network; default: the built-in TestPaymentProvider (test cards only). */
  readonly payments?: PaymentProvider;
  /** Sales tax or VAT by jurisdiction, added on top of purchase prices; absent: no tax. */
  readonly taxRates?: TaxTable;
  /** Where the scheduler reads the time when not given one; default: the system clock. */
  readonly clock?: Clock;
}

/** One scheduler run: the tick, then the expiring-soon notices and the pruning. */
export interface SchedulerRun {
  /** The service time the run used. */
  readonly now: Instant;
  readonly tick: TickSummary;
  /** connects.expiring_soon events written. */
  readonly expiringSoonNotices: number;
  /** policy.effective events written: scheduled policies whose instant the run passed. */
  readonly policiesEffective: number;
  /** Old webhook events and deliveries, and stored idempotent responses, removed. */
  readonly pruned: number;
  /** False when the batch budget ran out with work left (the next run continues). */
  readonly complete: boolean;
  readonly seconds: number;
}

export interface SchedulerRunOptions extends TickOptions {
  /** The run's time; default: the clock's now. */
  readonly now?: Instant;
}

export interface Connects {
  /** What every use case takes first: store, timeline, payments, tax table and the tick's steps. */
  readonly ctx: PurchaseContext;
  readonly store: LedgerStore;
  readonly timeline: PolicyTimeline;
  readonly clock: Clock;
  /** One scheduler run (rules.md 2.9), bounded by `maxBatches` (default: to completion). */
  runScheduler(options?: SchedulerRunOptions): Promise<SchedulerRun>;
}

/** A step after the tick: does at most `limit` items at `now` and says how many. */
type Step = (now: Instant, limit: number) => Promise<number>;

/** Items per call of a step after the tick, and calls per run. */
const STEP_LIMIT = 1_000;
const STEP_MAX_CALLS = 100;

/** Calls `step` until it comes back short of the limit, at most STEP_MAX_CALLS times. */
async function drain(step: Step, now: Instant): Promise<number> {
  let total = 0;
  for (let call = 0; call < STEP_MAX_CALLS; call++) {
    const done = await step(now, STEP_LIMIT);
    total += done;
    if (done < STEP_LIMIT) break;
  }
  return total;
}

export function createConnects(options: ConnectsOptions): Connects {
  const { store } = options;
  const timeline = options.timeline ?? defaultTimeline;
  const clock = options.clock ?? new SystemClock();
  const ctx: PurchaseContext = {
    store,
    timeline,
    payments: options.payments ?? new TestPaymentProvider(),
    ...(options.taxRates === undefined ? {} : { taxRates: options.taxRates }),
  };
  // The scheduler's steps. Inside the tick, after renewals and the expiry sweep:
  ctx.hooks = {
    chargeBadges: (now, limit) => chargeDueBadges(ctx, now, limit),
    closeAuctions: (now, limit) => closeDueAuctions(ctx, now, limit),
  };
  // After the tick:
  const notices: Step = notifyExpiringHook(store);
  const announcing: Step = (now, limit) => announceEffectivePolicies(store, now, limit);
  const pruning: readonly Step[] = [
    pruneEventsHook(store),
    (now, limit) => pruneStoredAnswers(store, now, limit),
  ];

  async function runScheduler(runOptions: SchedulerRunOptions = {}): Promise<SchedulerRun> {
    const { now = clock.now(), ...tickOptions } = runOptions;
    const started = performance.now();
    const maxBatches = tickOptions.maxBatches ?? TICK_DEFAULTS.maxBatches;
    const summary = await tick(ctx, now, { ...tickOptions, maxBatches });
    const expiringSoonNotices = await drain(notices, now);
    const policiesEffective = await drain(announcing, now);
    let pruned = 0;
    for (const prune of pruning) pruned += await drain(prune, now);
    return {
      now,
      tick: summary,
      expiringSoonNotices,
      policiesEffective,
      pruned,
      complete: summary.batches < maxBatches,
      seconds: (performance.now() - started) / 1000,
    };
  }

  return { ctx, store, timeline, clock, runScheduler };
}
