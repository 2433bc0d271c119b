import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { closeAuction } from '../../core/boost-auction.ts';
import { ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import { loadAuction, saveAuction } from '../boosts/auction-rows.ts';
import { boostSettings, chain, closeIfDue } from '../boosts/auction-steps.ts';
import { LedgerPlan } from '../boosts/ledger-plan.ts';
import type { AppContext } from '../context.ts';
import { proposalClosedError, readProposal } from '../proposals/proposal-rows.ts';
import { inTransaction } from './in-transaction.ts';
import { jobClosedError, jobPolicy, readJob } from './job-rows.ts';
import { jobView, type JobView } from './job-view.ts';

export const hireFreelancerInputSchema = z.strictObject({
  /** The proposal the client accepts. */
  proposalId: idSchema,
});
export type HireFreelancerInput = z.infer<typeof hireFreelancerInputSchema>;

export interface HireFreelancerOutput {
  readonly job: JobView;
  /** Connects of boosts this hire charged and released (0 when the auction had already closed). */
  readonly chargedConnects: number;
  readonly releasedConnects: number;
  readonly replayed: boolean;
}

async function hire(tx: StoreTx, ctx: AppContext, input: HireFreelancerInput, now: Instant) {
  const proposal = await readProposal(tx, input.proposalId);
  if (!proposal.ok) return proposal;
  const locked = await readJob(tx, proposal.value.jobId, true);
  if (!locked.ok) return locked;
  const job = locked.value;
  if (job.status === 'hired' && job.hiredProposalId === input.proposalId) {
    return ok({ job: jobView(job), chargedConnects: 0, releasedConnects: 0, replayed: true });
  }
  if (job.status !== 'open') return jobClosedError(job);
  if (proposal.value.status !== 'active') return proposalClosedError(proposal.value);
  const stored = await loadAuction(tx, job);
  const settings = boostSettings(jobPolicy(ctx.timeline, job));
  // A deadline already passed closes the auction for that reason; otherwise the hire closes it.
  const step = chain(
    stored.auction,
    (a) => closeIfDue(a, now, settings),
    (a) => closeAuction(a, now, settings, 'hire'),
  );
  await new LedgerPlan().addEffects(step.effects).apply(tx, now, `hire:${job.jobId}`);
  await saveAuction(tx, { before: stored.auction, after: step.auction }, now);
  await tx.query(
    `UPDATE jobs SET status = 'hired', closed_at = $2, hired_proposal_id = $3 WHERE job_id = $1`,
    [job.jobId, now, input.proposalId],
  );
  await tx.query(`UPDATE proposals SET status = 'hired' WHERE freelancer_id = $1 AND proposal_id = $2`, [
    proposal.value.freelancerId,
    input.proposalId,
  ]);
  const sum = (kind: 'capture' | 'release') =>
    step.effects.filter((e) => e.kind === kind).reduce((total, e) => total + e.connects, 0);
  const after = await readJob(tx, job.jobId, false);
  if (!after.ok) return after;
  return ok({
    job: jobView(after.value),
    chargedConnects: sum('capture'),
    releasedConnects: sum('release'),
    replayed: false,
  });
}

/**
 * The client hires the freelancer of a proposal: the job is hired, and its
 * boost auction closes at once (rules.md 5.3): held boosts in the boosted slots
 * are charged, every other held boost released. Nothing is refunded (rules.md
 * 5.5). Idempotent: hiring the same proposal again returns the hired job;
 * any other action on a hired job is `job_closed`.
 */
export async function hireFreelancer(
  ctx: AppContext,
  request: HireFreelancerInput,
  now: Instant,
): Promise<Result<HireFreelancerOutput>> {
  const parsed = parseInput(hireFreelancerInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  return inTransaction(ctx, (tx) => hire(tx, ctx, input, now));
}
