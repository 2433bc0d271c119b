import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  auctionTotals,
  boostedShown,
  clientInteractions,
  closeAuction,
  dueToClose,
  interact,
  isBoostedShown,
  openAuction,
  placeBoost,
  ranking,
  type Auction,
  type AuctionStep,
  type BoostEffect,
  type ClientInteraction,
} from './boost-auction.ts';
import { MS_PER_DAY, MS_PER_HOUR } from './time.ts';

const S = { slots: 4, minBidConnects: 1, maxBidConnects: 100, auctionDays: 7, opensToEnd: 3, viewsToEnd: 5 };
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const fresh = (): Auction => openAuction('job-1', T0, S);

function place(auction: Auction, proposalId: string, bid: number, now = T0 + MS_PER_HOUR): AuctionStep {
  const r = placeBoost(auction, { proposalId, freelancerId: `f-${proposalId}`, bidConnects: bid }, now, S);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function placeAll(bids: Record<string, number>, now = T0 + MS_PER_HOUR): Auction {
  return Object.entries(bids).reduce((a, [id, bid]) => place(a, id, bid, now).auction, fresh());
}

const ids = (a: Auction): string[] => ranking(a).map((b) => b.proposalId);
const statusOf = (a: Auction, id: string) => a.boosts.find((b) => b.proposalId === id)?.status;
const fx = (kind: BoostEffect['kind'], id: string, connects: number): BoostEffect => ({
  kind,
  proposalId: id,
  freelancerId: `f-${id}`,
  connects,
});

describe('placing a boost', () => {
  it('holds the bid and releases a held boost pushed out of the top 4', () => {
    const a = placeAll({ p1: 5, p2: 6, p3: 7, p4: 8 });
    const step = place(a, 'p5', 9);
    expect(step.effects).toEqual([fx('hold', 'p5', 9), fx('release', 'p1', 5)]);
    expect(ids(step.auction)).toEqual(['p5', 'p4', 'p3', 'p2']);
    expect(statusOf(step.auction, 'p1')).toBe('released');
  });

  it('places and releases at once a bid that does not reach the slots', () => {
    const step = place(placeAll({ p1: 5, p2: 6, p3: 7, p4: 8 }), 'p5', 2);
    expect(step.effects).toEqual([fx('hold', 'p5', 2), fx('release', 'p5', 2)]);
    expect(auctionTotals(step.auction)).toEqual({ held: 26, charged: 0, released: 2, placed: 28 });
  });

  it('breaks ties by earlier placement: instant first, then order within the instant', () => {
    let a = place(fresh(), 'late', 5, T0 + 2 * MS_PER_HOUR).auction;
    for (const id of ['a', 'b', 'c']) a = place(a, id, 5, T0 + MS_PER_HOUR).auction;
    expect(ids(a)).toEqual(['a', 'b', 'c', 'late']);
    const step = place(a, 'd', 5, T0 + MS_PER_HOUR);
    expect(step.effects).toEqual([fx('hold', 'd', 5), fx('release', 'late', 5)]);
    expect(ids(step.auction)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a closed auction, a second boost and bids out of range, with reasons', () => {
    const a = placeAll({ p1: 5 });
    const reason = (r: ReturnType<typeof placeBoost>) =>
      r.ok ? 'ok' : `${r.error.code}/${r.error.details?.reason}`;
    const bid = (id: string, n: number, now = T0) =>
      reason(placeBoost(a, { proposalId: id, freelancerId: 'f', bidConnects: n }, now, S));
    expect(bid('p2', 3, a.closesAt)).toBe('conflict/auction_closed');
    expect(bid('p2', 3, a.closesAt - 1)).toBe('ok');
    expect(bid('p1', 3)).toBe('conflict/boost_exists');
    expect(bid('p2', 0)).toBe('invalid_amount/bid_below_min');
    expect(bid('p2', 101)).toBe('invalid_amount/bid_above_max');
    expect(bid('p2', 1.5)).toBe('invalid_amount/not_whole_connects');
    const hired = closeAuction(a, T0 + MS_PER_DAY, S, 'hire').auction;
    expect(reason(placeBoost(hired, { proposalId: 'p2', freelancerId: 'f', bidConnects: 3 }, T0, S))).toBe(
      'conflict/auction_closed',
    );
  });

  it('never lets a released boost back in', () => {
    const a = place(placeAll({ p1: 5, p2: 6, p3: 7, p4: 8 }), 'p5', 9).auction;
    const r = placeBoost(a, { proposalId: 'p1', freelancerId: 'f-p1', bidConnects: 50 }, T0 + MS_PER_DAY, S);
    expect(r.ok).toBe(false);
  });

  it('does not mutate its input', () => {
    const a = placeAll({ p1: 5, p2: 6, p3: 7, p4: 8 });
    const before = JSON.stringify(a);
    place(a, 'p5', 9);
    interact(a, 'p1', 'opens', T0, S);
    closeAuction(a, a.closesAt, S, 'deadline');
    expect(JSON.stringify(a)).toBe(before);
  });
});

describe('client interactions', () => {
  it('charges a held boost in the slots; a view or a proposal without a live boost charges nothing', () => {
    let a = place(placeAll({ p1: 5, p2: 6, p3: 7, p4: 8 }), 'p5', 9).auction;
    expect(interact(a, 'p1', 'opens', T0, S).effects).toEqual([]); // outbid earlier: released
    expect(interact(a, 'nobody', 'opens', T0, S).effects).toEqual([]);
    expect(interact(a, 'p3', 'views', T0, S).effects).toEqual([]);
    const step = interact(a, 'p3', 'shortlists', T0, S);
    expect(step.effects).toEqual([fx('capture', 'p3', 7)]);
    a = step.auction;
    expect(statusOf(a, 'p3')).toBe('charged');
    expect(interact(a, 'p3', 'messages', T0, S).effects).toEqual([]); // charged once only
  });

  it('keeps a charged boost at its rank: later bids enter below it and never push it out', () => {
    let a = placeAll({ p1: 10, p2: 8, p3: 6, p4: 4 });
    a = interact(a, 'p2', 'opens', T0 + 2 * MS_PER_HOUR, S).auction;
    let step = place(a, 'p5', 9, T0 + 3 * MS_PER_HOUR);
    expect(ids(step.auction)).toEqual(['p1', 'p2', 'p5', 'p3']);
    expect(step.effects).toContainEqual(fx('release', 'p4', 4));
    step = place(step.auction, 'p6', 20, T0 + 4 * MS_PER_HOUR);
    expect(ids(step.auction)).toEqual(['p1', 'p2', 'p6', 'p5']);
    // Charge the remaining slots; then even the highest bid cannot enter.
    a = ['p1', 'p6', 'p5'].reduce(
      (x, id) => interact(x, id, 'messages', T0 + 5 * MS_PER_HOUR, S).auction,
      step.auction,
    );
    step = place(a, 'p7', 100, T0 + 6 * MS_PER_HOUR);
    expect(step.effects).toEqual([fx('hold', 'p7', 100), fx('release', 'p7', 100)]);
    expect(ids(step.auction)).toEqual(['p1', 'p2', 'p6', 'p5']);
  });

  it('ends the boosted display after 3 opens (the charging open counts) or 5 views', () => {
    let a = placeAll({ p1: 5, p2: 6 });
    const t = (h: number) => T0 + h * MS_PER_HOUR;
    a = interact(a, 'p1', 'opens', t(2), S).auction;
    a = interact(a, 'p1', 'messages', t(3), S).auction;
    a = interact(a, 'p1', 'opens', t(4), S).auction;
    expect(boostedShown(a, S).map((b) => b.proposalId)).toEqual(['p2', 'p1']);
    a = interact(a, 'p1', 'opens', t(5), S).auction;
    expect(a.boosts.find((b) => b.proposalId === 'p1')?.endedAt).toBe(t(5));
    a = interact(a, 'p2', 'offers', t(6), S).auction;
    for (let h = 7; h < 11; h++) a = interact(a, 'p2', 'views', t(h), S).auction;
    expect(boostedShown(a, S).map((b) => b.proposalId)).toEqual(['p2']);
    a = interact(a, 'p2', 'views', t(11), S).auction;
    expect(boostedShown(a, S)).toEqual([]);
    // Ended boosts stay charged and keep occupying their slots.
    expect(ids(a)).toEqual(['p2', 'p1']);
    expect(a.boosts.every((b) => b.status === 'charged' && !isBoostedShown(b))).toBe(true);
  });
});

describe('closing', () => {
  it('charges exactly the held boosts in the slots, once', () => {
    let a = place(placeAll({ p1: 5, p2: 6, p3: 7, p4: 8 }), 'p5', 9).auction;
    a = interact(a, 'p4', 'opens', T0 + MS_PER_DAY, S).auction;
    expect(dueToClose(a, a.closesAt - 1)).toBe(false);
    expect(dueToClose(a, a.closesAt)).toBe(true);
    const step = closeAuction(a, a.closesAt, S, 'deadline');
    expect(step.effects).toEqual([fx('capture', 'p2', 6), fx('capture', 'p3', 7), fx('capture', 'p5', 9)]);
    expect(step.auction.closedAt).toBe(a.closesAt);
    expect(dueToClose(step.auction, a.closesAt + 1)).toBe(false);
    expect(auctionTotals(step.auction)).toEqual({ held: 0, charged: 30, released: 5, placed: 35 });
    expect(closeAuction(step.auction, a.closesAt + 1, S, 'hire')).toEqual({
      auction: step.auction,
      effects: [],
    });
  });

  it('closes early at the first hire; a deadline close before closesAt is a bug', () => {
    const a = placeAll({ p1: 5 });
    const step = closeAuction(a, T0 + MS_PER_DAY, S, 'hire');
    expect(step.auction.closeReason).toBe('hire');
    expect(step.effects).toEqual([fx('capture', 'p1', 5)]);
    expect(() => closeAuction(a, T0 + MS_PER_DAY, S, 'deadline')).toThrow(/assertion/);
  });
});

describe('the worked example of docs/boosts-and-badge.md', () => {
  it('ends with 47 charged and 13 released of 60 placed', () => {
    const h = (n: number) => T0 + n * MS_PER_HOUR;
    let a = placeAll({ ana: 10, ben: 8, cleo: 6, dev: 4 });
    a = interact(a, 'ben', 'opens', h(24), S).auction;
    a = place(a, 'eve', 9, h(25)).auction;
    a = place(a, 'fay', 20, h(26)).auction;
    a = place(a, 'gus', 3, h(27)).auction;
    a = interact(interact(a, 'ben', 'opens', h(28), S).auction, 'ben', 'opens', h(29), S).auction;
    expect(boostedShown(a, S).map((b) => b.proposalId)).toEqual(['ana', 'fay', 'eve']);
    const step = closeAuction(a, h(48), S, 'hire');
    expect(step.effects.map((e) => `${e.kind} ${e.proposalId} ${e.connects}`)).toEqual([
      'capture ana 10',
      'capture eve 9',
      'capture fay 20',
    ]);
    expect(auctionTotals(step.auction)).toEqual({ held: 0, charged: 47, released: 13, placed: 60 });
  });
});

// ---------------------------------------------------------------- properties

type Cmd =
  | { op: 'place'; p: number; bid: number; dt: number }
  | { op: 'interact'; p: number; kind: ClientInteraction; dt: number }
  | { op: 'close'; dt: number };

const dtArb = fc.integer({ min: 0, max: 2 * MS_PER_DAY });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('place' as const),
      p: fc.nat(11),
      bid: fc.integer({ min: 1, max: 12 }),
      dt: dtArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('interact' as const),
      p: fc.nat(11),
      kind: fc.constantFrom(...clientInteractions),
      dt: dtArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), dt: dtArb }) },
);
const settingsArb = fc.record({
  slots: fc.integer({ min: 1, max: 5 }),
  minBidConnects: fc.constant(1),
  maxBidConnects: fc.constant(12),
  auctionDays: fc.constant(7),
  opensToEnd: fc.integer({ min: 1, max: 4 }),
  viewsToEnd: fc.integer({ min: 1, max: 6 }),
});

