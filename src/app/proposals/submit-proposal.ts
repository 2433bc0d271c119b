import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { placeBoost, type Auction, type BoostEffect } from '../../core/boost-auction.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { ActorScope } from '../../store/actor-store.ts';
import type { StoreTx } from '../../store/store.ts';
import { closeIfDue, boostSettings } from '../boosts/auction-steps.ts';
import { loadAuction, saveAuction } from '../boosts/auction-rows.ts';
import { boostView, type BoostView } from '../boosts/boost-view.ts';
import { holdDrawsIn, LedgerPlan, proposalRef } from '../boosts/ledger-plan.ts';
import type { AppContext } from '../context.ts';
import { centsSchema } from '../jobs/fields.ts';
import { inTransaction } from '../jobs/in-transaction.ts';
import { jobClosedError, jobPolicy, readJob, type Job } from '../jobs/job-rows.ts';
import {
  findProposal,
  insertProposal,
  MAX_PROPOSALS_PER_JOB,
  proposalOfFreelancerOnJob,
  proposalPaths,
  type Proposal,
} from './proposal-rows.ts';
import { proposalView, type ProposalView } from './proposal-view.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';
import { sameRequest, submitInBatch } from './submit-batch.ts';

export const submitProposalInputSchema = z.strictObject({
  proposalId: idSchema,
  jobId: idSchema,
  freelancerId: idSchema,
  /** The freelancer's money bid (rate or fixed amount), in cents. */
  bidCents: centsSchema,
  via: z.enum(proposalPaths).optional(),
  /** Extra Connects bid to boost the proposal; the policy bounds it. */
  boostConnects: z.int().min(1).max(1_000_000).optional(),
});
export type SubmitProposalInput = z.infer<typeof submitProposalInputSchema>;

export interface SubmitProposalOutput {
  readonly proposal: ProposalView;
  /** The boost as it stands now (it may already be released if it did not make the slots). */
  readonly boost: BoostView | null;
  readonly replayed: boolean;
}

/** Places the boost in the auction, turning the pure module's refusals into this API's codes. */
function boostStep(auction: Auction, job: Job, input: SubmitProposalInput, ctx: AppContext, now: Instant) {
  const settings = boostSettings(jobPolicy(ctx.timeline, job));
  const placed = placeBoost(
    auction,
    { proposalId: input.proposalId, freelancerId: input.freelancerId, bidConnects: input.boostConnects ?? 0 },
    now,
    settings,
  );
  if (placed.ok || placed.error.code !== 'conflict') return placed;
  const reason = placed.error.details?.['reason'] === 'auction_closed' ? 'auction_closed' : 'boost_exists';
  return err(connectsError(reason, placed.error.message, { jobId: job.jobId }));
}

