import { isBoostedShown, ranking, type Auction, type BoostStatus } from '../../core/boost-auction.ts';
import type { Instant } from '../../core/time.ts';

/** One proposal's boost as its freelancer sees it. */
export interface BoostView {
  readonly proposalId: string;
  readonly bidConnects: number;
  readonly status: BoostStatus;
  /** 1-based place in the ranking while held or charged; null once released. */
  readonly rank: number | null;
  /** Shown to the client marked "Boosted". */
  readonly boosted: boolean;
  readonly placedAt: Instant;
  readonly opens: number;
  readonly views: number;
}

export function boostView(auction: Auction, proposalId: string): BoostView | null {
  const boost = auction.boosts.find((b) => b.proposalId === proposalId);
  if (boost === undefined) return null;
  const index = ranking(auction).findIndex((b) => b.proposalId === proposalId);
  return {
    proposalId,
    bidConnects: boost.bidConnects,
    status: boost.status,
    rank: index < 0 ? null : index + 1,
    boosted: isBoostedShown(boost),
    placedAt: boost.placedAt,
    opens: boost.opens,
    views: boost.views,
  };
}

/** A place in the ranking the client sees at the top of the job's proposals. */
export interface RankedProposal {
  readonly rank: number;
  readonly proposalId: string;
  readonly freelancerId: string;
  readonly bidConnects: number;
  readonly status: 'held' | 'charged';
  /** Marked "Boosted" (a charged boost stops being marked after its opens or views limit). */
  readonly boosted: boolean;
}

/**
 * The boosted slots, best first. Every live boost sits in a slot (the pure
 * module's invariant); proposals in `hidden` (withdrawn) are left out but
 * keep their place, since a charged boost was paid for that place.
 */
export function rankingView(auction: Auction, slots: number, hidden: ReadonlySet<string>): RankedProposal[] {
  return ranking(auction)
    .slice(0, slots)
    .flatMap((b, i) =>
      hidden.has(b.proposalId) || b.status === 'released'
        ? []
        : [
            {
              rank: i + 1,
              proposalId: b.proposalId,
              freelancerId: b.freelancerId,
              bidConnects: b.bidConnects,
              status: b.status,
              boosted: isBoostedShown(b),
            },
          ],
    );
}
