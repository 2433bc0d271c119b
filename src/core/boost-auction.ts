import { assert, connectsError, err, ok, type Result } from './errors.ts';
import { MS_PER_DAY, type Instant } from './time.ts';

/**
 * The boosted-proposal auction of one job (rules.md 5.3) as a pure state machine.
 * Every function returns a new auction plus the ledger effects the caller must
 * apply (hold, capture, release); nothing here touches a balance.
 *
 * Invariant kept by every transition: at most `slots` boosts are live (held or
 * charged), so every live boost is in a boosted slot. A held boost pushed out
 * is released at once; a charged boost can never be pushed out, because it
 * and every boost ranked above it are pinned to their positions.
 */

export type BoostStatus = 'held' | 'charged' | 'released';

export interface Boost {
  readonly proposalId: string;
  readonly freelancerId: string;
  readonly bidConnects: number;
  readonly placedAt: Instant;
  /** Placement order in this auction (1, 2, ...): the tie-break within one instant. */
  readonly seq: number;
  readonly status: BoostStatus;
  /**
   * Frozen 0-based rank, set when this boost or one ranked below it is charged
   * ("a charged boost keeps its rank": nobody enters above it later). Null while
   * the boost still moves with the bids.
   */
  readonly pinnedRank: number | null;
  /** Opens and views counted while charged; they end the boosted display. */
  readonly opens: number;
  readonly views: number;
  /** When the "Boosted" display ended (opensToEnd opens or viewsToEnd views), or null. */
  readonly endedAt: Instant | null;
}

export type CloseReason = 'deadline' | 'hire';

export interface Auction {
  readonly jobId: string;
  readonly postedAt: Instant;
  readonly closesAt: Instant;
  readonly closedAt: Instant | null;
  readonly closeReason: CloseReason | null;
  readonly boosts: readonly Boost[];
}

export interface BoostEffect {
  readonly kind: 'hold' | 'capture' | 'release';
  readonly proposalId: string;
  readonly freelancerId: string;
  readonly connects: number;
  /** When it took effect, if before the step's now: a close at the deadline charges and releases then. */
  readonly at?: Instant;
}

export interface AuctionStep {
  readonly auction: Auction;
  readonly effects: readonly BoostEffect[];
}

/** The plain numbers of the boost policy this module needs (a subset of the policy's `boost`). */
export interface BoostSettings {
  readonly slots: number;
  readonly minBidConnects: number;
  readonly maxBidConnects: number;
  readonly auctionDays: number;
  readonly opensToEnd: number;
  readonly viewsToEnd: number;
}

export const clientInteractions = [
  'opens',
  'views',
  'messages',
  'shortlists',
  'offers',
  'archives',
  'declines',
] as const;
export type ClientInteraction = (typeof clientInteractions)[number];

/** rules.md 5.3 lists the interactions that charge; a view (the proposal seen in the list) is not one. */
export function chargesBoost(kind: ClientInteraction): boolean {
  return kind !== 'views';
}

export function openAuction(
  jobId: string,
  postedAt: Instant,
  settings: Pick<BoostSettings, 'auctionDays'>,
): Auction {
  assert(Number.isSafeInteger(settings.auctionDays) && settings.auctionDays > 0, 'auctionDays > 0');
  const closesAt = postedAt + settings.auctionDays * MS_PER_DAY;
  return { jobId, postedAt, closesAt, closedAt: null, closeReason: null, boosts: [] };
}

const isLive = (b: Boost): boolean => b.status !== 'released';

function compareRank(a: Boost, b: Boost): number {
  if (a.pinnedRank !== null || b.pinnedRank !== null) {
    // Pinned boosts form the top of the ranking, in their frozen order.
    return (a.pinnedRank ?? Number.MAX_SAFE_INTEGER) - (b.pinnedRank ?? Number.MAX_SAFE_INTEGER);
  }
  return b.bidConnects - a.bidConnects || a.placedAt - b.placedAt || a.seq - b.seq;
}

