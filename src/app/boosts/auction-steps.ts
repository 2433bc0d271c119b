import {
  closeAuction,
  dueToClose,
  type Auction,
  type AuctionStep,
  type BoostEffect,
  type BoostSettings,
} from '../../core/boost-auction.ts';
import type { Policy } from '../../core/policy/schema.ts';
import type { Instant } from '../../core/time.ts';

/** The boost numbers of a policy in the shape the pure auction takes. */
export function boostSettings(policy: Policy): BoostSettings {
  return policy.boost;
}

/**
 * Closes the auction at its deadline if that has passed and the scheduler has
 * not got to it yet; the close, its charges and its releases are dated at
 * the deadline. Every use case touching a job does this first, so the
 * outcome never depends on when the scheduler last ran (lazy correctness, as
 * for lot expiry).
 */
export function closeIfDue(auction: Auction, now: Instant, settings: BoostSettings): AuctionStep {
  if (!dueToClose(auction, now)) return { auction, effects: [] };
  // The auction closed at its deadline, whenever this was noticed: its charges and releases are dated then.
  const closed = closeAuction(auction, auction.closesAt, settings, 'deadline');
  return { auction: closed.auction, effects: closed.effects.map((e) => ({ ...e, at: auction.closesAt })) };
}

/** Runs steps one after another, collecting their effects in order. */
export function chain(
  start: Auction,
  ...steps: ((auction: Auction) => AuctionStep)[]
): { auction: Auction; effects: BoostEffect[] } {
  let auction = start;
  const effects: BoostEffect[] = [];
  for (const step of steps) {
    const next = step(auction);
    auction = next.auction;
    effects.push(...next.effects);
  }
  return { auction, effects };
}

/**
 * A withdrawn proposal's boost: a held bid is released (the freelancer pays
 * nothing for a boost that was never charged); a charged one stays charged
 * and keeps its place, since withdrawing refunds nothing (rules.md 5.5).
 */
export function withdrawBoost(auction: Auction, proposalId: string): AuctionStep {
  const boost = auction.boosts.find((b) => b.proposalId === proposalId);
  if (boost === undefined || boost.status !== 'held') return { auction, effects: [] };
  const effects: BoostEffect[] = [
    { kind: 'release', proposalId, freelancerId: boost.freelancerId, connects: boost.bidConnects },
  ];
  const boosts = auction.boosts.map((b) =>
    b.proposalId === proposalId ? { ...b, status: 'released' as const } : b,
  );
  return { auction: { ...auction, boosts }, effects };
}

/**
 * The job was cancelled or removed: every held boost is released and the
 * auction ends (charged boosts are refunded by the caller, rules.md 5.5). The
 * pure close would charge the slots instead, so it is not used here.
 */
export function cancelAuction(auction: Auction, now: Instant): AuctionStep {
  const effects: BoostEffect[] = [];
  const boosts = auction.boosts.map((b) => {
    if (b.status !== 'held') return b;
    effects.push({
      kind: 'release',
      proposalId: b.proposalId,
      freelancerId: b.freelancerId,
      connects: b.bidConnects,
    });
    return { ...b, status: 'released' as const };
  });
  return { auction: { ...auction, boosts, closedAt: auction.closedAt ?? now }, effects };
}
