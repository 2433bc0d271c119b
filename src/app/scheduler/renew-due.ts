import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { allotRange, nextRange, type RangeResult } from './allot-batch.ts';
import { fastAllotment, type FastAllotment } from './fast-allotment.ts';
import { renewAccount, type RenewReport } from './renew-account.ts';
import type { Progress } from './tick-phases.ts';
import type { ResolvedTickOptions } from './tick.ts';

/**
 * Renews every account whose next cycle has started, one cycle start at a
 * time, oldest first. For each start: Basic accounts without a pending
 * change go set-based when the policy in force there allows it; everyone
 * else (Plus, a pending downgrade, a capped policy, an account the batch
 * statement could not do alike) goes one by one. An account several cycles
 * behind moves to its next start and is met again later in the same pass.
 */

export interface RenewalTotals {
  accounts: number;
  cycles: number;
  allotments: number;
  connects: number;
  /** Expiry entries the per-account renewals wrote. */
  expired: number;
  fastAccounts: number;
  slowAccounts: number;
  charged: number;
  downgraded: number;
  paymentFailures: number;
  deferred: number;
  skipped: number;
  failures: { account: string; message: string }[];
}

/** The summary keeps this many failure messages; the count goes on. */
const MAX_FAILURES_KEPT = 100;

async function nextDueStart(ctx: AppContext, after: Instant, now: Instant): Promise<Instant | null> {
  const rows = await ctx.store.query<{ start: number | null }>(
    'SELECT min(next_cycle_at) AS start FROM freelancers WHERE next_cycle_at > $1 AND next_cycle_at <= $2',
    [after, now],
  );
  return rows.rows[0]?.start ?? null;
}

async function renewOne(
  ctx: AppContext,
  id: string,
  now: Instant,
  opts: ResolvedTickOptions,
  t: RenewalTotals,
) {
  let report: RenewReport;
  try {
    report = await renewAccount(ctx, id, now, {
      lock: 'skip',
      paymentRetryMs: opts.paymentRetryMs,
      maxCycles: 240,
    });
  } catch (error) {
    if (t.failures.length < MAX_FAILURES_KEPT) {
      t.failures.push({ account: id, message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  t.accounts += report.cycles > 0 ? 1 : 0;
  t.slowAccounts += report.cycles > 0 ? 1 : 0;
  t.cycles += report.cycles;
  t.allotments += report.allotments;
  t.connects += report.connects;
  t.expired += report.expired;
  t.charged += report.charged;
  t.downgraded += report.downgraded;
  t.paymentFailures += report.paymentFailures;
  t.deferred += report.deferred ? 1 : 0;
  t.skipped += report.skipped ? 1 : 0;
}

/**
 * Hands out ranges of due Basic accounts to up to `opts.workers` concurrent
 * transactions (each range is claimed by its own UPDATE, so workers never
 * collide), then renews the accounts a range handed back one by one.
 */
async function fastPass(
  ctx: AppContext,
  fast: FastAllotment,
  now: Instant,
  opts: ResolvedTickOptions,
  progress: Progress,
  t: RenewalTotals,
) {
  const running = new Set<Promise<void>>();
  const settle = async (result: RangeResult) => {
    t.accounts += result.renewed;
    t.fastAccounts += result.renewed;
    t.cycles += result.renewed;
    t.allotments += fast.amount > 0 ? result.renewed : 0;
    t.connects += fast.amount * result.renewed;
    for (const id of result.slow) await renewOne(ctx, id, now, opts, t);
    progress.accounts = t.accounts;
    progress.batch('renewals');
  };
  // The first failure stops new ranges; the running ones finish before it is rethrown.
  let failure: { error: unknown } | null = null;
  let after = '';
  while (progress.budgetLeft && failure === null) {
    const range = await nextRange(ctx.store, fast.start, after, opts.batchSize);
    if (range === null) break;
    after = range.upTo;
    const job: Promise<void> = allotRange(ctx.store, now, fast, range)
      .then(settle)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => running.delete(job));
    running.add(job);
    if (running.size >= opts.workers) await Promise.race(running);
    if (range.count < opts.batchSize) break;
  }
  await Promise.all(running);
  if (failure !== null) throw (failure as { error: unknown }).error;
}

const slowPageSql = (onlyNonFast: boolean) => `SELECT id FROM freelancers
  WHERE next_cycle_at = $1 AND id > $2${onlyNonFast ? " AND (plan <> 'basic' OR pending_plan IS NOT NULL)" : ''}
  ORDER BY next_cycle_at, id LIMIT $3`;

async function slowPass(
  ctx: AppContext,
  start: Instant,
  onlyNonFast: boolean,
  now: Instant,
  opts: ResolvedTickOptions,
  progress: Progress,
  t: RenewalTotals,
) {
  let cursor = '';
  while (progress.budgetLeft) {
    const page = await ctx.store.query<{ id: string }>(slowPageSql(onlyNonFast), [start, cursor, opts.limit]);
    for (const { id } of page.rows) await renewOne(ctx, id, now, opts, t);
    if (page.rows.length === 0) break;
    progress.accounts = t.accounts;
    progress.batch('renewals');
    const last = page.rows[page.rows.length - 1];
    if (last === undefined || page.rows.length < opts.limit) break;
    cursor = last.id;
  }
}

export async function renewDue(
  ctx: AppContext,
  now: Instant,
  opts: ResolvedTickOptions,
  progress: Progress,
): Promise<RenewalTotals> {
  const totals: RenewalTotals = {
    accounts: 0,
    cycles: 0,
    allotments: 0,
    connects: 0,
    expired: 0,
    fastAccounts: 0,
    slowAccounts: 0,
    charged: 0,
    downgraded: 0,
    paymentFailures: 0,
    deferred: 0,
    skipped: 0,
    failures: [],
  };
  let after = Number.MIN_SAFE_INTEGER;
  while (progress.budgetLeft) {
    const start = await nextDueStart(ctx, after, now);
    if (start === null) break;
    const fast = fastAllotment(ctx.timeline, start, now);
    if (fast !== null) await fastPass(ctx, fast, now, opts, progress, totals);
    await slowPass(ctx, start, fast !== null, now, opts, progress, totals);
    after = start;
  }
  return totals;
}
