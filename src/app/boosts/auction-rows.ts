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

/** Writes what a step changed: new boosts, changed boosts, and the close. */
export async function saveAuction(tx: Reader, changes: AuctionChanges, now: Instant): Promise<void> {
  const { before, after } = changes;
  const old = new Map(before.boosts.map((b) => [b.proposalId, b]));
  for (const b of after.boosts) {
    const prior = old.get(b.proposalId);
    if (prior === undefined) {
      const draws = changes.newHoldDraws?.get(b.proposalId);
      assert(draws !== undefined, 'a new boost needs the draws of its hold');
      await tx.query(
        `INSERT INTO boosts (job_id, proposal_id, freelancer_id, bid_connects, placed_at, seq, status, pinned_rank,
           opens, views, ended_at, hold_draws, settled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13)`,
        [
          after.jobId,
          b.proposalId,
          b.freelancerId,
          b.bidConnects,
          b.placedAt,
          b.seq,
          b.status,
          b.pinnedRank,
          b.opens,
          b.views,
          b.endedAt,
          JSON.stringify(draws),
          b.status === 'held' ? null : now,
        ],
      );
    } else if (!sameBoost(prior, b)) {
      await tx.query(
        `UPDATE boosts SET status = $3, pinned_rank = $4, opens = $5, views = $6, ended_at = $7,
           settled_at = CASE WHEN status = 'held' AND $3 <> 'held' THEN $8 ELSE settled_at END
         WHERE job_id = $1 AND proposal_id = $2`,
        [after.jobId, b.proposalId, b.status, b.pinnedRank, b.opens, b.views, b.endedAt, now],
      );
    }
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
