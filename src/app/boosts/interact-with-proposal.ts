import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { clientInteractions, interact, type ClientInteraction } from '../../core/boost-auction.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import { inTransaction } from '../jobs/in-transaction.ts';
import { jobPolicy, readJob } from '../jobs/job-rows.ts';
import { proposalClosedError, readProposal } from '../proposals/proposal-rows.ts';
import { loadAuction, saveAuction } from './auction-rows.ts';
import { boostSettings, chain, closeIfDue } from './auction-steps.ts';
import { boostView, type BoostView } from './boost-view.ts';
import { LedgerPlan } from './ledger-plan.ts';

export const interactWithProposalInputSchema = z.strictObject({
  /** The marketplace's id of this event: a retry with the same id is counted once. */
  interactionId: idSchema,
  proposalId: idSchema,
  kind: z.enum(clientInteractions),
});
export type InteractWithProposalInput = z.infer<typeof interactWithProposalInputSchema>;

export interface InteractWithProposalOutput {
  readonly proposalId: string;
  readonly kind: ClientInteraction;
  /** Connects this interaction charged (the boost's bid, or 0). */
  readonly chargedConnects: number;
  readonly boost: BoostView | null;
  readonly replayed: boolean;
}

async function record(tx: StoreTx, ctx: AppContext, input: InteractWithProposalInput, now: Instant) {
  const proposal = await readProposal(tx, input.proposalId);
  if (!proposal.ok) return proposal;
  const locked = await readJob(tx, proposal.value.jobId, true);
  if (!locked.ok) return locked;
  const job = locked.value;
  const stored = await loadAuction(tx, job);
  const { rows } = await tx.query<{ proposal_id: string; kind: string; charged_connects: number }>(
    'SELECT proposal_id, kind, charged_connects FROM proposal_interactions WHERE job_id = $1 AND interaction_id = $2',
    [job.jobId, input.interactionId],
  );
  const prior = rows[0];
  if (prior !== undefined) {
    if (prior.proposal_id !== input.proposalId || prior.kind !== input.kind) {
      return err(
        connectsError('idempotency_conflict', `Interaction ${input.interactionId} was recorded differently.`),
      );
    }
    const boost = boostView(stored.auction, input.proposalId);
    return ok({ ...input, chargedConnects: prior.charged_connects, boost, replayed: true });
  }
  if (job.status === 'cancelled' || job.status === 'removed') {
    return err(connectsError('job_closed', `Job ${job.jobId} was ${job.status}.`, { jobId: job.jobId }));
  }
  if (proposal.value.status === 'withdrawn') return proposalClosedError(proposal.value);
  const settings = boostSettings(jobPolicy(ctx.timeline, job));
  const closed = closeIfDue(stored.auction, now, settings);
  const step = chain(closed.auction, (a) => interact(a, input.proposalId, input.kind, now, settings));
  const effects = [...closed.effects, ...step.effects];
  await new LedgerPlan()
    .addEffects(effects)
    .apply(tx, now, `interaction:${job.jobId}:${input.interactionId}`);
  await saveAuction(tx, { before: stored.auction, after: step.auction }, now);
  const charged = step.effects
    .filter((e) => e.kind === 'capture' && e.proposalId === input.proposalId)
    .reduce((sum, e) => sum + e.connects, 0);
  await tx.query(
    `INSERT INTO proposal_interactions (job_id, interaction_id, proposal_id, kind, at, charged_connects)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [job.jobId, input.interactionId, input.proposalId, input.kind, now, charged],
  );
  const boost = boostView(step.auction, input.proposalId);
  return ok({ ...input, chargedConnects: charged, boost, replayed: false });
}

/**
 * A client interaction with a proposal (rules.md 5.3): opening, messaging,
 * shortlisting, offering, archiving or declining a proposal whose boost is
 * held in the boosted slots charges the bid (the hold is captured); opens and
 * views count towards the end of the "Boosted" mark. Declining refunds
 * nothing. Idempotent by interaction id.
 */
export async function interactWithProposal(
  ctx: AppContext,
  request: InteractWithProposalInput,
  now: Instant,
): Promise<Result<InteractWithProposalOutput>> {
  const parsed = parseInput(interactWithProposalInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const result = await inTransaction(ctx, (tx) => record(tx, ctx, input, now));
  if (!result.ok) return result;
  const { proposalId, kind, chargedConnects, boost, replayed } = result.value;
  return ok({ proposalId, kind, chargedConnects, boost, replayed });
}
