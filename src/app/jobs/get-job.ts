import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { loadAuction } from '../boosts/auction-rows.ts';
import { boostSettings } from '../boosts/auction-steps.ts';
import { rankingView, type RankedProposal } from '../boosts/boost-view.ts';
import type { AppContext } from '../context.ts';
import { bidRangeOf, requirePlus, type BidRange } from '../proposals/get-bid-range.ts';
import { jobPolicy, readJob } from './job-rows.ts';
import { jobView, type JobView } from './job-view.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';

export const getJobInputSchema = z.strictObject({
  jobId: idSchema,
  /** The freelancer looking at the job, if any: Plus members also see the bid range. */
  viewerFreelancerId: idSchema.optional(),
  /** Ask for the bid range explicitly: a Basic viewer then gets `plan_required`. */
  withBidRange: z.boolean().optional(),
});
export type GetJobInput = z.infer<typeof getJobInputSchema>;

export interface GetJobOutput {
  readonly job: JobView;
  /** The boosted slots as the client sees them, best first, each marked while "Boosted". */
  readonly ranking: readonly RankedProposal[];
  /** Low, average and high of the other freelancers' bids, for a Plus viewer; null otherwise. */
  readonly bidRange: BidRange | null;
}

/** Whether to show the bid range: always to Plus viewers, and asking without Plus is refused. */
async function bidRangeFor(ctx: AppContext, input: GetJobInput): Promise<Result<BidRange | null>> {
  if (input.withBidRange === true) {
    if (input.viewerFreelancerId === undefined) {
      return err(
        connectsError('validation_failed', 'The bid range is shown to a viewer: give viewerFreelancerId.'),
      );
    }
    const plus = await requirePlus(ctx.store, input.viewerFreelancerId);
    if (!plus.ok) return plus;
    return ok(await bidRangeOf(ctx.store, input.jobId, input.viewerFreelancerId));
  }
  if (input.viewerFreelancerId === undefined) return ok(null);
  const viewer = await requireFreelancer(ctx.store, input.viewerFreelancerId);
  if (!viewer.ok) return viewer;
  const plus = viewer.value.plan === 'plus';
  return ok(plus ? await bidRangeOf(ctx.store, input.jobId, input.viewerFreelancerId) : null);
}

/**
 * A job with its price, status and the ranking of boosted proposals (rules.md
 * 5.3); withdrawn proposals are not shown. A read: it changes nothing, not
 * even an auction past its deadline (the scheduler or the next write on the
 * job closes it).
 */
export async function getJob(
  ctx: AppContext,
  request: GetJobInput,
  _now: Instant,
): Promise<Result<GetJobOutput>> {
  const parsed = parseInput(getJobInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const job = await readJob(ctx.store, input.jobId, false);
  if (!job.ok) return job;
  const bidRange = await bidRangeFor(ctx, input);
  if (!bidRange.ok) return bidRange;
  const { auction } = await loadAuction(ctx.store, job.value);
  const { rows } = await ctx.store.query<{ proposal_id: string }>(
    `SELECT proposal_id FROM proposals WHERE job_id = $1 AND status = 'withdrawn'`,
    [input.jobId],
  );
  const hidden = new Set(rows.map((r) => r.proposal_id));
  const slots = boostSettings(jobPolicy(ctx.timeline, job.value)).slots;
  return ok({
    job: jobView(job.value),
    ranking: rankingView(auction, slots, hidden),
    bidRange: bidRange.value,
  });
}
