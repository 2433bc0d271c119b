import type { Instant } from '../../core/time.ts';
import type { Proposal, ProposalPath, ProposalStatus } from './proposal-rows.ts';

/** A proposal as the API shows it. */
export interface ProposalView {
  readonly proposalId: string;
  readonly jobId: string;
  readonly freelancerId: string;
  readonly via: ProposalPath;
  readonly bidCents: number;
  /** Connects the submission cost (0 on free paths), fixed at submission. */
  readonly costConnects: number;
  readonly boostConnects: number | null;
  readonly status: ProposalStatus;
  readonly submittedAt: Instant;
  readonly withdrawnAt: Instant | null;
  readonly refundedAt: Instant | null;
}

export function proposalView(p: Proposal): ProposalView {
  return {
    proposalId: p.proposalId,
    jobId: p.jobId,
    freelancerId: p.freelancerId,
    via: p.via,
    bidCents: p.bidCents,
    costConnects: p.costConnects,
    boostConnects: p.boostConnects,
    status: p.status,
    submittedAt: p.submittedAt,
    withdrawnAt: p.withdrawnAt,
    refundedAt: p.refundedAt,
  };
}
