import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import type { BoostStatus } from '../../core/boost-auction.ts';
import { assert, connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../jobs/fields.ts';
import type { ProposalView } from './proposal-view.ts';
import type { ProposalPath, ProposalStatus } from './proposal-rows.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';

export const listProposalsInputSchema = z.strictObject({
  freelancerId: idSchema,
  /** Only the proposal to this job (a freelancer has at most one per job). */
  jobId: idSchema.optional(),
  limit: z.int().min(1).max(MAX_PAGE_SIZE).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type ListProposalsInput = z.infer<typeof listProposalsInputSchema>;

/** A proposal in its freelancer's list, with its boost bid and where that bid stands. */
export interface ListedProposal extends ProposalView {
  readonly boost: { readonly bidConnects: number; readonly status: BoostStatus } | null;
}

export interface ProposalPage {
  /** Newest first. */
  readonly proposals: readonly ListedProposal[];
  readonly nextCursor: string | null;
}

interface Row {
  proposal_id: string;
  job_id: string;
  freelancer_id: string;
  via: ProposalPath;
  bid_cents: number;
  cost_connects: number;
  boost_connects: number | null;
  status: ProposalStatus;
  submitted_at: number;
  withdrawn_at: number | null;
  refunded_at: number | null;
  boost_bid: number | null;
  boost_status: BoostStatus | null;
}

const fromRow = (r: Row): ListedProposal => ({
  proposalId: r.proposal_id,
  jobId: r.job_id,
  freelancerId: r.freelancer_id,
  via: r.via,
  bidCents: r.bid_cents,
  costConnects: r.cost_connects,
  boostConnects: r.boost_connects,
  status: r.status,
  submittedAt: r.submitted_at,
  withdrawnAt: r.withdrawn_at,
  refundedAt: r.refunded_at,
  boost:
    r.boost_bid === null || r.boost_status === null
      ? null
      : { bidConnects: r.boost_bid, status: r.boost_status },
});

type Position = readonly [submittedAt: Instant, proposalId: string];

const encode = (p: Position): string => Buffer.from(JSON.stringify(p)).toString('base64url');

function decode(cursor: string): Position | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [submittedAt, proposalId] = value as unknown[];
    if (!Number.isSafeInteger(submittedAt) || typeof proposalId !== 'string') return undefined;
    return [submittedAt as Instant, proposalId];
  } catch {
    return undefined;
  }
}

/**
 * A freelancer's proposals, newest first, one bounded page at a time (keyset
 * paging on submission time and id), or the one to a given job. A read.
 */
export async function listProposals(
  ctx: AppContext,
  input: ListProposalsInput,
  _now: Instant,
): Promise<Result<ProposalPage>> {
  const parsed = parseInput(listProposalsInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId, jobId, cursor } = parsed.value;
  const limit = parsed.value.limit ?? DEFAULT_PAGE_SIZE;
  const after = cursor === undefined ? null : decode(cursor);
  if (after === undefined) {
    return err(connectsError('validation_failed', 'The cursor is not one this API returned.'));
  }
  const freelancer = await requireFreelancer(ctx.store, freelancerId);
  if (!freelancer.ok) return freelancer;
  // One row more than the page tells whether another page follows.
  const { rows } = await ctx.store.query<Row>(
    `SELECT p.proposal_id, p.job_id, p.freelancer_id, p.via, p.bid_cents, p.cost_connects, p.boost_connects,
            p.status, p.submitted_at, p.withdrawn_at, p.refunded_at,
            b.bid_connects AS boost_bid, b.status AS boost_status
       FROM proposals p
       LEFT JOIN boosts b ON b.job_id = p.job_id AND b.proposal_id = p.proposal_id
      WHERE p.freelancer_id = $1 AND ($2::text IS NULL OR p.job_id = $2::text)
        AND ($3::bigint IS NULL OR (p.submitted_at, p.proposal_id) < ($3::bigint, $4::text))
      ORDER BY p.submitted_at DESC, p.proposal_id DESC LIMIT $5`,
    [freelancerId, jobId ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  const proposals = rows.slice(0, limit).map(fromRow);
  const last = proposals[proposals.length - 1];
  const nextCursor =
    rows.length > limit && last !== undefined ? encode([last.submittedAt, last.proposalId]) : null;
  return ok({ proposals, nextCursor });
}

/** Most proposal ids one lookup takes (a history page holds at most 500 entries). */
export const MAX_PROPOSAL_LOOKUP = 500;

/**
 * The job of each of a freelancer's proposals among `proposalIds`, so a page
 * of history can name the job an entry was for. Ids that are not the
 * freelancer's proposals are absent from the answer.
 */
export async function jobsOfProposals(
  db: Pick<StoreTx, 'query'>,
  freelancerId: string,
  proposalIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(proposalIds)];
  if (ids.length === 0) return new Map();
  assert(ids.length <= MAX_PROPOSAL_LOOKUP, 'at most 500 proposal ids in one lookup');
  const { rows } = await db.query<{ proposal_id: string; job_id: string }>(
    `SELECT proposal_id, job_id FROM proposals
      WHERE freelancer_id = $1 AND proposal_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [freelancerId, JSON.stringify(ids)],
  );
  return new Map(rows.map((r) => [r.proposal_id, r.job_id]));
}
