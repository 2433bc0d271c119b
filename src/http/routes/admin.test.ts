import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

/**
 * The operator's routes (grants, badge price, tick, console) and the
 * marketplace's reward reports, over HTTP on both engines. The clock only
 * moves forward, so the tests run in order on one timeline.
 */
describe.each(testEngines)('admin and reward routes on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
  });
  afterAll(async () => {
    await h?.close();
  });

  const balance = async (id: string) =>
    (await h.admin.get('/v1/freelancers/{id}/balance', { path: { id }, query: {} })).balance;

  it('grants and removes Connects with a reason; a retry with the key adjusts once', async () => {
    await h.register('adm-ada');
    const grant = await h.admin.post('/v1/admin/grants', {
      body: { freelancerId: 'adm-ada', connects: 25, reason: 'support case 17' },
      idempotencyKey: 'case-17',
    });
    expect(grant).toMatchObject({
      freelancerId: 'adm-ada',
      connects: 25,
      entry: {
        type: 'adjustment',
        amount: 25,
        reason: 'support case 17',
        lot: { source: 'admin', amount: 25 },
      },
      balance: { balance: 75, available: 75, held: 0 },
    });
    const again = await h.admin.post('/v1/admin/grants', {
      body: { freelancerId: 'adm-ada', connects: 25, reason: 'support case 17' },
      idempotencyKey: 'case-17',
    });
    expect(again).toEqual(grant);
    const conflict = await apiError(
      h.admin.post('/v1/admin/grants', {
        body: { freelancerId: 'adm-ada', connects: 26, reason: 'support case 17' },
        idempotencyKey: 'case-17',
      }),
    );
    expect(conflict).toMatchObject({ status: 409, code: 'idempotency_conflict' });
    const removal = await h.admin.post('/v1/admin/grants', {
      body: { freelancerId: 'adm-ada', connects: -5, reason: 'double grant' },
    });
    expect(removal.balance.balance).toBe(70);
    const overdraw = await apiError(
      h.admin.post('/v1/admin/grants', {
        body: { freelancerId: 'adm-ada', connects: -71, reason: 'too much' },
      }),
    );
    expect(overdraw).toMatchObject({ status: 409, code: 'insufficient_connects' });
    expect(await balance('adm-ada')).toBe(70);
  });

  it('a long or spaced Idempotency-Key works for grants too', async () => {
    await h.register('adm-key');
    const send = () =>
      rawRequest(h, 'POST', '/v1/admin/grants', {
        body: JSON.stringify({ freelancerId: 'adm-key', connects: 3, reason: 'r' }),
        headers: { 'idempotency-key': `a key with spaces ${'x'.repeat(150)}` },
      });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(201);
    expect(await balance('adm-key')).toBe(53);
  });

  it('sets the badge price; everyone can read it', async () => {
    const set = await h.admin.put('/v1/admin/badge-price', { body: { weeklyPriceConnects: 7 } });
    expect(set).toEqual({ weeklyPriceConnects: 7, effectiveAt: '2024-03-10T12:00:00.000Z', changed: true });
    const same = await h.admin.put('/v1/admin/badge-price', { body: { weeklyPriceConnects: 7 } });
    expect(same.changed).toBe(false);
    const ada = await h.as('adm-ada');
    expect(await ada.get('/v1/badge-price')).toEqual({
      weeklyPriceConnects: 7,
      effectiveAt: '2024-03-10T12:00:00.000Z',
    });
  });

  it('reports Rising Talent facts: missing criteria, then the badge and its Connects once', async () => {
    await h.register('rt-bob');
    const bob = await h.as('rt-bob');
    const facts = {
      profileCompletenessPct: 80,
      availabilityUpdatedAt: '2024-03-09T00:00:00Z',
      proposalsMatchingSkills: true,
      tosViolationAt: [],
      hasJobSuccessScore: false,
      lastActiveAt: null,
    };
    const notYet = await bob.post('/v1/freelancers/{id}/facts', { path: { id: 'rt-bob' }, body: facts });
    expect(notYet).toEqual({ eligible: false, missing: ['profile_incomplete'], granted: false, badge: null });
    const full = { ...facts, profileCompletenessPct: 100 };
    const granted = await bob.post('/v1/freelancers/{id}/facts', { path: { id: 'rt-bob' }, body: full });
    expect(granted).toMatchObject({ eligible: true, missing: [], granted: true, badge: { connects: 30 } });
    const repeat = await bob.post('/v1/freelancers/{id}/facts', { path: { id: 'rt-bob' }, body: full });
    expect(repeat).toMatchObject({ eligible: true, granted: false, badge: { connects: 30 } });
    expect(await balance('rt-bob')).toBe(80);
    const f = await bob.get('/v1/freelancers/{id}', { path: { id: 'rt-bob' } });
    expect(f.badges).toEqual([{ badge: 'rising_talent', grantedAt: '2024-03-10T12:00:00.000Z' }]);
  });

  it('records a certification bonus once; another certification is already_granted', async () => {
    await h.register('cert-cat');
    const path = { id: 'cert-cat' };
    const reward = await h.admin.post('/v1/freelancers/{id}/certifications', {
      path,
      body: { certificationId: 'aws-1' },
    });
    expect(reward).toEqual({
      reward: 'certification',
      ref: 'aws-1',
      connects: 10,
      grantedAt: '2024-03-10T12:00:00.000Z',
      replayed: false,
    });
    expect(
      await h.admin.post('/v1/freelancers/{id}/certifications', { path, body: { certificationId: 'aws-1' } }),
    ).toEqual({ ...reward, replayed: true });
    const other = await apiError(
      h.admin.post('/v1/freelancers/{id}/certifications', { path, body: { certificationId: 'gcp-2' } }),
    );
    expect(other).toMatchObject({ status: 409, code: 'already_granted' });
    expect(await balance('cert-cat')).toBe(60);
  });

  it('ticks on request after the clock moves: allotments issued once, summary returned', async () => {
    await h.register('tick-dan');
    const status = await h.admin.get('/v1/admin/scheduler');
    expect(status.looping).toBe(false);
    await h.setClock('2024-04-10T00:00:00Z');
    const run = await h.admin.post('/v1/admin/tick');
    expect(run).toMatchObject({ now: '2024-04-10T00:00:00.000Z', complete: true, failures: [] });
    expect(run.cycles).toBeGreaterThanOrEqual(1);
    expect(await balance('tick-dan')).toBe(60);
    const again = await h.admin.post('/v1/admin/tick');
    expect(again.cycles).toBe(0);
    expect(await balance('tick-dan')).toBe(60);
    const after = await h.admin.get('/v1/admin/scheduler');
    expect(after).toMatchObject({ looping: false, busy: false, lastError: null });
    expect(after.runs).toBeGreaterThanOrEqual(2);
    expect(after.lastRun?.now).toBe('2024-04-10T00:00:00.000Z');
  });

  it('lists freelancers for the console, by id with balances, filtered by prefix', async () => {
    const page = await h.admin.get('/v1/admin/freelancers', { query: { prefix: 'adm-', limit: 1 } });
    expect(page.freelancers).toEqual([
      expect.objectContaining({ id: 'adm-ada', plan: 'basic', balance: 80, available: 80, held: 0 }),
    ]);
    const next = await h.admin.get('/v1/admin/freelancers', {
      query: { prefix: 'adm-', limit: 1, cursor: page.nextCursor ?? '' },
    });
    expect(next.freelancers.map((f) => f.id)).toEqual(['adm-key']);
  });

  it('gives the console its figures: totals and a daily series', async () => {
    const stats = await h.admin.get('/v1/admin/stats', { query: {} });
    expect(stats.bucket).toBe('day');
    expect(stats.series).toHaveLength(30);
    expect(stats.totals.issued).toBeGreaterThan(0);
    expect(stats.totals.removed).toBe(5);
    expect(stats.totals.outstanding).toBe(stats.totals.issued - stats.totals.spent - stats.totals.removed);
    const monthly = await h.admin.get('/v1/admin/stats', {
      query: { bucket: 'month', from: '2024-01-01', until: '2024-05-01' },
    });
    expect(monthly.series.map((p) => p.at)).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
    ]);
    const tooLong = await apiError(
      h.admin.get('/v1/admin/stats', { query: { from: '2000-01-01', until: '2024-01-01' } }),
    );
    expect(tooLong).toMatchObject({ status: 400, code: 'validation_failed' });
  });
});
