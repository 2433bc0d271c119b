import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientInteractions } from '../../core/boost-auction.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import type { AppContext } from '../context.ts';
import { cancelJob } from '../jobs/cancel-job.ts';
import { hireFreelancer } from '../jobs/hire-freelancer.ts';
import { postJob } from '../jobs/post-job.ts';
import { addFreelancer, DAY, freshId, fund, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { submitProposal } from '../proposals/submit-proposal.ts';
import { withdrawProposal } from '../proposals/withdraw-proposal.ts';
import { closeDueAuctions } from './close-due-auctions.ts';
import { interactWithProposal } from './interact-with-proposal.ts';

const FREELANCERS = 8;
const HOUR = 3_600_000;

/** What happens while the auction runs. */
const step = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('submit' as const),
      f: fc.nat(FREELANCERS - 1),
      boost: fc.nat(15),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('interact' as const),
      p: fc.nat(20),
      kind: fc.constantFrom(...clientInteractions),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('withdraw' as const), p: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 30 }) }),
  },
);

/** How the job ends: still open, the deadline, a hire, a cancellation, or the deadline and then a cancellation. */
const ending = fc.record({
  how: fc.constantFrom('none', 'deadline', 'hire', 'cancel', 'deadline_then_cancel'),
  p: fc.nat(20),
});

/** Mostly enough for a proposal and a boost; sometimes too little, so refusals happen too. */
const funding = fc.oneof(
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 }) },
  { weight: 4, arbitrary: fc.integer({ min: 20, max: 60 }) },
);

interface BoostRow {
  proposal_id: string;
  freelancer_id: string;
  bid_connects: number;
  status: 'held' | 'charged' | 'released';
  refunded_at: number | null;
}

const holdStatus = { held: 'active', charged: 'captured', released: 'released' } as const;

/**
 * Random sequences of proposals with boosts, client interactions and
 * withdrawals, ended by the deadline, a hire or a cancellation, run through
 * the use cases on PGlite. After every step: per job held + charged +
 * released equals the Connects bid; the ledger's boost holds are exactly the
 * auction's boosts (active = held, captured = charged, released = released);
 * and every balance equals what was funded minus unrefunded costs and charged
 * boosts, with the held bids held.
 */
describe.each(testEngines.filter((e) => e.name === 'pglite'))(
  'boost auction properties on $name',
  (engine) => {
    let opened: OpenedEngine;
    let store: LedgerStore;
    let ctx: AppContext;
    beforeAll(async () => {
      opened = await engine.open();
      store = opened.store;
      ctx = jobsContext(store);
    });
    afterAll(async () => {
      expect(await checkInvariants(opened.client)).toEqual([]);
      await opened.cleanup();
    });

    /** What the generated runs reached: boost states, refunds and refusals (checked at the end). */
    const seen = new Set<string>();

    async function check(jobId: string, funded: ReadonlyMap<string, number>, now: number): Promise<void> {
      const boosts = (
        await store.query<BoostRow>(
          'SELECT proposal_id, freelancer_id, bid_connects, status, refunded_at FROM boosts WHERE job_id = $1',
          [jobId],
        )
      ).rows;
      const placed = await store.query<{ bid: number | null }>(
        'SELECT sum(boost_connects)::int AS bid FROM proposals WHERE job_id = $1',
        [jobId],
      );
      const total = (list: readonly BoostRow[]) => list.reduce((sum, b) => sum + b.bid_connects, 0);
      expect(total(boosts)).toBe(placed.rows[0]?.bid ?? 0);
      for (const b of boosts) seen.add(b.refunded_at === null ? b.status : 'refunded');
      expect(boosts.filter((b) => b.status === 'held').length).toBeLessThanOrEqual(4);
      for (const [fl, amount] of funded) {
        const mine = boosts.filter((b) => b.freelancer_id === fl);
        const holds = await store.holds(fl, { includeSettled: true });
        expect(holds.map((h) => [h.holdId, h.status]).sort()).toEqual(
          mine.map((b) => [`boost:${b.proposal_id}`, holdStatus[b.status]]).sort(),
        );
        const costs = await store.query<{ cost: number | null }>(
          'SELECT sum(cost_connects)::int AS cost FROM proposals WHERE freelancer_id = $1 AND refunded_at IS NULL',
          [fl],
        );
        const spent =
          (costs.rows[0]?.cost ?? 0) + total(mine.filter((b) => b.status === 'charged' && !b.refunded_at));
        const held = total(mine.filter((b) => b.status === 'held'));
        expect(await store.balance(fl, now)).toEqual({
          balance: amount - spent,
          available: amount - spent - held,
          held,
        });
      }
    }

    it('keeps the auction, the ledger holds and the balances in agreement', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(funding, { minLength: FREELANCERS, maxLength: FREELANCERS }),
          fc.array(step, { minLength: 4, maxLength: 24, size: 'max' }),
          ending,
          async (funds, steps, end) => {
            run += 1;
            const base = T0 + run * 30 * DAY;
            const jobId = freshId('job');
            value(await postJob(ctx, { id: jobId, clientId: 'cl', budgetCents: 60_000 }, base));
            const fls: string[] = [];
            const funded = new Map<string, number>();
            for (const amount of funds) {
              const fl = await addFreelancer(store);
              if (amount > 0) await fund(store, fl, amount, base);
              fls.push(fl);
              funded.set(fl, amount);
            }
            const proposals: { id: string; fl: string }[] = [];
            const pick = (p: number) => proposals[p % Math.max(1, proposals.length)];
            let now = base;
            for (const [i, s] of steps.entries()) {
              now += s.k === 'advance' ? s.hours * HOUR : 1;
              if (s.k === 'submit') {
                const input = { proposalId: `${jobId}-${i}`, jobId, freelancerId: fls[s.f]!, bidCents: 100 };
                const r = await submitProposal(
                  ctx,
                  s.boost === 0 ? input : { ...input, boostConnects: s.boost },
                  now,
                );
                if (r.ok) proposals.push({ id: input.proposalId, fl: input.freelancerId });
                else seen.add(r.error.code);
              }
              const target = s.k === 'interact' || s.k === 'withdraw' ? pick(s.p) : undefined;
              if (s.k === 'interact' && target !== undefined) {
                await interactWithProposal(
                  ctx,
                  { interactionId: `i${i}`, proposalId: target.id, kind: s.kind },
                  now,
                );
              }
              if (s.k === 'withdraw' && target !== undefined) {
                await withdrawProposal(ctx, { proposalId: target.id, freelancerId: target.fl }, now);
              }
              await check(jobId, funded, now);
            }
            now += HOUR;
            if (end.how === 'deadline' || end.how === 'deadline_then_cancel') {
              now = Math.max(now, base + 7 * DAY);
              await closeDueAuctions(ctx, now, 1000);
              await check(jobId, funded, now);
            }
            const hired = pick(end.p);
            if (end.how === 'hire' && hired !== undefined)
              await hireFreelancer(ctx, { proposalId: hired.id }, now);
            if (end.how === 'cancel' || end.how === 'deadline_then_cancel') {
              await cancelJob(ctx, { jobId, reason: 'client' }, now + 1);
            }
            await check(jobId, funded, now + 1);
          },
        ),
        { numRuns: 30 },
      );
    }, 300_000);
  },
);
