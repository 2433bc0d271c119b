import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

/** Registering and reading freelancers, their balance, lots and history, over HTTP on both engines. */
describe.each(testEngines)('freelancer routes on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('registers a freelancer with the signup grant and the first allotment', async () => {
    const r = await h.admin.post('/v1/freelancers', { body: { id: 'reg-ada', name: 'Ada' } });
    expect(r.freelancer).toEqual({
      id: 'reg-ada',
      name: 'Ada',
      registeredAt: '2024-03-10T12:00:00.000Z',
      anchorDay: 10,
    });
    expect(r.firstCycle).toEqual({
      index: 0,
      start: '2024-03-10T12:00:00.000Z',
      end: '2024-04-10T00:00:00.000Z',
    });
    expect(r.entries.map((e) => [e.type, e.amount, e.lot?.source])).toEqual([
      ['grant', 40, 'signup'],
      ['grant', 10, 'allotment'],
    ]);
    expect(r.balance).toEqual({ balance: 50, available: 50, held: 0 });
  });

  it('registering again with the same details returns the original; other details are freelancer_exists', async () => {
    await h.register('reg-bob', 'Bob');
    const again = await h.admin.post('/v1/freelancers', { body: { id: 'reg-bob', name: 'Bob' } });
    expect(again.balance).toEqual({ balance: 50, available: 50, held: 0 });
    expect(again.entries).toHaveLength(2);
    const clash = await apiError(
      h.admin.post('/v1/freelancers', { body: { id: 'reg-bob', name: 'Robert' } }),
    );
    expect(clash).toMatchObject({ status: 409, code: 'freelancer_exists' });
    const balance = await h.admin.get('/v1/freelancers/{id}/balance', { path: { id: 'reg-bob' }, query: {} });
    expect(balance.balance).toBe(50);
  });

  it('imports a member registered earlier, but not one registered in the future', async () => {
    const r = await h.admin.post('/v1/freelancers', {
      body: { id: 'reg-old', registeredAt: '2024-01-31T09:00:00Z' },
    });
    expect(r.freelancer.anchorDay).toBe(1);
    expect(r.firstCycle.end).toBe('2024-02-01T00:00:00.000Z');
    const future = await apiError(
      h.admin.post('/v1/freelancers', { body: { id: 'reg-future', registeredAt: '2030-01-01T00:00:00Z' } }),
    );
    expect(future).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await apiError(h.admin.get('/v1/freelancers/{id}', { path: { id: 'reg-future' } }))).toMatchObject(
      {
        status: 404,
        code: 'freelancer_not_found',
      },
    );
  });

  it('reads the freelancer: plan, cycle and balance', async () => {
    await h.register('get-cleo', 'Cleo');
    const f = await (await h.as('get-cleo')).get('/v1/freelancers/{id}', { path: { id: 'get-cleo' } });
    expect(f).toMatchObject({
      id: 'get-cleo',
      name: 'Cleo',
      plan: 'basic',
      pendingPlanChange: null,
      anchorDay: 10,
      lastAllottedCycle: 0,
      nextAllotmentAt: '2024-04-10T00:00:00.000Z',
      badges: [],
      certification: null,
      balance: { balance: 50, available: 50, held: 0 },
    });
    const missing = await apiError(h.admin.get('/v1/freelancers/{id}', { path: { id: 'nobody' } }));
    expect(missing).toMatchObject({ status: 404, code: 'freelancer_not_found' });
  });

  it('gives the balance now and as of a past instant, with what expires within 30 days', async () => {
    await h.register('bal-dan');
    // Before registration nothing was there; the future is refused.
    const before = await h.admin.get('/v1/freelancers/{id}/balance', {
      path: { id: 'bal-dan' },
      query: { asOf: '2024-03-10T11:59:59.999Z' },
    });
    expect(before).toEqual({
      freelancerId: 'bal-dan',
      asOf: '2024-03-10T11:59:59.999Z',
      balance: 0,
      available: 0,
      held: 0,
      expiringWithin30Days: 0,
    });
    const future = await apiError(
      h.admin.get('/v1/freelancers/{id}/balance', { path: { id: 'bal-dan' }, query: { asOf: '2099-01-01' } }),
    );
    expect(future).toMatchObject({ status: 400, code: 'validation_failed' });
    // A lot granted by the admin that expires in 10 days counts as expiring.
    await h.admin.post('/v1/admin/grants', {
      body: { freelancerId: 'bal-dan', connects: 7, reason: 'goodwill', expiresAt: '2024-03-20T12:00:00Z' },
    });
    const now = await h.admin.get('/v1/freelancers/{id}/balance', { path: { id: 'bal-dan' }, query: {} });
    expect(now).toMatchObject({ balance: 57, available: 57, held: 0, expiringWithin30Days: 7 });
  });

  it('lists the lots in consumption order, and every lot with its state', async () => {
    await h.register('lots-eve');
    await h.admin.post('/v1/admin/grants', {
      body: { freelancerId: 'lots-eve', connects: 5, reason: 'soon', expiresAt: '2024-04-01T00:00:00Z' },
    });
    const eve = await h.as('lots-eve');
    const active = await eve.get('/v1/freelancers/{id}/lots', { path: { id: 'lots-eve' }, query: {} });
    expect(active.lots.map((l) => [l.source, l.remaining, l.state])).toEqual([
      ['admin', 5, 'active'],
      ['signup', 40, 'active'],
      ['allotment', 10, 'active'],
    ]);
    await eve.post('/v1/freelancers/{id}/purchases', {
      path: { id: 'lots-eve' },
      body: { purchaseId: 'lots-p1', connects: 10, card: '4242424242424242' },
    });
    await h.admin.post('/v1/admin/purchases/{freelancerId}/{purchaseId}/refund', {
      path: { freelancerId: 'lots-eve', purchaseId: 'lots-p1' },
      body: { reason: 'chargeback' },
    });
    const all = await eve.get('/v1/freelancers/{id}/lots', {
      path: { id: 'lots-eve' },
      query: { status: 'all' },
    });
    expect(all.lots.map((l) => [l.lotNo, l.source, l.state])).toEqual([
      [1, 'signup', 'active'],
      [2, 'allotment', 'active'],
      [3, 'admin', 'active'],
      [4, 'purchase', 'used'],
    ]);
  });

  it('pages the history newest first with filters, and the cursor reaches every entry once', async () => {
    await h.register('hist-fay');
    for (const n of [1, 2, 3]) {
      await h.admin.post('/v1/admin/grants', {
        body: { freelancerId: 'hist-fay', connects: n, reason: `grant ${n}` },
        idempotencyKey: `hist-fay-${n}`,
      });
    }
    const fay = await h.as('hist-fay');
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await fay.get('/v1/freelancers/{id}/entries', {
        path: { id: 'hist-fay' },
        query: { limit: 2, ...(cursor === undefined ? {} : { cursor }) },
      });
      seen.push(...page.entries.map((e) => e.seq));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    const adjustments = await fay.get('/v1/freelancers/{id}/entries', {
      path: { id: 'hist-fay' },
      query: { type: 'adjustment', order: 'asc' },
    });
    expect(adjustments.entries.map((e) => e.reason)).toEqual(['grant 1', 'grant 2', 'grant 3']);
    const byRef = await fay.get('/v1/freelancers/{id}/entries', {
      path: { id: 'hist-fay' },
      query: { ref: 'registration' },
    });
    expect(byRef.entries.map((e) => e.lot?.source)).toEqual(['signup']);
    const several = await fay.get('/v1/freelancers/{id}/entries', {
      path: { id: 'hist-fay' },
      query: { type: 'grant,adjustment', since: '2024-03-10T12:00:00Z' },
    });
    expect(several.entries).toHaveLength(5);
    const none = await fay.get('/v1/freelancers/{id}/entries', {
      path: { id: 'hist-fay' },
      query: { until: '2024-03-10T12:00:00Z' },
    });
    expect(none.entries).toEqual([]);
  });

  it('exports the history as CSV: a header and one row per entry, over several pages', async () => {
    await h.register('csv-gus');
    for (const n of [1, 2, 3, 4]) {
      await h.admin.post('/v1/admin/grants', {
        body: { freelancerId: 'csv-gus', connects: n, reason: n === 4 ? '=SUM(A1), "quoted"' : `g${n}` },
        idempotencyKey: `csv-gus-${n}`,
      });
    }
    const response = await rawRequest(h, 'GET', '/v1/freelancers/csv-gus/entries?limit=2&order=asc', {
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'seq,type,amount,balance_before,balance_after,available_before,available_after,effective_at,recorded_at,ref,reason,lot_no,lots',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(lines[6]).toContain(`"'=SUM(A1), ""quoted"""`);
    const viaQuery = await rawRequest(h, 'GET', '/v1/freelancers/csv-gus/entries?format=csv&type=grant');
    expect((await viaQuery.text()).trimEnd().split('\r\n')).toHaveLength(3);
  });

  it('refuses a bad cursor, an unknown type and an empty window with validation_failed', async () => {
    await h.register('hist-hal');
    for (const query of [
      'cursor=bm9wZQ',
      'type=grant,stolen',
      'since=2024-03-02&until=2024-03-01',
      'limit=501',
    ]) {
      const response = await rawRequest(h, 'GET', `/v1/freelancers/hist-hal/entries?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    const csv = await rawRequest(h, 'GET', '/v1/freelancers/hist-hal/entries?cursor=bm9wZQ', {
      headers: { accept: 'text/csv' },
    });
    expect(csv.status).toBe(400);
  });
});