async function submit(tx: StoreTx, ctx: AppContext, input: SubmitProposalInput, now: Instant) {
  const locked = await readJob(tx, input.jobId, true);
  if (!locked.ok) return locked;
  const job = locked.value;
  const existing = await findProposal(tx, input.proposalId);
  if (existing !== undefined) {
    if (!sameRequest(existing, input)) {
      return err(
        connectsError('proposal_exists', `Proposal ${input.proposalId} exists with different details.`),
      );
    }
    const { auction } = await loadAuction(tx, job);
    return ok({
      proposal: proposalView(existing),
      boost: boostView(auction, existing.proposalId),
      replayed: true,
    });
  }
  const freelancer = await requireFreelancer(tx, input.freelancerId);
  if (!freelancer.ok) return freelancer;
  if (job.status !== 'open') return jobClosedError(job);
  if ((await proposalOfFreelancerOnJob(tx, input.freelancerId, job.jobId)) !== undefined) {
    return err(
      connectsError('duplicate_proposal', `Freelancer ${input.freelancerId} already applied to this job.`),
    );
  }
  if (job.proposalCount >= MAX_PROPOSALS_PER_JOB) {
    return err(
      connectsError('job_closed', `Job ${job.jobId} accepts no more proposals.`, { jobId: job.jobId }),
    );
  }
  const stored = await loadAuction(tx, job);
  const settings = boostSettings(jobPolicy(ctx.timeline, job));
  const closed = closeIfDue(stored.auction, now, settings);
  let auction = closed.auction;
  let boostEffects: readonly BoostEffect[] = [];
  if (input.boostConnects !== undefined) {
    const placed = boostStep(auction, job, input, ctx, now);
    if (!placed.ok) return placed;
    ({ auction, effects: boostEffects } = placed.value);
  }
  const via = input.via ?? 'feed';
  // The price is fixed at submission; every path but the feed is free (rules.md 5.2).
  const cost = via === 'feed' ? job.connectsRequired : 0;
  const ref = proposalRef(input.proposalId);
  const plan = new LedgerPlan().addEffects(closed.effects);
  if (cost > 0) plan.add(input.freelancerId, { kind: 'debit', amount: cost, ref, reason: 'proposal' });
  plan.addEffects(boostEffects);
  const results = await plan.apply(tx, now, ref);
  const debit = results.get(input.freelancerId)?.entries.find((e) => e.type === 'debit');
  const proposal: Proposal = {
    proposalId: input.proposalId,
    jobId: job.jobId,
    freelancerId: input.freelancerId,
    via,
    bidCents: input.bidCents,
    costConnects: cost,
    costDraws: debit?.postings ?? [],
    boostConnects: input.boostConnects ?? null,
    status: 'active',
    submittedAt: now,
    withdrawnAt: null,
    refundedAt: null,
  };
  await insertProposal(tx, proposal);
  await tx.query('UPDATE jobs SET proposal_count = proposal_count + 1 WHERE job_id = $1', [job.jobId]);
  await saveAuction(
    tx,
    { before: stored.auction, after: auction, newHoldDraws: holdDrawsIn(results.values()) },
    now,
  );
  return ok({
    proposal: proposalView(proposal),
    boost: boostView(auction, proposal.proposalId),
    replayed: false,
  });
}

export interface SubmitProposalOptions {
  /**
   * Default true: a proposal without a boost joins the proposals arriving with
   * it in one transaction (submit-batch.ts).
   */
  readonly batch?: boolean;
  /**
   * The request's actor scope (an operator's): a batched proposal shares its
   * batch with that actor's only, its rows carry the actor and the entries it
   * wrote are added to `scope.written` (the single path does both through
   * the store the context holds).
   */
  readonly scope?: ActorScope | undefined;
}

/**
 * Submits a proposal (rules.md 5.1-5.3): the job's price is debited from the
 * freelancer's lots (0 on free paths and enterprise jobs), and an optional
 * boost bid is held and placed in the job's auction. Releases of the holds it
 * outbids (on other freelancers' accounts) commit in the same transaction,
 * taken after the job's row lock, accounts in sorted order. Idempotent by
 * proposal id; a second proposal by the same freelancer to the job is
 * `duplicate_proposal`. Proposals without a boost are decided in batches
 * (submit-batch.ts) under the same rules; the rest, and what a batch hands
 * back, take the single path below.
 */
export async function submitProposal(
  ctx: AppContext,
  request: SubmitProposalInput,
  now: Instant,
  options: SubmitProposalOptions = {},
): Promise<Result<SubmitProposalOutput>> {
  const parsed = parseInput(submitProposalInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  if (input.boostConnects === undefined && options.batch !== false) {
    const { boostConnects: _none, ...plain } = input;
    const answer = await submitInBatch(ctx, { input: plain, now }, options.scope);
    if ('done' in answer) return answer.done;
  }
  await renewCappedFirst(ctx, input.freelancerId, now);
  return inTransaction(ctx, (tx) => submit(tx, ctx, input, now));
}
