import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { assert, connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import { readJob } from '../jobs/job-rows.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';

export const getBidRangeInputSchema = z.strictObject({
  jobId: idSchema,
  /** The freelancer asking: the range is a Freelancer Plus perk (rules.md 3.1). */
  freelancerId: idSchema,
});
export type GetBidRangeInput = z.infer<typeof getBidRangeInputSchema>;

/** Low, average and high of the money bids on a job; nulls when nobody has bid. */
export interface BidRange {
  readonly jobId: string;
  /** The proposals the range covers (a freelancer's own is not among them). */
  readonly proposals: number;
  readonly lowCents: number | null;
  /** Rounded to the nearest cent, halves up. */
  readonly averageCents: number | null;
  readonly highCents: number | null;
}

type Reader = Pick<StoreTx, 'query'>;

/**
 * The range over every proposal still standing on the job (withdrawn ones are
 * left out). With `exceptFreelancerId`, that freelancer's own proposal is left
 * out too: a freelancer compares its bid with its competitors', and its own
 * bid averaged in would pull the figures towards itself.
 */
export async function bidRangeOf(
  db: Reader,
  jobId: string,
  exceptFreelancerId: string | null = null,
): Promise<BidRange> {
  const { rows } = await db.query<{
    n: number;
    low: number | null;
    high: number | null;
    total: number | null;
  }>(
    `SELECT count(*) AS n, min(bid_cents) AS low, max(bid_cents) AS high, sum(bid_cents)::bigint AS total
       FROM proposals
      WHERE job_id = $1 AND status <> 'withdrawn' AND ($2::text IS NULL OR freelancer_id <> $2::text)`,
    [jobId, exceptFreelancerId],
  );
  const row = rows[0];
  if (row === undefined || row.n === 0 || row.total === null) {
    return { jobId, proposals: 0, lowCents: null, averageCents: null, highCents: null };
  }
  assert(Number.isSafeInteger(2 * row.total + row.n), 'bid total fits exact integer math');
  // round(total / n) with halves up, in integers: floor((2 * total + n) / (2 * n)).
  const averageCents = Math.floor((2 * row.total + row.n) / (2 * row.n));
  return { jobId, proposals: row.n, lowCents: row.low, averageCents, highCents: row.high };
}

/** Refuses anyone but a Freelancer Plus member with `plan_required`. */
export async function requirePlus(db: Reader, freelancerId: string): Promise<Result<void>> {
  const freelancer = await requireFreelancer(db, freelancerId);
  if (!freelancer.ok) return freelancer;
  if (freelancer.value.plan === 'plus') return ok(undefined);
  return err(
    connectsError('plan_required', 'Seeing the range of bids on a job needs Freelancer Plus.', {
      freelancerId,
      plan: freelancer.value.plan,
    }),
  );
}

/**
 * The range (low, average, high) of the competitors' money bids on a job, for
 * Freelancer Plus members (rules.md 3.1): the asking freelancer's own bid is not
 * part of it. A read: nothing is written.
 */
export async function getBidRange(
  ctx: AppContext,
  request: GetBidRangeInput,
  _now: Instant,
): Promise<Result<BidRange>> {
  const parsed = parseInput(getBidRangeInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const plus = await requirePlus(ctx.store, input.freelancerId);
  if (!plus.ok) return plus;
  const job = await readJob(ctx.store, input.jobId, false);
  if (!job.ok) return job;
  return ok(await bidRangeOf(ctx.store, input.jobId, input.freelancerId));
}
