import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { policyAt, policyById, type PolicyTimeline } from '../../core/policy/timeline.ts';
import type { Policy } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';

export type JobStatus = 'open' | 'hired' | 'cancelled' | 'removed';
/** Why the auction closed: its deadline, the first hire, or the job's cancellation. */
export type AuctionEnd = 'deadline' | 'hire' | 'cancel';

export interface Job {
  readonly jobId: string;
  readonly clientId: string;
  readonly budgetCents: number | null;
  readonly hourly: boolean;
  readonly explicitConnects: number | null;
  readonly enterprise: boolean;
  /** Price of a proposal, fixed when the job was posted. */
  readonly connectsRequired: number;
  /** The policy in force at posting: the auction keeps its rules for its whole life. */
  readonly policyId: string;
  readonly status: JobStatus;
  readonly postedAt: Instant;
  readonly closedAt: Instant | null;
  readonly hiredProposalId: string | null;
  readonly proposalCount: number;
  readonly auctionClosesAt: Instant;
  readonly auctionClosedAt: Instant | null;
  readonly auctionCloseReason: AuctionEnd | null;
}

interface JobRow {
  job_id: string;
  client_id: string;
  budget_cents: number | null;
  hourly: boolean;
  explicit_connects: number | null;
  enterprise: boolean;
  connects_required: number;
  policy_id: string;
  status: JobStatus;
  posted_at: number;
  closed_at: number | null;
  hired_proposal_id: string | null;
  proposal_count: number;
  auction_closes_at: number;
  auction_closed_at: number | null;
  auction_close_reason: AuctionEnd | null;
}

export const jobColumns =
  'job_id, client_id, budget_cents, hourly, explicit_connects, enterprise, connects_required, policy_id, ' +
  'status, posted_at, closed_at, hired_proposal_id, proposal_count, auction_closes_at, auction_closed_at, ' +
  'auction_close_reason';

export function jobFromRow(row: JobRow): Job {
  return {
    jobId: row.job_id,
    clientId: row.client_id,
    budgetCents: row.budget_cents,
    hourly: row.hourly,
    explicitConnects: row.explicit_connects,
    enterprise: row.enterprise,
    connectsRequired: row.connects_required,
    policyId: row.policy_id,
    status: row.status,
    postedAt: row.posted_at,
    closedAt: row.closed_at,
    hiredProposalId: row.hired_proposal_id,
    proposalCount: row.proposal_count,
    auctionClosesAt: row.auction_closes_at,
    auctionClosedAt: row.auction_closed_at,
    auctionCloseReason: row.auction_close_reason,
  };
}

type Reader = Pick<StoreTx, 'query'>;

/**
 * Reads a job; `lock` takes its row lock first, which every write touching a
 * job does before any ledger account (the lock order that keeps jobs free of
 * deadlocks: job, then accounts sorted by id).
 */
export async function readJob(db: Reader, jobId: string, lock: boolean): Promise<Result<Job>> {
  const { rows } = await db.query<JobRow>(
    `SELECT ${jobColumns} FROM jobs WHERE job_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [jobId],
  );
  const row = rows[0];
  if (row === undefined) return err(connectsError('job_not_found', `No job ${jobId} exists.`, { jobId }));
  return ok(jobFromRow(row));
}

/** The policy the job was posted under (its auction's rules), or the one in force then. */
export function jobPolicy(timeline: PolicyTimeline, job: Job): Policy {
  return policyById(timeline, job.policyId) ?? policyAt(timeline, job.postedAt);
}

export function jobClosedError(job: Job): Result<never> {
  return err(
    connectsError('job_closed', `Job ${job.jobId} is ${job.status} and no longer accepts this action.`, {
      jobId: job.jobId,
      status: job.status,
    }),
  );
}
