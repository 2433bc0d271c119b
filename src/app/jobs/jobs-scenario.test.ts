import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { closeDueAuctions } from '../boosts/close-due-auctions.ts';
import { interactWithProposal } from '../boosts/interact-with-proposal.ts';
import type { AppContext } from '../context.ts';
import { submitProposal } from '../proposals/submit-proposal.ts';
import { cancelJob } from './cancel-job.ts';
import { getJob } from './get-job.ts';
import { hireFreelancer } from './hire-freelancer.ts';
import { postJob } from './post-job.ts';
import { addFreelancer, code, DAY, freshId, fund, jobsContext, T0, value } from './test-kit.ts';

const HOUR = 3_600_000;

/**
 * One week of three jobs on a fixed clock: job A runs its boost auction to the
 * 7-day deadline, job B closes early at a hire, job C is cancelled after one
 * freelancer's lot expired. Every balance is checked by hand.
 */
describe.each(testEngines)('jobs scenario on $name', (engine) => {
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

  it('runs proposals, boosts, interactions, close, hire and cancel with exact balances', async () => {
    const f: string[] = [];
    for (let i = 0; i < 6; i++) {
      f.push(await addFreelancer(store));
      // F6 (index 5) also holds a small lot that expires on day 4.
      if (i === 5) await fund(store, f[i]!, 9, T0 - HOUR, T0 + 4 * DAY);
      await fund(store, f[i]!, 40, T0 - HOUR);
    }
    const [f1, f2, f3, f4, f5, f6] = f as [string, string, string, string, string, string];
    const bal = (fl: string, t: number) => store.balance(fl, t);
    const [a, b, c] = [freshId('job-a'), freshId('job-b'), freshId('job-c')];
    value(await postJob(ctx, { id: a, clientId: 'cl', budgetCents: 60_000 }, T0));
    value(await postJob(ctx, { id: b, clientId: 'cl', budgetCents: 3_000 }, T0));
    value(await postJob(ctx, { id: c, clientId: 'cl', hourly: true }, T0));
    const pid = (job: string, fl: string) => `${job}-${fl}`;
    const submit = async (job: string, fl: string, boost: number, t: number) =>
      value(
        await submitProposal(
          ctx,
          { proposalId: pid(job, fl), jobId: job, freelancerId: fl, bidCents: 1000, boostConnects: boost },
          t,
        ),
      );
    const open = async (job: string, fl: string, n: string, t: number) =>
      value(
        await interactWithProposal(ctx, { interactionId: n, proposalId: pid(job, fl), kind: 'opens' }, t),
      );

    // Job C: F6's cost (8) and boost (1) come from its short lot; F5 pays from its long lot.
    await submit(c, f6, 1, T0 + HOUR);
    await submit(c, f5, 2, T0 + HOUR);
    expect(await bal(f6, T0 + HOUR)).toEqual({ balance: 41, available: 40, held: 1 });
    // Job A: four boosts fill the slots.
    await submit(a, f1, 10, T0 + 2 * HOUR);
    await submit(a, f2, 8, T0 + 2 * HOUR);
    await submit(a, f3, 6, T0 + 2 * HOUR);
    await submit(a, f4, 4, T0 + 2 * HOUR);
    expect(await bal(f1, T0 + 2 * HOUR)).toEqual({ balance: 34, available: 24, held: 10 });

    // Day 1: the client opens F2's proposal on A and F6's on C: both bids are charged.
    expect((await open(a, f2, 'i1', T0 + DAY)).chargedConnects).toBe(8);
    expect((await open(c, f6, 'i2', T0 + DAY)).chargedConnects).toBe(1);
    expect((await open(c, f6, 'i2', T0 + DAY)).replayed).toBe(true);
    expect(await bal(f2, T0 + DAY)).toEqual({ balance: 26, available: 26, held: 0 });
    expect(await bal(f6, T0 + DAY)).toEqual({ balance: 40, available: 40, held: 0 });

    // Day 2: F5 bids 9 and pushes F4 (4) out: F4's hold is released on F4's account.
    const f5a = await submit(a, f5, 9, T0 + 2 * DAY);
    expect(f5a.boost).toMatchObject({ status: 'held', rank: 3 });
    expect(await bal(f4, T0 + 2 * DAY)).toEqual({ balance: 34, available: 34, held: 0 });
    expect(await bal(f5, T0 + 2 * DAY)).toEqual({ balance: 26, available: 15, held: 11 });
    // Day 3: F6 bids 20, enters below the pinned F1 and F2, and pushes F3 (6) out.
    await submit(a, f6, 20, T0 + 3 * DAY);
    expect(await bal(f3, T0 + 3 * DAY)).toEqual({ balance: 34, available: 34, held: 0 });
    expect(await bal(f6, T0 + 3 * DAY)).toEqual({ balance: 34, available: 14, held: 20 });
    await open(a, f2, 'i3', T0 + 3 * DAY);
    await open(a, f2, 'i4', T0 + 3 * DAY);
    const seen = value(await getJob(ctx, { jobId: a }, T0 + 3 * DAY)).ranking;
    expect(seen.map((r) => [r.freelancerId, r.status, r.boosted])).toEqual([
      [f1, 'held', true],
      [f2, 'charged', false],
      [f6, 'held', true],
      [f5, 'held', true],
    ]);

    // Job B: two boosts, then a hire on day 5 closes its auction early and charges both.
    await submit(b, f3, 5, T0 + 4 * DAY);
    await submit(b, f4, 2, T0 + 4 * DAY);
    const hired = value(await hireFreelancer(ctx, { proposalId: pid(b, f4) }, T0 + 5 * DAY));
    expect(hired).toMatchObject({ chargedConnects: 7, releasedConnects: 0, job: { status: 'hired' } });
    expect(hired.job.auction).toMatchObject({ closedAt: T0 + 5 * DAY, closeReason: 'hire' });
    expect(await bal(f3, T0 + 5 * DAY)).toEqual({ balance: 27, available: 27, held: 0 });
    expect(await bal(f4, T0 + 5 * DAY)).toEqual({ balance: 30, available: 30, held: 0 });
    expect(code(await cancelJob(ctx, { jobId: b, reason: 'client' }, T0 + 5 * DAY))).toBe('job_closed');

    // Day 5: job C is cancelled. F6's short lot expired on day 4: its refunds expire at once.
    const cancelled = value(await cancelJob(ctx, { jobId: c, reason: 'client' }, T0 + 5 * DAY));
    expect(cancelled).toMatchObject({
      refundedConnects: 17,
      releasedConnects: 2,
      job: { status: 'cancelled' },
    });
    expect(await bal(f6, T0 + 5 * DAY)).toEqual({ balance: 34, available: 14, held: 20 });
    expect(await bal(f5, T0 + 5 * DAY)).toEqual({ balance: 34, available: 25, held: 9 });
    const refunds = value(await store.entries(f6, { ref: `proposal:${pid(c, f6)}`, order: 'asc' })).entries;
    expect(refunds.map((e) => [e.type, e.amount])).toEqual([
      ['debit', 8],
      ['hold', 1],
      ['hold_capture', 1],
      ['refund', 8],
      ['refund', 1],
    ]);
    const f6Expiries = value(await store.entries(f6, { types: ['expiry'], since: T0 })).entries;
    expect(f6Expiries.reduce((sum, e) => sum + e.amount, 0)).toBe(9);
    const again = value(await cancelJob(ctx, { jobId: c, reason: 'client' }, T0 + 6 * DAY));
    expect(again).toEqual({ ...cancelled, replayed: true });
    expect(await bal(f5, T0 + 6 * DAY)).toEqual({ balance: 34, available: 25, held: 9 });

    // Day 7: the deadline closes A: the held boosts in the slots (F1, F6, F5) are charged.
    expect(await closeDueAuctions(ctx, T0 + 7 * DAY, 100)).toBe(1);
    expect(await closeDueAuctions(ctx, T0 + 7 * DAY, 100)).toBe(0);
    const balances = await Promise.all(f.map((fl) => bal(fl, T0 + 7 * DAY)));
    expect(balances.map((x) => x.balance)).toEqual([24, 26, 27, 30, 25, 14]);
    expect(balances.every((x) => x.held === 0)).toBe(true);
    const closed = value(await getJob(ctx, { jobId: a }, T0 + 7 * DAY));
    expect(closed.job.auction).toMatchObject({ closedAt: T0 + 7 * DAY, closeReason: 'deadline' });
    expect(closed.ranking.map((r) => [r.freelancerId, r.status])).toEqual([
      [f1, 'charged'],
      [f2, 'charged'],
      [f6, 'charged'],
      [f5, 'charged'],
    ]);
    const totals = await store.query<{ status: string; connects: number }>(
      'SELECT status, sum(bid_connects)::int AS connects FROM boosts WHERE job_id = $1 GROUP BY status ORDER BY status',
      [a],
    );
    expect(totals.rows).toEqual([
      { status: 'charged', connects: 47 },
      { status: 'released', connects: 10 },
    ]);
  });
});
