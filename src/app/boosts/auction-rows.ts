import type { Auction, Boost, BoostStatus } from '../../core/boost-auction.ts';
import { assert } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { Posting } from '../../core/types.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AuctionEnd, Job } from '../jobs/job-rows.ts';

interface BoostRow {
  proposal_id: string;
  freelancer_id: string;
  bid_connects: number;
  placed_at: number;
  seq: number;
  status: BoostStatus;
  pinned_rank: number | null;
  opens: number;
  views: number;
  ended_at: number | null;
  hold_draws: Posting[];
  refunded_at: number | null;
}

/** A job's auction as the pure module sees it, plus what only the database keeps. */
export interface StoredAuction {
  readonly auction: Auction;
  /** The hold's draws per proposal: a charged boost's refund returns exactly these. */
  readonly holdDraws: ReadonlyMap<string, readonly Posting[]>;
  /** Proposals whose charged boost was refunded (the job was cancelled). */
  readonly refunded: ReadonlySet<string>;
}

type Reader = Pick<StoreTx, 'query'>;

/**
 * Loads every boost of the job. A job's boosts are bounded by its proposals
 * (MAX_PROPOSALS_PER_JOB), and only during the auction can new ones appear.
 */
export async function loadAuction(db: Reader, job: Job): Promise<StoredAuction> {
  const { rows } = await db.query<BoostRow>(
    `SELECT proposal_id, freelancer_id, bid_connects, placed_at, seq, status, pinned_rank, opens, views, ended_at,
            hold_draws, refunded_at
       FROM boosts WHERE job_id = $1 ORDER BY seq`,
    [job.jobId],
  );
  const boosts: Boost[] = rows.map((r) => ({
    proposalId: r.proposal_id,
    freelancerId: r.freelancer_id,
    bidConnects: r.bid_connects,
    placedAt: r.placed_at,
    seq: r.seq,
    status: r.status,
    pinnedRank: r.pinned_rank,
    opens: r.opens,
    views: r.views,
    endedAt: r.ended_at,
  }));
  const reason = job.auctionCloseReason;
  const auction: Auction = {
    jobId: job.jobId,
    postedAt: job.postedAt,
    closesAt: job.auctionClosesAt,
    closedAt: job.auctionClosedAt,
    // A cancelled job's auction is closed for good; the pure module only needs closedAt for that.
    closeReason: reason === 'cancel' ? null : reason,
    boosts,
  };
  return {
    auction,
    holdDraws: new Map(rows.map((r) => [r.proposal_id, r.hold_draws])),
    refunded: new Set(rows.filter((r) => r.refunded_at !== null).map((r) => r.proposal_id)),
  };
}

const sameBoost = (a: Boost, b: Boost): boolean =>
  a.status === b.status &&
  a.pinnedRank === b.pinnedRank &&
  a.opens === b.opens &&
  a.views === b.views &&
  a.endedAt === b.endedAt;

export interface AuctionChanges {
  readonly before: Auction;
  readonly after: Auction;
  /** Draws of the holds placed in this step (from the ledger's hold entries). */
  readonly newHoldDraws?: ReadonlyMap<string, readonly Posting[]>;
  /** How the auction closed in this step, when it did ('cancel' is not a pure close reason). */
  readonly closeReason?: AuctionEnd;
}

/**
 * New and changed boosts in one statement, each set fed by a JSON array ($2
 * new, $3 changed; an empty one writes nothing). A boost leaving 'held' is
 * settled at $4; `b.status` in SET is the row's value before the update.
 */
const writeBoostsSql = `WITH inserted AS (
    INSERT INTO boosts (job_id, proposal_id, freelancer_id, bid_connects, placed_at, seq, status, pinned_rank,
      opens, views, ended_at, hold_draws, settled_at)
    SELECT $1, u.proposal_id, u.freelancer_id, u.bid_connects, u.placed_at, u.seq, u.status, u.pinned_rank,
      u.opens, u.views, u.ended_at, u.hold_draws, u.settled_at
    FROM jsonb_to_recordset($2::jsonb) AS u(proposal_id text, freelancer_id text, bid_connects int,
      placed_at bigint, seq int, status text, pinned_rank int, opens int, views int, ended_at bigint,
      hold_draws jsonb, settled_at bigint)
  ), updated AS (
    UPDATE boosts b SET status = u.status, pinned_rank = u.pinned_rank, opens = u.opens, views = u.views,
      ended_at = u.ended_at,
      settled_at = CASE WHEN b.status = 'held' AND u.status <> 'held' THEN $4::bigint ELSE b.settled_at END
    FROM jsonb_to_recordset($3::jsonb)
      AS u(proposal_id text, status text, pinned_rank int, opens int, views int, ended_at bigint)
    WHERE b.job_id = $1 AND b.proposal_id = u.proposal_id
  )
  SELECT 1`;

/**
 * Writes what a step changed, set-based: one statement for the boosts (new
 * and changed), one for the job when the auction closed; each only when needed.
 */
export async function saveAuction(tx: Reader, changes: AuctionChanges, now: Instant): Promise<void> {
  const { before, after } = changes;
  const old = new Map(before.boosts.map((b) => [b.proposalId, b]));
  const inserted: Record<string, unknown>[] = [];
  const updated: Record<string, unknown>[] = [];
  for (const b of after.boosts) {
    const prior = old.get(b.proposalId);
    const changed = {
      proposal_id: b.proposalId,
      status: b.status,
      pinned_rank: b.pinnedRank,
      opens: b.opens,
      views: b.views,
      ended_at: b.endedAt,
    };
    if (prior === undefined) {
      const draws = changes.newHoldDraws?.get(b.proposalId);
      assert(draws !== undefined, 'a new boost needs the draws of its hold');
      inserted.push({
        ...changed,
        freelancer_id: b.freelancerId,
        bid_connects: b.bidConnects,
        placed_at: b.placedAt,
        seq: b.seq,
        hold_draws: draws,
        settled_at: b.status === 'held' ? null : now,
      });
    } else if (!sameBoost(prior, b)) updated.push(changed);
  }
  if (inserted.length > 0 || updated.length > 0) {
    await tx.query(writeBoostsSql, [after.jobId, JSON.stringify(inserted), JSON.stringify(updated), now]);
  }
  if (after.closedAt !== before.closedAt) {
    const reason = changes.closeReason ?? after.closeReason;
    assert(reason !== null, 'a closed auction has a reason');
    await tx.query('UPDATE jobs SET auction_closed_at = $2, auction_close_reason = $3 WHERE job_id = $1', [
      after.jobId,
      after.closedAt,
      reason,
    ]);
  }
}
