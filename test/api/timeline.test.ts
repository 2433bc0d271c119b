import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectsClient } from '../../src/client/index.ts';
import { TEST_START } from '../../src/http/testing/test-api.ts';
import { MS_PER_DAY, toIso } from '../../src/core/time.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';
import { expectFailure, openLiveApi, type LiveApi } from './kit.ts';

/**
 * A marketplace's month, then a year, over real HTTP through the typed
 * client, with time moved by the manual clock and the scheduler run on
 * request. Each step builds on the one before: six freelancers apply to one
 * job with boosts, the client interacts and interviews, the auction closes
 * at seven days, the job is cancelled and everything comes back, a badge
 * charges over weeks, and the first lots expire a year after signup.
 */
const at = (days: number, extraMs = 0): string => toIso(TEST_START + days * MS_PER_DAY + extraMs);
const CARD = '4242424242424242';
const ids = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'] as const;
type Id = (typeof ids)[number];
const boosts: Record<Id, number> = { f1: 10, f2: 8, f3: 6, f4: 4, f5: 9, f6: 3 };

describe.each(testEngines)('a whole timeline over HTTP on $name', { timeout: 180_000 }, (engine) => {
  let live: LiveApi;
  let admin: ConnectsClient;
  const as = {} as Record<Id, ConnectsClient>;

  beforeAll(async () => {
    live = await openLiveApi(engine);
    admin = live.admin;
  }, 180_000);
  afterAll(async () => {
    await live?.close();
  });

  it('registers six freelancers with tokens; one buys Connects', async () => {
    await live.register(...ids);
    for (const id of ids) as[id] = await live.as(id);
    expect(await live.balance('f1')).toEqual({ balance: 50, available: 50, held: 0 });
    const purchase = await as.f1.post('/v1/freelancers/{id}/purchases', {
      path: { id: 'f1' },
      body: { purchaseId: 'buy-1', connects: 20, card: CARD },
    });
    expect(purchase).toMatchObject({ status: 'succeeded', connects: 20, priceCents: 300 });
    expect(await live.balance('f1')).toEqual({ balance: 70, available: 70, held: 0 });
  });

  it('posts a job priced by the rate card', async () => {
    const job = await admin.post('/v1/jobs', {
      body: { id: 'J1', clientId: 'client-1', budgetCents: 60_000 },
    });
    expect(job).toMatchObject({ jobId: 'J1', connectsRequired: 6, status: 'open', postedAt: at(0) });
    expect(job.auction).toEqual({ closesAt: at(7), closedAt: null, closeReason: null });
    const { jobs } = await as.f1.get('/v1/jobs', { query: {} });
    expect(jobs.map((j) => j.jobId)).toContain('J1');
  });

  it('six freelancers propose with boosts: the fifth outbids the fourth, the sixth never ranks', async () => {
    for (const [i, id] of ids.entries()) {
      const out = await as[id].post('/v1/jobs/{id}/proposals', {
        path: { id: 'J1' },
        body: {
          proposalId: `p-${id}`,
          freelancerId: id,
          bidCents: 50_000 + i * 2_000,
          boostConnects: boosts[id],
        },
      });
      expect(out.proposal).toMatchObject({ costConnects: 6, status: 'active' });
      if (id === 'f5') expect(out.boost).toMatchObject({ status: 'held', rank: 2 });
      if (id === 'f6') expect(out.boost).toMatchObject({ status: 'released', rank: null });
    }
    expect(await live.balance('f1')).toEqual({ balance: 64, available: 54, held: 10 });
    expect(await live.balance('f4')).toEqual({ balance: 44, available: 44, held: 0 });
    expect(await live.balance('f6')).toEqual({ balance: 44, available: 44, held: 0 });

    const seen = await as.f1.get('/v1/jobs/{id}', { path: { id: 'J1' }, query: {} });
    expect(seen.ranking.map((r) => [r.rank, r.bidConnects, r.freelancerId])).toEqual([
      [1, 10, 'f1'],
      [2, 9, null],
      [3, 8, null],
      [4, 6, null],
    ]);
    expect(seen.bidRange).toBeNull();
    const operator = await admin.get('/v1/jobs/{id}', { path: { id: 'J1' }, query: {} });
    expect(operator.ranking.map((r) => r.freelancerId)).toEqual(['f1', 'f5', 'f2', 'f3']);
    expect(operator.bidRange).toEqual({
      jobId: 'J1',
      proposals: 6,
      lowCents: 50_000,
      averageCents: 55_000,
      highCents: 60_000,
    });
  });

  it('a client interaction charges a held boost once, however often it is retried', async () => {
    const send = () =>
      admin.raw('post', '/v1/proposals/{id}/interactions', {
        path: { id: 'p-f2' },
        body: { kind: 'opens' },
        idempotencyKey: 'open-p-f2',
      });
    const first = await send();
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ chargedConnects: 8, boost: { status: 'charged', opens: 1 } });
    const retry = await send();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toMatchObject({ chargedConnects: 8, replayed: true });
    expect(await live.balance('f2')).toEqual({ balance: 36, available: 36, held: 0 });

    const view = await admin.post('/v1/proposals/{id}/interactions', {
      path: { id: 'p-f3' },
      body: { kind: 'views' },
    });
    // A view charges nothing, and views count towards the end of the mark only once charged.
    expect(view).toMatchObject({ chargedConnects: 0, boost: { status: 'held', views: 0 } });
  });

  it('a withdrawn proposal keeps its cost; its held boost is released', async () => {
    await admin.post('/v1/jobs', { body: { id: 'J7', clientId: 'client-2', connectsRequired: 4 } });
    await as.f2.post('/v1/jobs/{id}/proposals', {
      path: { id: 'J7' },
      body: { proposalId: 'p-f2-J7', freelancerId: 'f2', bidCents: 1_000, boostConnects: 2 },
    });
    expect(await live.balance('f2')).toEqual({ balance: 32, available: 30, held: 2 });
    await expectFailure(
      as.f6.post('/v1/proposals/{id}/withdraw', { path: { id: 'p-f2-J7' } }),
      404,
      'proposal_not_found',
    );
    const out = await as.f2.post('/v1/proposals/{id}/withdraw', { path: { id: 'p-f2-J7' } });
    expect(out).toMatchObject({
      proposal: { status: 'withdrawn', costConnects: 4 },
      boost: { status: 'released' },
    });
    expect(await live.balance('f2')).toEqual({ balance: 32, available: 32, held: 0 });
  });

  it('interviews earn 10 each until 50 in a rolling week; the sixth is withheld', async () => {
    await live.setClock(at(1));
    for (let n = 2; n <= 6; n++) {
      await admin.post('/v1/jobs', { body: { id: `J${n}`, clientId: 'client-1', connectsRequired: 0 } });
      await as.f1.post('/v1/jobs/{id}/proposals', {
        path: { id: `J${n}` },
        body: { proposalId: `p-f1-J${n}`, freelancerId: 'f1', bidCents: 10_000 },
      });
    }
    const proposals = ['p-f1', 'p-f1-J2', 'p-f1-J3', 'p-f1-J4', 'p-f1-J5', 'p-f1-J6'];
    const rewards = [];
    for (const id of proposals)
      rewards.push(await admin.post('/v1/proposals/{id}/interviews', { path: { id } }));
    expect(rewards.map((r) => [r.connects, r.withheldConnects, r.reason])).toEqual([
      [10, 0, null],
      [10, 0, null],
      [10, 0, null],
      [10, 0, null],
      [10, 0, null],
      [0, 10, 'weekly_cap'],
    ]);
    const again = await admin.post('/v1/proposals/{id}/interviews', { path: { id: 'p-f1' } });
    expect(again).toMatchObject({ connects: 10, replayed: true });
    expect(await live.balance('f1')).toEqual({ balance: 114, available: 104, held: 10 });
  });

  it('a Plus member sees the bid range; a Basic member is refused it when asking', async () => {
    await as.f3.put('/v1/freelancers/{id}/plan', { path: { id: 'f3' }, body: { plan: 'plus', card: CARD } });
    const plus = await as.f3.get('/v1/jobs/{id}', { path: { id: 'J1' }, query: {} });
    expect(plus.bidRange).toMatchObject({ lowCents: 50_000, highCents: 60_000 });
    expect((await as.f4.get('/v1/jobs/{id}', { path: { id: 'J1' }, query: {} })).bidRange).toBeNull();
    await expectFailure(
      as.f4.get('/v1/jobs/{id}/bid-range', { path: { id: 'J1' }, query: {} }),
      422,
      'plan_required',
    );
    await expectFailure(
      admin.get('/v1/jobs/{id}/bid-range', { path: { id: 'J1' }, query: { viewer: 'f4' } }),
      422,
      'plan_required',
    );
    // f3's own $540 is left out: the average of its five competitors' bids.
    expect(await as.f3.get('/v1/jobs/{id}/bid-range', { path: { id: 'J1' }, query: {} })).toMatchObject({
      proposals: 5,
      averageCents: 55_200,
    });
    // The operator sees all six.
    expect(await admin.get('/v1/jobs/{id}/bid-range', { path: { id: 'J1' }, query: {} })).toMatchObject({
      proposals: 6,
      averageCents: 55_000,
    });
  });

  it('the auction closes at seven days when the scheduler runs: the slots are charged', async () => {
    await live.setClock(at(7));
    const run = await live.tick();
    // J1 and J7 were posted on day 0; the interview jobs on day 1 close tomorrow.
    expect(run.auctionsClosed).toBe(2);
    const job = await admin.get('/v1/jobs/{id}', { path: { id: 'J1' }, query: {} });
    expect(job.job.auction).toEqual({ closesAt: at(7), closedAt: at(7), closeReason: 'deadline' });
    expect(job.ranking.map((r) => [r.freelancerId, r.status])).toEqual([
      ['f1', 'charged'],
      ['f5', 'charged'],
      ['f2', 'charged'],
      ['f3', 'charged'],
    ]);
    expect(await live.balance('f1')).toEqual({ balance: 104, available: 104, held: 0 });
    expect(await live.balance('f5')).toEqual({ balance: 35, available: 35, held: 0 });
  });

  it('cancelling the job refunds every cost and charged boost; hiring is then refused', async () => {
    await live.setClock(at(8));
    const before = await Promise.all(ids.map((id) => live.balance(id)));
    const out = await admin.post('/v1/jobs/{id}/cancel', { path: { id: 'J1' }, body: { reason: 'client' } });
    expect(out).toMatchObject({ refundedConnects: 36 + 33, releasedConnects: 0, replayed: false });
    expect(out.job).toMatchObject({ status: 'cancelled', closedAt: at(8) });
    const after = await Promise.all(ids.map((id) => live.balance(id)));
    const back = after.map((b, i) => b.balance - (before[i]?.balance ?? 0));
    expect(back).toEqual([16, 14, 12, 6, 15, 6]);
    const { entries } = await as.f5.get('/v1/freelancers/{id}/entries', {
      path: { id: 'f5' },
      query: { type: 'refund' },
    });
    expect(entries.map((e) => e.amount).sort()).toEqual([6, 9]);

    const again = await admin.post('/v1/jobs/{id}/cancel', {
      path: { id: 'J1' },
      body: { reason: 'client' },
    });
    expect(again).toMatchObject({ refundedConnects: 69, replayed: true });
    await expectFailure(
      admin.post('/v1/jobs/{id}/cancel', { path: { id: 'J1' }, body: { reason: 'tos' } }),
      409,
      'idempotency_conflict',
    );
    await expectFailure(
      admin.post('/v1/jobs/{id}/hire', { path: { id: 'J1' }, body: { proposalId: 'p-f1' } }),
      409,
      'job_closed',
    );
    const { jobs } = await admin.get('/v1/jobs', { query: {} });
    expect(jobs.map((j) => j.jobId)).not.toContain('J1');
  });

  it('the availability badge charges one Connect a day for two weeks, then stops above the maximum', async () => {
    await admin.put('/v1/admin/badge-price', { body: { weeklyPriceConnects: 7 } });
    const on = await as.f4.put('/v1/freelancers/{id}/availability-badge', {
      path: { id: 'f4' },
      body: { on: true, weeklyMaxConnects: 7 },
    });
    expect(on).toMatchObject({ on: true, weeklyPriceConnects: 7, since: at(8), nextChargeAt: at(9) });
    await live.setClock(at(22));
    expect((await live.tick()).badgesCharged).toBe(1);
    expect(await live.balance('f4')).toEqual({ balance: 36, available: 36, held: 0 });
    const { entries } = await as.f4.get('/v1/freelancers/{id}/entries', {
      path: { id: 'f4' },
      query: { ref: 'badge', limit: 50 },
    });
    expect(entries).toHaveLength(14);

    await admin.put('/v1/admin/badge-price', { body: { weeklyPriceConnects: 10 } });
    await live.setClock(at(23));
    await live.tick();
    const off = await as.f4.get('/v1/freelancers/{id}/availability-badge', { path: { id: 'f4' } });
    expect(off).toMatchObject({
      on: false,
      offReason: 'price_above_max',
      offAt: at(22),
      weeklyPriceConnects: 10,
    });
    expect(await live.balance('f4')).toEqual({ balance: 36, available: 36, held: 0 });
  });

  it('a year after signup the first lots expire; the monthly allotments since are still there', async () => {
    const signupExpiry = '2025-03-10T12:00:00.000Z';
    await live.setClock(signupExpiry);
    await live.tick();
    const { entries } = await as.f6.get('/v1/freelancers/{id}/entries', {
      path: { id: 'f6' },
      query: { type: 'expiry' },
    });
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(50);
    expect(new Set(entries.map((e) => e.effectiveAt))).toEqual(new Set([signupExpiry]));
    // Twelve monthly cycles (2024-04-10 to 2025-03-10) at 10 each.
    expect(await live.balance('f6')).toEqual({ balance: 120, available: 120, held: 0 });
    expect(await live.balance('f6', '2025-03-10T11:59:59Z')).toEqual({
      balance: 170,
      available: 170,
      held: 0,
    });
  });
});
