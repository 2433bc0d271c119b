import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { Posting } from '../../core/types.ts';
import type { StoreTx } from '../../store/store.ts';

/** How the freelancer applied. Every path but the feed is free (rules.md 5.2). */
export const proposalPaths = ['feed', 'invitation', 'offer', 'catalog'] as const;
export type ProposalPath = (typeof proposalPaths)[number];
export type ProposalStatus = 'active' | 'withdrawn' | 'hired';

export interface Proposal {
  readonly proposalId: string;
  readonly jobId: string;
  readonly freelancerId: string;
  readonly via: ProposalPath;
  readonly bidCents: number;
  readonly costConnects: number;
  /** The debit's postings (negative), so a refund returns the Connects to the same lots. */
  readonly costDraws: readonly Posting[];
  readonly boostConnects: number | null;
  readonly status: ProposalStatus;
  readonly submittedAt: Instant;
  readonly withdrawnAt: Instant | null;
  readonly refundedAt: Instant | null;
}

export interface ProposalRow {
  proposal_id: string;
  job_id: string;
  freelancer_id: string;
  via: ProposalPath;
  bid_cents: number;
  cost_connects: number;
  cost_draws: Posting[];
  boost_connects: number | null;
  status: ProposalStatus;
  submitted_at: number;
  withdrawn_at: number | null;
  refunded_at: number | null;
}

export const proposalColumns =
  'proposal_id, job_id, freelancer_id, via, bid_cents, cost_connects, cost_draws, boost_connects, status, ' +
  'submitted_at, withdrawn_at, refunded_at';

export function proposalFromRow(row: ProposalRow): Proposal {
  return {
    proposalId: row.proposal_id,
    jobId: row.job_id,
    freelancerId: row.freelancer_id,
    via: row.via,
    bidCents: row.bid_cents,
    costConnects: row.cost_connects,
    costDraws: row.cost_draws,
    boostConnects: row.boost_connects,
    status: row.status,
    submittedAt: row.submitted_at,
    withdrawnAt: row.withdrawn_at,
    refundedAt: row.refunded_at,
  };
}

type Reader = Pick<StoreTx, 'query'>;

export async function findProposal(db: Reader, proposalId: string): Promise<Proposal | undefined> {
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${proposalColumns} FROM proposals WHERE proposal_id = $1`,
    [proposalId],
  );
  return rows[0] === undefined ? undefined : proposalFromRow(rows[0]);
}

export async function readProposal(db: Reader, proposalId: string): Promise<Result<Proposal>> {
  const found = await findProposal(db, proposalId);
  if (found !== undefined) return ok(found);
  return err(connectsError('proposal_not_found', `No proposal ${proposalId} exists.`, { proposalId }));
}

/** Proposals on a job in submission order (a job holds at most MAX_PROPOSALS_PER_JOB). */
export async function proposalsOfJob(db: Reader, jobId: string): Promise<Proposal[]> {
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${proposalColumns} FROM proposals WHERE job_id = $1 ORDER BY submitted_at, proposal_id`,
    [jobId],
  );
  return rows.map(proposalFromRow);
}

export async function proposalOfFreelancerOnJob(
  db: Reader,
  freelancerId: string,
  jobId: string,
): Promise<Proposal | undefined> {
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${proposalColumns} FROM proposals WHERE freelancer_id = $1 AND job_id = $2`,
    [freelancerId, jobId],
  );
  return rows[0] === undefined ? undefined : proposalFromRow(rows[0]);
}

export async function insertProposal(tx: Reader, p: Proposal): Promise<void> {
  await tx.query(
    `INSERT INTO proposals (${proposalColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12)`,
    [
      p.proposalId,
      p.jobId,
      p.freelancerId,
      p.via,
      p.bidCents,
      p.costConnects,
      JSON.stringify(p.costDraws),
      p.boostConnects,
      p.status,
      p.submittedAt,
      p.withdrawnAt,
      p.refundedAt,
    ],
  );
}

/** Limit on one job's proposals: cancelling a job refunds all of them in one transaction. */
export const MAX_PROPOSALS_PER_JOB = 5000;

export function proposalClosedError(p: Proposal): Result<never> {
  return err(
    connectsError('proposal_closed', `Proposal ${p.proposalId} is ${p.status}.`, {
      proposalId: p.proposalId,
      status: p.status,
    }),
  );
}
