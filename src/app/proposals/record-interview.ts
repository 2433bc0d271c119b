import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { ok, type Result } from '../../core/errors.ts';
import { interviewReward, interviewWindowStart } from '../../core/interview-cap.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import { proposalRef } from '../boosts/ledger-plan.ts';
import type { AppContext } from '../context.ts';
import { applyOrAbort, inTransaction } from '../jobs/in-transaction.ts';
import { jobClosedError, readJob } from '../jobs/job-rows.ts';
import { proposalClosedError, readProposal, type Proposal } from './proposal-rows.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';
import { lotExpiresAt } from '../accounts/lot-expiry.ts';

export const recordInterviewInputSchema = z.strictObject({ proposalId: idSchema });
export type RecordInterviewInput = z.infer<typeof recordInterviewInputSchema>;

/** Why an interview earned less than the policy's reward, or nothing. */
export type InterviewReason = 'weekly_cap' | 'invitation' | 'offer' | 'catalog' | 'enterprise';

export interface RecordInterviewOutput {
  readonly proposalId: string;
  readonly freelancerId: string;
  readonly at: Instant;
  readonly connects: number;
  readonly withheldConnects: number;
  readonly reason: InterviewReason | null;
  readonly replayed: boolean;
}

interface InterviewRow {
  freelancer_id: string;
  at: number;
  connects: number;
  withheld_connects: number;
  reason: InterviewReason | null;
}

const output = (proposalId: string, row: InterviewRow, replayed: boolean): RecordInterviewOutput => ({
  proposalId,
  freelancerId: row.freelancer_id,
  at: row.at,
  connects: row.connects,
  withheldConnects: row.withheld_connects,
  reason: row.reason,
  replayed,
});

/** Free applications earn no interview reward (rules.md 5.2); null when this one may. */
function freePath(proposal: Proposal, enterprise: boolean): InterviewReason | null {
  if (proposal.via !== 'feed') return proposal.via;
  return enterprise ? 'enterprise' : null;
}

async function record(tx: StoreTx, ctx: AppContext, input: RecordInterviewInput, now: Instant) {
  const found = await readProposal(tx, input.proposalId);
  if (!found.ok) return found;
  const proposal = found.value;
  // Rewards of one freelancer are judged one at a time, in order: the rolling sum must see every grant.
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `interviews:${proposal.freelancerId}`,
  ]);
  const { rows } = await tx.query<InterviewRow>(
    `SELECT freelancer_id, at, connects, withheld_connects, reason FROM interviews
      WHERE freelancer_id = $1 AND proposal_id = $2`,
    [proposal.freelancerId, proposal.proposalId],
  );
  if (rows[0] !== undefined) return ok(output(proposal.proposalId, rows[0], true));
  const job = await readJob(tx, proposal.jobId, false);
  if (!job.ok) return job;
  if (job.value.status === 'cancelled' || job.value.status === 'removed') return jobClosedError(job.value);
  if (proposal.status === 'withdrawn') return proposalClosedError(proposal);
  const freelancer = await requireFreelancer(tx, proposal.freelancerId);
  if (!freelancer.ok) return freelancer;
  const policy = policyAt(ctx.timeline, now);
  const free = freePath(proposal, job.value.enterprise);
  let row: InterviewRow = {
    freelancer_id: proposal.freelancerId,
    at: now,
    connects: 0,
    withheld_connects: 0,
    reason: free,
  };
  if (free === null) {
    const prior = await tx.query<{ at: number; connects: number }>(
      'SELECT at, connects FROM interviews WHERE freelancer_id = $1 AND at > $2 AND connects > 0',
      [proposal.freelancerId, interviewWindowStart(now, policy.grants.interviewWindowDays)],
    );
    const reward = interviewReward(
      prior.rows,
      now,
      policy.grants.interview,
      policy.grants.interviewWeeklyCap,
      policy.grants.interviewWindowDays,
    );
    row = {
      ...row,
      connects: reward.connects,
      withheld_connects: reward.withheldConnects,
      reason: reward.cappedBy,
    };
    if (reward.connects > 0) {
      const grant = {
        kind: 'grant' as const,
        amount: reward.connects,
        source: 'interview' as const,
        category: 'free' as const,
        expiresAt: lotExpiresAt(policy.lotLifetime, now, freelancer.value.registeredAt),
        ref: proposalRef(proposal.proposalId),
        reason: 'interview',
        holdingCap: policy.plans[freelancer.value.plan].holdingCap,
      };
      await applyOrAbort(tx, proposal.freelancerId, [grant], now, `interview:${proposal.proposalId}`);
    }
  }
  await tx.query(
    `INSERT INTO interviews (freelancer_id, proposal_id, job_id, at, connects, withheld_connects, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      row.freelancer_id,
      proposal.proposalId,
      proposal.jobId,
      row.at,
      row.connects,
      row.withheld_connects,
      row.reason,
    ],
  );
  return ok(output(proposal.proposalId, row, false));
}

/**
 * A client interviewed the freelancer on a proposal they submitted (rules.md
 * 2.3): the policy's reward (`grants.interview`, lot source `interview`),
 * capped so that interview rewards in any rolling 7 days never exceed
 * `grants.interviewWeeklyCap`. Every interview is recorded: a capped one with
 * what it earned (0 or part) and reason `weekly_cap`; one on a free path
 * (invitation, offer, catalog, enterprise job) with 0 and that path as the
 * reason. Once per proposal: a repeat returns the first record.
 */
export async function recordInterview(
  ctx: AppContext,
  request: RecordInterviewInput,
  now: Instant,
): Promise<Result<RecordInterviewOutput>> {
  const parsed = parseInput(recordInterviewInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const { rows } = await ctx.store.query<{ freelancer_id: string }>(
    'SELECT freelancer_id FROM proposals WHERE proposal_id = $1',
    [input.proposalId],
  );
  const freelancerId = rows[0]?.freelancer_id;
  if (freelancerId !== undefined) await renewCappedFirst(ctx, freelancerId, now);
  return inTransaction(ctx, (tx) => record(tx, ctx, input, now));
}
