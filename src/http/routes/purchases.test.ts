import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

const OK_CARD = '4242424242424242';
const DECLINED = '4000000000000002';
const TRANSIENT = '4000000000009995';

/** Buying Connects, the purchase history, quotes and refunds, over HTTP on both engines. */
describe.each(testEngines)('purchase routes on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
  });
  afterAll(async () => {
    await h?.close();
  });

  const balance = async (id: string) =>
    (await h.admin.get('/v1/freelancers/{id}/balance', { path: { id }, query: {} })).balance;

  it('a freelancer buys Connects: charged, a paid lot, the same purchase on retry', async () => {
    await h.register('buy-ada');
    const ada = await h.as('buy-ada');
    const body = { purchaseId: 'p-1', connects: 25, card: OK_CARD };
    const p = await ada.post('/v1/freelancers/{id}/purchases', { path: { id: 'buy-ada' }, body });
    expect(p).toMatchObject({
      freelancerId: 'buy-ada',
      purchaseId: 'p-1',
      status: 'succeeded',
      connects: 25,
      unitPriceCents: 15,
      priceCents: 375,
      totalCents: 375,
      cardLast4: '4242',
      expiresAt: '2025-03-10T12:00:00.000Z',
      refund: null,
    });
    const again = await ada.post('/v1/freelancers/{id}/purchases', { path: { id: 'buy-ada' }, body });
    expect(p.replayed).toBe(false);
    expect(again).toEqual({ ...p, replayed: true });
    expect(await balance('buy-ada')).toBe(75);
    const clash = await apiError(
      ada.post('/v1/freelancers/{id}/purchases', {
        path: { id: 'buy-ada' },
        body: { ...body, connects: 30 },
      }),
    );
    expect(clash).toMatchObject({ status: 409, code: 'idempotency_conflict' });
    expect(await balance('buy-ada')).toBe(75);
  });

  it('a declined card grants nothing and says why; a transient failure grants and stores nothing', async () => {
    await h.register('buy-bob');
    const declined = await apiError(
      h.admin.post('/v1/freelancers/{id}/purchases', {
        path: { id: 'buy-bob' },
        body: { purchaseId: 'p-d', connects: 10, card: DECLINED },
      }),
    );
    expect(declined).toMatchObject({
      status: 402,
      code: 'payment_declined',
      details: { reason: 'card declined' },
    });
    const transient = await apiError(
      h.admin.post('/v1/freelancers/{id}/purchases', {
        path: { id: 'buy-bob' },
        body: { purchaseId: 'p-t', connects: 10, card: TRANSIENT },
      }),
    );
    expect(transient).toMatchObject({ status: 503, code: 'payment_unavailable', retryAfterSeconds: 5 });
    expect(await balance('buy-bob')).toBe(50);
    const metrics = await (await rawRequest(h, 'GET', '/metrics', { token: null })).text();
    expect(metrics).toMatch(
      /connects_operations_total\{type="buy_connects",outcome="payment_declined"\} 1\b/,
    );
    expect(metrics).toMatch(
      /connects_operations_total\{type="buy_connects",outcome="payment_unavailable"\} 1\b/,
    );
    const list = await h.admin.get('/v1/freelancers/{id}/purchases', { path: { id: 'buy-bob' }, query: {} });
    expect(list.purchases.map((p) => [p.purchaseId, p.status, p.declineReason])).toEqual([
      ['p-d', 'declined', 'card declined'],
    ]);
  });

  it('refuses amounts outside the policy with purchase_out_of_range and changes nothing', async () => {
    await h.register('buy-cat');
    for (const connects of [9, 1001, -10, 10.5, 1e308]) {
      const error = await apiError(
        h.admin.post('/v1/freelancers/{id}/purchases', {
          path: { id: 'buy-cat' },
          body: { purchaseId: `p-${String(connects).replace(/\W/g, '')}`, connects, card: OK_CARD },
        }),
      );
      expect(error, String(connects)).toMatchObject({ status: 422, code: 'purchase_out_of_range' });
    }
    expect(await balance('buy-cat')).toBe(50);
    const unknown = await apiError(
      h.admin.post('/v1/freelancers/{id}/purchases', {
        path: { id: 'nobody' },
        body: { purchaseId: 'p-x', connects: 10, card: OK_CARD },
      }),
    );
    expect(unknown).toMatchObject({ status: 404, code: 'freelancer_not_found' });
  });

  it('lists purchases newest first, a page at a time, and filters by status', async () => {
    await h.register('buy-dan');
    for (const [n, at] of [
      [1, '2024-03-11T00:00:00Z'],
      [2, '2024-03-12T00:00:00Z'],
      [3, '2024-03-13T00:00:00Z'],
    ] as const) {
      await h.setClock(at);
      await h.admin.post('/v1/freelancers/{id}/purchases', {
        path: { id: 'buy-dan' },
        body: { purchaseId: `dan-${n}`, connects: 10, card: OK_CARD },
      });
    }
    const first = await h.admin.get('/v1/freelancers/{id}/purchases', {
      path: { id: 'buy-dan' },
      query: { limit: 2 },
    });
    expect(first.purchases.map((p) => p.purchaseId)).toEqual(['dan-3', 'dan-2']);
    const rest = await h.admin.get('/v1/freelancers/{id}/purchases', {
      path: { id: 'buy-dan' },
      query: { limit: 2, cursor: first.nextCursor ?? '' },
    });
    expect(rest).toMatchObject({ purchases: [{ purchaseId: 'dan-1' }], nextCursor: null });
    const declined = await h.admin.get('/v1/freelancers/{id}/purchases', {
      path: { id: 'buy-dan' },
      query: { status: 'declined' },
    });
    expect(declined.purchases).toEqual([]);
  });

  it('quotes a purchase without buying', async () => {
    await h.register('buy-eve');
    const quote = await h.admin.get('/v1/freelancers/{id}/purchases/quote', {
      path: { id: 'buy-eve' },
      query: { connects: 40 },
    });
    expect(quote).toEqual({
      connects: 40,
      unitPriceCents: 15,
      priceCents: 600,
      taxJurisdiction: null,
      taxRateBp: 0,
      taxCents: 0,
      totalCents: 600,
    });
    const tooFew = await apiError(
      h.admin.get('/v1/freelancers/{id}/purchases/quote', {
        path: { id: 'buy-eve' },
        query: { connects: 5 },
      }),
    );
    expect(tooFew).toMatchObject({
      status: 422,
      code: 'purchase_out_of_range',
      details: { minConnects: 10 },
    });
    expect(await balance('buy-eve')).toBe(50);
  });

  it('the admin refunds a purchase: its unspent Connects go, then it is already refunded', async () => {
    await h.register('ref-fay');
    await h.admin.post('/v1/freelancers/{id}/purchases', {
      path: { id: 'ref-fay' },
      body: { purchaseId: 'fay-1', connects: 20, card: OK_CARD },
    });
    expect(await balance('ref-fay')).toBe(70);
    const path = { freelancerId: 'ref-fay', purchaseId: 'fay-1' };
    const refunded = await h.admin.post('/v1/admin/purchases/{freelancerId}/{purchaseId}/refund', {
      path,
      body: { reason: 'chargeback' },
      idempotencyKey: 'refund-fay-1',
    });
    expect(refunded).toMatchObject({
      status: 'refunded',
      refund: { reason: 'chargeback', clawedBackConnects: 20 },
    });
    expect(await balance('ref-fay')).toBe(50);
    // The same key replays the refund; without it, a second refund is refused.
    const replay = await h.admin.post('/v1/admin/purchases/{freelancerId}/{purchaseId}/refund', {
      path,
      body: { reason: 'chargeback' },
      idempotencyKey: 'refund-fay-1',
    });
    expect(replay).toEqual(refunded);
    const twice = await apiError(
      h.admin.post('/v1/admin/purchases/{freelancerId}/{purchaseId}/refund', {
        path,
        body: { reason: 'again' },
      }),
    );
    expect(twice).toMatchObject({ status: 409, code: 'purchase_already_refunded' });
    const missing = await apiError(
      h.admin.post('/v1/admin/purchases/{freelancerId}/{purchaseId}/refund', {
        path: { freelancerId: 'ref-fay', purchaseId: 'nope' },
        body: { reason: 'x' },
      }),
    );
    expect(missing).toMatchObject({ status: 404, code: 'purchase_not_found' });
    expect(await balance('ref-fay')).toBe(50);
  });
});
