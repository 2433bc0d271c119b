import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { openAuction } from '../../core/boost-auction.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { connectsRequired } from '../../core/policy/rate-card.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { centsSchema } from './fields.ts';
import { inTransaction } from './in-transaction.ts';
import { readJob, type Job } from './job-rows.ts';
import { jobView, type JobView } from './job-view.ts';

export const postJobInputSchema = z.strictObject({
  id: idSchema,
  clientId: idSchema,
  budgetCents: centsSchema.optional(),
  hourly: z.boolean().optional(),
  /** An explicit price in Connects (0 allowed); wins over the rate card. */
  connectsRequired: z.int().min(0).max(10_000).optional(),
  enterprise: z.boolean().optional(),
});
export type PostJobInput = z.infer<typeof postJobInputSchema>;

export interface PostJobOutput {
  readonly job: JobView;
  /** True when the job already existed with these details (a retry). */
  readonly replayed: boolean;
}

/** The job's own facts, normalised so a retry can be compared field by field. */
function facts(input: PostJobInput) {
  return {
    clientId: input.clientId,
    budgetCents: input.budgetCents ?? null,
    hourly: input.hourly ?? false,
    explicitConnects: input.connectsRequired ?? null,
    enterprise: input.enterprise ?? false,
  };
}

function sameJob(job: Job, input: PostJobInput): boolean {
  const f = facts(input);
  return (
    job.clientId === f.clientId &&
    job.budgetCents === f.budgetCents &&
    job.hourly === f.hourly &&
    job.explicitConnects === f.explicitConnects &&
    job.enterprise === f.enterprise
  );
}

/**
 * Posts a job (rules.md 5.1): its price comes from the rate card of the policy in
 * force now, and its boost auction opens, closing `boost.auctionDays` later.
 * Idempotent by job id: the same details return the job as it is; different
 * details are `job_exists`.
 */
export async function postJob(
  ctx: AppContext,
  request: PostJobInput,
  now: Instant,
): Promise<Result<PostJobOutput>> {
  const parsed = parseInput(postJobInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const policy = policyAt(ctx.timeline, now);
  const f = facts(input);
  const price = connectsRequired(
    {
      budgetCents: f.budgetCents,
      hourly: f.hourly,
      connectsRequired: f.explicitConnects,
      enterprise: f.enterprise,
    },
    policy,
  );
  const auction = openAuction(input.id, now, policy.boost);
  return inTransaction(ctx, async (tx) => {
    // ON CONFLICT: two posts racing with one id both end up comparing against the winner.
    const inserted = await tx.query(
      `INSERT INTO jobs (job_id, client_id, budget_cents, hourly, explicit_connects, enterprise, connects_required,
         policy_id, status, posted_at, auction_closes_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)
       ON CONFLICT (job_id) DO NOTHING RETURNING job_id`,
      [
        input.id,
        f.clientId,
        f.budgetCents,
        f.hourly,
        f.explicitConnects,
        f.enterprise,
        price,
        policy.id,
        now,
        auction.closesAt,
      ],
    );
    const job = await readJob(tx, input.id, false);
    if (!job.ok) return job;
    if (inserted.rows.length === 0 && !sameJob(job.value, input)) {
      return err(
        connectsError('job_exists', `Job ${input.id} already exists with different details.`, {
          jobId: input.id,
        }),
      );
    }
    return ok({ job: jobView(job.value), replayed: inserted.rows.length === 0 });
  });
}
