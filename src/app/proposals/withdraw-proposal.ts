import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import { loadAuction, saveAuction } from '../boosts/auction-rows.ts';
import { boostSettings, chain, closeIfDue, withdrawBoost } from '../boosts/auction-steps.ts';
import { boostView, type BoostView } from '../boosts/boost-view.ts';
import { LedgerPlan } from '../boosts/ledger-plan.ts';
import type { AppContext } from '../context.ts';
import { inTransaction } from '../jobs/in-transaction.ts';
import { jobClosedError, jobPolicy, readJob } from '../jobs/job-rows.ts';
import { proposalClosedError, readProposal } from './proposal-rows.ts';
import { proposalView, type ProposalView } from './proposal-view.ts';

export const withdrawProposalInputSchema = z.strictObject({
  proposalId: idSchema,
  /** The freelancer who submitted it: nobody else can withdraw it. */
  freelancerId: idSchema,
});
export type WithdrawProposalInput = z.infer<typeof withdrawProposalInputSchema>;

export interface WithdrawProposalOutput {
  readonly proposal: ProposalView;
  readonly boost: BoostView | null;
  readonly replayed: boolean;
}

async function withdraw(tx: StoreTx, ctx: AppContext, input: WithdrawProposalInput, now: Instant) {
  const found = await readProposal(tx, input.proposalId);
  // Another freelancer's proposal is reported as unknown: its existence is not theirs to learn.
  if (!found.ok || found.value.freelancerId !== input.freelancerId) {
    return err(connectsError('proposal_not_found', `No proposal ${input.proposalId} exists.`));
  }
  const locked = await readJob(tx, found.value.jobId, true);
  if (!locked.ok) return locked;
  const job = locked.value;
  const stored = await loadAuction(tx, job);
  const proposal = found.value;
  if (proposal.status === 'withdrawn') {
    return ok({
      proposal: proposalView(proposal),
      boost: boostView(stored.auction, proposal.proposalId),
      replayed: true,
    });
  }
  if (proposal.status !== 'active') return proposalClosedError(proposal);
  if (job.status !== 'open') return jobClosedError(job);
  const settings = boostSettings(jobPolicy(ctx.timeline, job));
  const step = chain(
    stored.auction,
    (a) => closeIfDue(a, now, settings),
    (a) => withdrawBoost(a, proposal.proposalId),
  );
  await new LedgerPlan().addEffects(step.effects).apply(tx, now, `withdraw:${proposal.proposalId}`);
  await saveAuction(tx, { before: stored.auction, after: step.auction }, now);
  await tx.query(
    `UPDATE proposals SET status = 'withdrawn', withdrawn_at = $3 WHERE freelancer_id = $1 AND proposal_id = $2`,
    [proposal.freelancerId, proposal.proposalId, now],
  );
  const after = { ...proposal, status: 'withdrawn' as const, withdrawnAt: now };
  return ok({
    proposal: proposalView(after),
    boost: boostView(step.auction, proposal.proposalId),
    replayed: false,
  });
}

/**
 * Withdraws a proposal (rules.md 5.5): its Connects are not refunded. A boost
 * still held is released: the bid was only reserved, and a withdrawn
 * proposal cannot be shown to the client, so keeping the reservation would
 * charge for nothing. A boost already charged stays charged (the client saw
 * it boosted). Idempotent: withdrawing twice returns the first result.
 */
export async function withdrawProposal(
  ctx: AppContext,
  request: WithdrawProposalInput,
  now: Instant,
): Promise<Result<WithdrawProposalOutput>> {
  const parsed = parseInput(withdrawProposalInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  return inTransaction(ctx, (tx) => withdraw(tx, ctx, input, now));
}
