import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { RefundOp } from '../../core/ledger/operations.ts';
import { refundOutcome } from '../../core/ledger/refund-outcome.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { Entry, Posting } from '../../core/types.ts';
import type { StoreTx } from '../../store/store.ts';
import { loadAuction, saveAuction } from '../boosts/auction-rows.ts';
import { cancelAuction } from '../boosts/auction-steps.ts';
import { LedgerPlan, proposalRef } from '../boosts/ledger-plan.ts';
import type { AppContext } from '../context.ts';
import { proposalsOfJob } from '../proposals/proposal-rows.ts';
import { inTransaction } from './in-transaction.ts';
import { jobClosedError, readJob, type Job } from './job-rows.ts';
import { jobView, type JobView } from './job-view.ts';
import { lotExpiresAt } from '../accounts/lot-expiry.ts';

export const cancelJobInputSchema = z.strictObject({
  jobId: idSchema,
  /** 'client': the client cancelled before any contract; 'tos': the operator removed it. */
  reason: z.enum(['client', 'tos']),
});
export type CancelJobInput = z.infer<typeof cancelJobInputSchema>;

export interface CancelJobOutput {
  readonly job: JobView;
  /** Connects returned by refunds: proposal costs and charged boosts. */
  readonly refundedConnects: number;
  /**
   * Of those, Connects that went back into a lot that had expired meanwhile and so expired at once
   * (rules.md 1.8): the balances grew by refundedConnects - expiredAtOnce.
   */
  readonly expiredAtOnce: number;
  /** Connects of held boosts released by the cancellation. */
  readonly releasedConnects: number;
  readonly replayed: boolean;
}

const statusFor = { client: 'cancelled', tos: 'removed' } as const;

function refundOp(
  draws: readonly Posting[],
  policy: Policy,
  now: Instant,
  ref: string,
  reason: string,
): RefundOp {
  return policy.refundMode === 'reinstate'
    ? { kind: 'refund', draws, mode: 'reinstate', ref, reason }
    : {
        kind: 'refund',
        draws,
        mode: 'fresh_lot',
        freshExpiresAt: lotExpiresAt(policy.lotLifetime, now),
        ref,
        reason,
      };
}

const cancelKey = (jobId: string): string => `cancel:${jobId}`;

type OutcomeEntry = Pick<Entry, 'seq' | 'type' | 'amount' | 'postings' | 'recordedAt'>;

/** Connects the cancellation's refunds put into lots that had already expired, over every account. */
function expiredAtOnceIn(entriesByAccount: Iterable<readonly OutcomeEntry[]>): number {
  let sum = 0;
  for (const entries of entriesByAccount) sum += refundOutcome(entries as readonly Entry[]).expiredAtOnce;
  return sum;
}

/** The entries the cancellation wrote on each account, found through its idempotency key. */
async function cancellationEntries(tx: StoreTx, jobId: string): Promise<OutcomeEntry[][]> {
  const { rows } = await tx.query<{
    account: string;
    seq: number;
    type: Entry['type'];
    amount: number;
    postings: Entry['postings'];
    recorded_at: number;
  }>(
    `SELECT e.account, e.seq, e.type, e.amount, e.postings, e.recorded_at
     FROM idempotency i JOIN entries e ON e.account = i.scope
       AND e.seq BETWEEN (i.result->>'firstSeq')::int8 AND (i.result->>'lastSeq')::int8
     WHERE i.key = $2 AND i.scope IN (SELECT DISTINCT freelancer_id FROM proposals WHERE job_id = $1)
     ORDER BY e.account, e.seq`,
    [jobId, cancelKey(jobId)],
  );
  const byAccount = new Map<string, OutcomeEntry[]>();
  for (const row of rows) {
    const entry = {
      seq: Number(row.seq),
      type: row.type,
      amount: Number(row.amount),
      postings: row.postings,
    };
    const list = byAccount.get(row.account) ?? [];
    list.push({ ...entry, recordedAt: Number(row.recorded_at) });
    byAccount.set(row.account, list);
  }
  return [...byAccount.values()];
}