/** Every held or charged boost, best first; the first `slots` are the boosted slots. */
export function ranking(auction: Auction): Boost[] {
  return auction.boosts.filter(isLive).sort(compareRank);
}

export type PlaceBoostInput = Pick<Boost, 'proposalId' | 'freelancerId' | 'bidConnects'>;

/**
 * Refusals are values with details.reason: `auction_closed` and `boost_exists`
 * (code `conflict`); `not_whole_connects`, `bid_below_min`, `bid_above_max`
 * (code `invalid_amount`).
 */
export function placeBoost(
  auction: Auction,
  input: PlaceBoostInput,
  now: Instant,
  settings: Pick<BoostSettings, 'slots' | 'minBidConnects' | 'maxBidConnects'>,
): Result<AuctionStep> {
  const { proposalId, freelancerId, bidConnects } = input;
  if (auction.closedAt !== null || now >= auction.closesAt) {
    return err(
      connectsError('conflict', 'The boost auction of this job is closed.', { reason: 'auction_closed' }),
    );
  }
  if (auction.boosts.some((b) => b.proposalId === proposalId)) {
    return err(connectsError('conflict', 'This proposal already has a boost.', { reason: 'boost_exists' }));
  }
  const min = Math.max(1, settings.minBidConnects);
  if (!Number.isSafeInteger(bidConnects) || bidConnects < min || bidConnects > settings.maxBidConnects) {
    const reason = !Number.isSafeInteger(bidConnects)
      ? 'not_whole_connects'
      : bidConnects < min
        ? 'bid_below_min'
        : 'bid_above_max';
    return err(
      connectsError(
        'invalid_amount',
        `A boost bid is a whole number of Connects from ${min} to ${settings.maxBidConnects}.`,
        {
          reason,
          min,
          max: settings.maxBidConnects,
        },
      ),
    );
  }
  const seq = auction.boosts.reduce((max, b) => Math.max(max, b.seq), 0) + 1;
  const boost: Boost = {
    proposalId,
    freelancerId,
    bidConnects,
    placedAt: now,
    seq,
    status: 'held',
    pinnedRank: null,
    opens: 0,
    views: 0,
    endedAt: null,
  };
  const effects: BoostEffect[] = [{ kind: 'hold', proposalId, freelancerId, connects: bidConnects }];
  const outOfSlots = new Set(
    ranking({ ...auction, boosts: [...auction.boosts, boost] })
      .slice(settings.slots)
      .filter((b) => b.status === 'held')
      .map((b) => b.proposalId),
  );
  const boosts = [...auction.boosts, boost].map((b) => {
    if (!outOfSlots.has(b.proposalId)) return b;
    effects.push(release(b));
    return { ...b, status: 'released' as const };
  });
  return ok({ auction: { ...auction, boosts }, effects });
}

const release = (b: Boost): BoostEffect => ({
  kind: 'release',
  proposalId: b.proposalId,
  freelancerId: b.freelancerId,
  connects: b.bidConnects,
});
const capture = (b: Boost): BoostEffect => ({ ...release(b), kind: 'capture' });

/** Freezes the rank of every live boost from the top down to `index`. */
function pinThrough(boosts: readonly Boost[], rank: readonly Boost[], index: number): Boost[] {
  const pins = new Map(rank.slice(0, index + 1).map((b, i) => [b.proposalId, i]));
  return boosts.map((b) =>
    b.pinnedRank === null && pins.has(b.proposalId) ? { ...b, pinnedRank: pins.get(b.proposalId)! } : b,
  );
}

/**
 * A client interaction with a proposal. A held boost in the boosted slots is
 * charged by any interaction but a view. On a charged boost, opens and views
 * are counted (the charging open included) and end the boosted display at
 * `opensToEnd` opens or `viewsToEnd` views; other kinds neither end nor reset
 * it. Proposals without a live boost are left alone.
 */
