import { assert } from '../../core/errors.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { AppContext, TickHooks } from '../context.ts';
import { renewDue } from './renew-due.ts';
import { Progress, runHook, sweepAll } from './tick-phases.ts';

/**
 * The scheduler's one entry point (rules.md 2.9): renew every billing cycle that
 * has started (set-based for the common case, per account otherwise, each
 * cycle written at its own start), materialise the expiries due, then run
 * the hooks other areas provide (availability
 * badge charges, boost auction closes). Every phase works in bounded batches;
 * running it twice, or two at once, does each piece of work once.
 */

export interface TickOptions {
  /** Accounts per set-based allotment batch (1-50,000). */
  readonly batchSize?: number;
  /** Set-based batches run at once, each in its own transaction (1-16; PGlite runs them in turn). */
  readonly workers?: number;
  /** Items per sweep, per-account page and hook call (1-10,000). */
  readonly limit?: number;
  /** Most batches of any kind one tick runs; the next tick continues. */
  readonly maxBatches?: number;
  /** A transient payment failure at renewal is retried until the cycle is this old (ms). */
  readonly paymentRetryMs?: number;
  /** Called after every batch, for a progress bar. */
  readonly onProgress?: (progress: TickProgress) => void;
}

export type TickPhase = 'sweep' | 'renewals' | 'badges' | 'auctions';

export interface TickProgress {
  readonly phase: TickPhase;
  /** Accounts renewed so far. */
  readonly accounts: number;
  /** Accounts due when the tick started (an estimate for a progress bar). */
  readonly due: number;
  readonly expired: number;
}

export interface TickSummary {
  readonly now: Instant;
  /** Accounts that renewed at least one cycle. */
  readonly accounts: number;
  /** Cycles renewed, and allotment lots and Connects they issued. */
  readonly cycles: number;
  readonly allotments: number;
  readonly connects: number;
  /** Accounts renewed set-based and one by one. */
  readonly fastAccounts: number;
  readonly slowAccounts: number;
  /** Plus renewals charged, accounts dropped to Basic, payment failures, renewals left for a retry. */
  readonly charged: number;
  readonly downgraded: number;
  readonly paymentFailures: number;
  readonly deferred: number;
  /** Accounts another worker held. */
  readonly skipped: number;
  /** Every expiry entry the tick wrote (the sweep's, and those of renewals: caps, lots already expired). */
  readonly expired: number;
  /** Accounts the sweep visited. */
  readonly sweptAccounts: number;
  /** Availability badges handled (charged, switched off or rescheduled), and the Connects charged. */
  readonly badgesCharged: number;
  readonly badgeConnectsCharged: number;
  readonly auctionsClosed: number;
  readonly batches: number;
  /** Accounts whose renewal failed with an error (the tick goes on without them). */
  readonly failures: readonly { readonly account: string; readonly message: string }[];
  readonly seconds: number;
}

export const TICK_DEFAULTS = {
  batchSize: 10_000,
  workers: 4,
  limit: 1_000,
  maxBatches: 100_000,
  paymentRetryMs: MS_PER_DAY,
} as const;

export interface ResolvedTickOptions {
  readonly batchSize: number;
  readonly workers: number;
  readonly limit: number;
  readonly maxBatches: number;
  readonly paymentRetryMs: number;
  readonly onProgress: (progress: TickProgress) => void;
}

function resolve(options: TickOptions): ResolvedTickOptions {
  const resolved = {
    batchSize: options.batchSize ?? TICK_DEFAULTS.batchSize,
    workers: options.workers ?? TICK_DEFAULTS.workers,
    limit: options.limit ?? TICK_DEFAULTS.limit,
    maxBatches: options.maxBatches ?? TICK_DEFAULTS.maxBatches,
    paymentRetryMs: options.paymentRetryMs ?? TICK_DEFAULTS.paymentRetryMs,
    onProgress: options.onProgress ?? (() => undefined),
  };
  const within = (n: number, max: number) => Number.isSafeInteger(n) && n >= 1 && n <= max;
  assert(within(resolved.batchSize, 50_000), 'tick: batchSize must be 1 to 50,000');
  assert(within(resolved.workers, 16), 'tick: workers must be 1 to 16');
  assert(within(resolved.limit, 10_000), 'tick: limit must be 1 to 10,000');
  assert(within(resolved.maxBatches, 10_000_000), 'tick: maxBatches must be 1 to 10,000,000');
  assert(
    Number.isSafeInteger(resolved.paymentRetryMs) && resolved.paymentRetryMs >= 0,
    'tick: bad paymentRetryMs',
  );
  return resolved;
}

export async function tick(ctx: AppContext, now: Instant, options: TickOptions = {}): Promise<TickSummary> {
  const started = performance.now();
  const opts = resolve(options);
  const progress = new Progress(opts.onProgress, await countDue(ctx, now), opts.maxBatches);
  // Renewals first: a catch-up cycle is written at its own start, before expiries due later are swept.
  const renewals = await renewDue(ctx, now, opts, progress);
  await sweepAll(ctx, now, opts, progress);
  const badges = countingConnects(ctx.hooks?.chargeBadges);
  const badgesCharged = await runHook(badges.hook, 'badges', now, opts, progress);
  const auctionsClosed = await runHook(ctx.hooks?.closeAuctions, 'auctions', now, opts, progress);
  return {
    now,
    ...renewals,
    expired: progress.expired + renewals.expired,
    sweptAccounts: progress.sweptAccounts,
    badgesCharged,
    badgeConnectsCharged: badges.connects(),
    auctionsClosed,
    batches: progress.batches,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The badge hook as runHook calls it (badges handled), adding up the Connects it reports on the side. */
function countingConnects(hook: TickHooks['chargeBadges']) {
  let connects = 0;
  const counted =
    hook &&
    (async (at: Instant, limit: number): Promise<number> => {
      const done = await hook(at, limit);
      if (typeof done === 'number') return done;
      connects += done.connects;
      return done.badges;
    });
  return { hook: counted, connects: () => connects };
}

async function countDue(ctx: AppContext, now: Instant): Promise<number> {
  const rows = await ctx.store.query<{ due: number }>(
    'SELECT count(*)::int AS due FROM freelancers WHERE next_cycle_at <= $1',
    [now],
  );
  return rows.rows[0]?.due ?? 0;
}
