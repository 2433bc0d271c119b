import { assert } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { jobPolicy, readJob } from '../jobs/job-rows.ts';
import { loadAuction, saveAuction } from './auction-rows.ts';
import { boostSettings, closeIfDue } from './auction-steps.ts';
import { LedgerPlan } from './ledger-plan.ts';

/** Most auctions one call may be asked to close; the scheduler calls again for the rest. */
export const MAX_AUCTIONS_PER_CALL = 10_000;

/** Closes one job's auction if it is still due; true when this call closed it. */
async function closeOne(ctx: AppContext, jobId: string, now: Instant): Promise<boolean> {
  return ctx.store.transaction(async (tx) => {
    const locked = await readJob(tx, jobId, true);
    if (!locked.ok) return false;
    const stored = await loadAuction(tx, locked.value);
    const step = closeIfDue(stored.auction, now, boostSettings(jobPolicy(ctx.timeline, locked.value)));
    // Another tick or a use case on this job got there first.
    if (step.auction === stored.auction) return false;
    await new LedgerPlan().addEffects(step.effects).apply(tx, now, `auction-close:${jobId}`);
    await saveAuction(tx, { before: stored.auction, after: step.auction }, step.auction.closedAt ?? now);
    return true;
  });
}

/**
 * Closes the boost auctions whose deadline has passed (rules.md 5.3), at most
 * `limit` per call, each job in its own transaction: held boosts in the
 * boosted slots are charged, every other held boost released. Safe to run
 * twice or concurrently: each job is re-checked under its row lock. Returns
 * how many auctions this call closed. The scheduler tick calls it.
 */
export async function closeDueAuctions(ctx: AppContext, now: Instant, limit: number): Promise<number> {
  assert(Number.isSafeInteger(limit) && limit >= 0 && limit <= MAX_AUCTIONS_PER_CALL, 'limit is 0 to 10,000');
  const { rows } = await ctx.store.query<{ job_id: string }>(
    `SELECT job_id FROM jobs WHERE auction_closed_at IS NULL AND auction_closes_at <= $1
     ORDER BY auction_closes_at, job_id LIMIT $2`,
    [now, limit],
  );
  let closed = 0;
  for (const row of rows) if (await closeOne(ctx, row.job_id, now)) closed += 1;
  return closed;
}