export function interact(
  auction: Auction,
  proposalId: string,
  kind: ClientInteraction,
  now: Instant,
  settings: Pick<BoostSettings, 'slots' | 'opensToEnd' | 'viewsToEnd'>,
): AuctionStep {
  const rank = ranking(auction);
  const index = rank.findIndex((b) => b.proposalId === proposalId);
  const current = rank[index];
  if (current === undefined) return { auction, effects: [] };
  let boosts = auction.boosts;
  const effects: BoostEffect[] = [];
  if (current.status === 'held' && index < settings.slots && chargesBoost(kind)) {
    effects.push(capture(current));
    boosts = pinThrough(boosts, rank, index).map((b) =>
      b.proposalId === proposalId ? { ...b, status: 'charged' } : b,
    );
  }
  boosts = boosts.map((b) =>
    b.proposalId === proposalId && b.status === 'charged' ? countDisplay(b, kind, now, settings) : b,
  );
  return { auction: { ...auction, boosts }, effects };
}

function countDisplay(
  b: Boost,
  kind: ClientInteraction,
  now: Instant,
  settings: Pick<BoostSettings, 'opensToEnd' | 'viewsToEnd'>,
): Boost {
  if (kind !== 'opens' && kind !== 'views') return b;
  const opens = b.opens + (kind === 'opens' ? 1 : 0);
  const views = b.views + (kind === 'views' ? 1 : 0);
  const ends = b.endedAt === null && (opens >= settings.opensToEnd || views >= settings.viewsToEnd);
  return { ...b, opens, views, endedAt: ends ? now : b.endedAt };
}

/** True when the auction is past its deadline and nobody has closed it yet. */
export function dueToClose(auction: Auction, now: Instant): boolean {
  return auction.closedAt === null && now >= auction.closesAt;
}

/**
 * Closes the auction at the deadline or the first hire: held boosts in the
 * slots are charged, every other held boost is released. Closing a closed
 * auction changes nothing. Closing for 'deadline' before `closesAt` is a bug.
 */
export function closeAuction(
  auction: Auction,
  now: Instant,
  settings: Pick<BoostSettings, 'slots'>,
  reason: CloseReason,
): AuctionStep {
  if (auction.closedAt !== null) return { auction, effects: [] };
  assert(reason === 'hire' || now >= auction.closesAt, 'deadline close before closesAt');
  const rank = ranking(auction);
  const top = new Set(rank.slice(0, settings.slots).map((b) => b.proposalId));
  const effects: BoostEffect[] = [];
  const boosts = pinThrough(auction.boosts, rank, Math.min(settings.slots, rank.length) - 1).map((b) => {
    if (b.status !== 'held') return b;
    effects.push(top.has(b.proposalId) ? capture(b) : release(b));
    return { ...b, status: top.has(b.proposalId) ? ('charged' as const) : ('released' as const) };
  });
  return { auction: { ...auction, boosts, closedAt: now, closeReason: reason }, effects };
}

/**
 * Whether the client sees this proposal marked "Boosted". Because every live
 * boost sits in a slot (see the invariant above), the boost alone decides it.
 */
export function isBoostedShown(boost: Boost): boolean {
  return boost.status !== 'released' && boost.endedAt === null;
}

/** The boosted proposals in the order the client sees them. */
export function boostedShown(auction: Auction, settings: Pick<BoostSettings, 'slots'>): Boost[] {
  return ranking(auction).slice(0, settings.slots).filter(isBoostedShown);
}

export interface AuctionTotals {
  readonly held: number;
  readonly charged: number;
  readonly released: number;
  readonly placed: number;
}

export function auctionTotals(auction: Auction): AuctionTotals {
  const totals = { held: 0, charged: 0, released: 0, placed: 0 };
  for (const b of auction.boosts) {
    totals[b.status] += b.bidConnects;
    totals.placed += b.bidConnects;
  }
  return totals;
}