describe('auction properties', () => {
  it('conserves bids, never releases or moves a charged boost, charges exactly slot holders on interaction or close, and its effects replay', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(cmdArb, { maxLength: 60 }), (settings, cmds) => {
        let a = openAuction('job', T0, settings);
        let now = T0;
        let placed = 0;
        const replay = new Map<string, { held: number; charged: number; released: number }>();
        const everCharged = new Set<string>();
        const rankWhenCharged = new Map<string, number>();
        for (const cmd of cmds) {
          now += cmd.dt;
          const before = ranking(a);
          const topHeld = before
            .slice(0, settings.slots)
            .filter((b) => b.status === 'held')
            .map((b) => b.proposalId);
          let step: AuctionStep;
          let expectedCharged: string[] = [];
          if (cmd.op === 'place') {
            const r = placeBoost(
              a,
              { proposalId: `p${cmd.p}`, freelancerId: `f${cmd.p}`, bidConnects: cmd.bid },
              now,
              settings,
            );
            if (!r.ok) continue;
            placed += cmd.bid;
            step = r.value;
          } else if (cmd.op === 'interact') {
            step = interact(a, `p${cmd.p}`, cmd.kind, now, settings);
            if (cmd.kind !== 'views' && topHeld.includes(`p${cmd.p}`)) expectedCharged = [`p${cmd.p}`];
          } else {
            const reason = dueToClose(a, now) ? 'deadline' : 'hire';
            if (a.closedAt === null) expectedCharged = topHeld;
            step = closeAuction(a, now, settings, reason);
          }
          for (const e of step.effects) {
            const r = replay.get(e.proposalId) ?? { held: 0, charged: 0, released: 0 };
            if (e.kind === 'hold') r.held += e.connects;
            if (e.kind === 'capture' || e.kind === 'release')
              expect(r.held).toBeGreaterThanOrEqual(e.connects);
            if (e.kind === 'capture')
              Object.assign(r, { held: r.held - e.connects, charged: r.charged + e.connects });
            if (e.kind === 'release')
              Object.assign(r, { held: r.held - e.connects, released: r.released + e.connects });
            replay.set(e.proposalId, r);
          }
          const newlyCharged = step.auction.boosts
            .filter((b) => b.status === 'charged' && !everCharged.has(b.proposalId))
            .map((b) => b.proposalId);
          expect(newlyCharged.sort()).toEqual([...expectedCharged].sort());
          a = step.auction;
          for (const id of everCharged) expect(statusOf(a, id)).toBe('charged');
          newlyCharged.forEach((id) => everCharged.add(id));
          const t = auctionTotals(a);
          expect(t.placed).toBe(placed);
          expect(t.held + t.charged + t.released).toBe(placed);
          expect(ranking(a).length).toBeLessThanOrEqual(settings.slots);
          // A charged boost keeps its rank for good.
          ranking(a).forEach((b, i) => {
            if (b.status === 'charged') expect(rankWhenCharged.get(b.proposalId) ?? i).toBe(i);
            if (b.status === 'charged') rankWhenCharged.set(b.proposalId, i);
          });
        }
        for (const b of a.boosts) {
          expect(replay.get(b.proposalId)).toEqual({
            held: b.status === 'held' ? b.bidConnects : 0,
            charged: b.status === 'charged' ? b.bidConnects : 0,
            released: b.status === 'released' ? b.bidConnects : 0,
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