/** What an earlier cancellation returned, rebuilt from the rows it wrote. */
async function replayed(tx: StoreTx, job: Job): Promise<CancelJobOutput> {
  const { rows } = await tx.query<{ refunded: number; released: number }>(
    `SELECT
       (SELECT COALESCE(SUM(cost_connects), 0) FROM proposals WHERE job_id = $1 AND refunded_at IS NOT NULL)
       + (SELECT COALESCE(SUM(bid_connects), 0) FROM boosts WHERE job_id = $1 AND refunded_at IS NOT NULL)
         AS refunded,
       (SELECT COALESCE(SUM(bid_connects), 0) FROM boosts
         WHERE job_id = $1 AND status = 'released' AND settled_at = $2) AS released`,
    [job.jobId, job.closedAt],
  );
  const totals = rows[0];
  return {
    job: jobView(job),
    refundedConnects: Number(totals?.refunded ?? 0),
    expiredAtOnce: expiredAtOnceIn(await cancellationEntries(tx, job.jobId)),
    releasedConnects: Number(totals?.released ?? 0),
    replayed: true,
  };
}

async function cancel(tx: StoreTx, ctx: AppContext, input: CancelJobInput, now: Instant) {
  const locked = await readJob(tx, input.jobId, true);
  if (!locked.ok) return locked;
  const job = locked.value;
  if (job.status === statusFor[input.reason]) return ok(await replayed(tx, job));
  if (job.status !== 'open') {
    return job.status === 'hired'
      ? jobClosedError(job)
      : err(connectsError('idempotency_conflict', `Job ${job.jobId} was already ${job.status}.`));
  }
  const policy = policyAt(ctx.timeline, now);
  const reason = input.reason === 'client' ? 'job_cancelled' : 'job_removed';
  const stored = await loadAuction(tx, job);
  const step = cancelAuction(stored.auction, now);
  const plan = new LedgerPlan().addEffects(step.effects);
  // Withdrawn proposals forfeited their Connects when they were withdrawn (rules.md 5.5).
  const active = (await proposalsOfJob(tx, job.jobId)).filter((p) => p.status === 'active');
  let refunded = 0;
  const refundedBoosts: string[] = [];
  for (const p of active) {
    const ref = proposalRef(p.proposalId);
    if (p.costDraws.length > 0) plan.add(p.freelancerId, refundOp(p.costDraws, policy, now, ref, reason));
    refunded += p.costConnects;
    const boost = stored.auction.boosts.find((b) => b.proposalId === p.proposalId);
    const draws = stored.holdDraws.get(p.proposalId);
    if (boost?.status === 'charged' && draws !== undefined) {
      plan.add(p.freelancerId, refundOp(draws, policy, now, ref, `${reason}_boost`));
      refunded += boost.bidConnects;
      refundedBoosts.push(p.proposalId);
    }
  }
  const results = await plan.apply(tx, now, cancelKey(job.jobId));
  const expiredAtOnce = expiredAtOnceIn([...results.values()].map((r) => r.entries));
  await saveAuction(tx, { before: stored.auction, after: step.auction, closeReason: 'cancel' }, now);
  await tx.query(`UPDATE proposals SET refunded_at = $2 WHERE job_id = $1 AND status = 'active'`, [
    job.jobId,
    now,
  ]);
  await tx.query('UPDATE boosts SET refunded_at = $2 WHERE job_id = $1 AND proposal_id = ANY($3::text[])', [
    job.jobId,
    now,
    refundedBoosts,
  ]);
  await tx.query('UPDATE jobs SET status = $2, closed_at = $3 WHERE job_id = $1', [
    job.jobId,
    statusFor[input.reason],
    now,
  ]);
  const after = await readJob(tx, job.jobId, false);
  if (!after.ok) return after;
  const released = step.effects.reduce((sum, e) => sum + e.connects, 0);
  return ok({
    job: jobView(after.value),
    refundedConnects: refunded,
    expiredAtOnce,
    releasedConnects: released,
    replayed: false,
  });
}

/**
 * The client cancels a job before any contract, or the operator removes it
 * for a terms-of-service violation (rules.md 5.5): every active proposal's
 * Connects come back (a `refund` of the debit's draws, reinstating the lots
 * or issuing fresh ones per `policy.refundMode`), every charged boost is
 * refunded the same way and every held boost released. Idempotent: a second
 * cancellation returns the first one's outcome and changes nothing.
 */
export async function cancelJob(
  ctx: AppContext,
  request: CancelJobInput,
  now: Instant,
): Promise<Result<CancelJobOutput>> {
  const parsed = parseInput(cancelJobInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  return inTransaction(ctx, (tx) => cancel(tx, ctx, input, now));
}
