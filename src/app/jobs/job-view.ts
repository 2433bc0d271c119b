import type { Instant } from '../../core/time.ts';
import type { AuctionEnd, Job, JobStatus } from './job-rows.ts';

/** A job as the API shows it. */
export interface JobView {
  readonly jobId: string;
  readonly clientId: string;
  readonly budgetCents: number | null;
  readonly hourly: boolean;
  readonly enterprise: boolean;
  /** The Connects a proposal costs (before free paths, rules.md 5.2). */
  readonly connectsRequired: number;
  /** True when the poster set the price instead of the rate card. */
  readonly explicitPrice: boolean;
  readonly status: JobStatus;
  readonly postedAt: Instant;
  readonly closedAt: Instant | null;
  readonly hiredProposalId: string | null;
  readonly proposalCount: number;
  readonly auction: {
    readonly closesAt: Instant;
    readonly closedAt: Instant | null;
    readonly closeReason: AuctionEnd | null;
  };
}

export function jobView(job: Job): JobView {
  return {
    jobId: job.jobId,
    clientId: job.clientId,
    budgetCents: job.budgetCents,
    hourly: job.hourly,
    enterprise: job.enterprise,
    connectsRequired: job.connectsRequired,
    explicitPrice: job.explicitConnects !== null,
    status: job.status,
    postedAt: job.postedAt,
    closedAt: job.closedAt,
    hiredProposalId: job.hiredProposalId,
    proposalCount: job.proposalCount,
    auction: {
      closesAt: job.auctionClosesAt,
      closedAt: job.auctionClosedAt,
      closeReason: job.auctionCloseReason,
    },
  };
}
