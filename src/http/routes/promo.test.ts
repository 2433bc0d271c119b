import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

/** Promo codes (rules.md 4) over HTTP on both engines. */
describe.each(testEngines)('promo code routes on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
  });
  afterAll(async () => {
    await h?.close();
  });

  const window = { validFrom: '2024-03-01T00:00:00Z', validUntil: '2024-04-01T00:00:00Z' };
  const balance = async (id: string) =>
    (await h.admin.get('/v1/freelancers/{id}/balance', { path: { id }, query: {} })).balance;

  it('the admin creates a code (idempotent by code) and lists it with its redemptions', async () => {
    const body = { code: 'spring-24', connects: 15, maxRedemptions: 100, lotLifetimeDays: 30, ...window };
    const created = await h.admin.post('/v1/promo-codes', { body });
    expect(created).toEqual({
      code: 'SPRING-24',
      connects: 15,
      validFrom: '2024-03-01T00:00:00.000Z',
      validUntil: '2024-04-01T00:00:00.000Z',
      maxRedemptions: 100,
      lotLifetimeDays: 30,
      createdAt: '2024-03-10T12:00:00.000Z',
    });
    expect(await h.admin.post('/v1/promo-codes', { body })).toEqual(created);
    const clash = await apiError(h.admin.post('/v1/promo-codes', { body: { ...body, connects: 16 } }));
    expect(clash).toMatchObject({ status: 409, code: 'promo_code_exists' });
    const list = await h.admin.get('/v1/promo-codes', { query: {} });
    expect(list.codes).toContainEqual({ ...created, redeemed: 0 });
  });

  it('a freelancer redeems a code once: a lot with the code lifetime', async () => {
    await h.register('promo-ada');
    const ada = await h.as('promo-ada');
    const r = await ada.post('/v1/freelancers/{id}/promo-redemptions', {
      path: { id: 'promo-ada' },
      body: { code: 'Spring-24' },
    });
    expect(r).toMatchObject({
      code: 'SPRING-24',
      freelancerId: 'promo-ada',
      connects: 15,
      credited: 15,
      expiresAt: '2024-04-09T12:00:00.000Z',
      redeemedAt: '2024-03-10T12:00:00.000Z',
    });
    expect(await balance('promo-ada')).toBe(65);
    const again = await apiError(
      ada.post('/v1/freelancers/{id}/promo-redemptions', {
        path: { id: 'promo-ada' },
        body: { code: 'SPRING-24' },
      }),
    );
    expect(again).toMatchObject({ status: 409, code: 'promo_code_already_redeemed' });
    expect(await balance('promo-ada')).toBe(65);
  });

  it('with an Idempotency-Key a retried redemption returns the original answer', async () => {
    await h.register('promo-bob');
    const send = () =>
      rawRequest(h, 'POST', '/v1/freelancers/promo-bob/promo-redemptions', {
        body: JSON.stringify({ code: 'spring-24' }),
        headers: { 'idempotency-key': 'redeem-bob-1' },
      });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
    expect(await balance('promo-bob')).toBe(65);
  });

  it('each failure has its own code, and none changes the balance', async () => {
    await h.register('promo-cat');
    await h.admin.post('/v1/promo-codes', {
      body: {
        code: 'LATER',
        connects: 5,
        maxRedemptions: 5,
        validFrom: '2024-05-01',
        validUntil: '2024-06-01',
      },
    });
    await h.admin.post('/v1/promo-codes', {
      body: {
        code: 'OVER',
        connects: 5,
        maxRedemptions: 5,
        validFrom: '2024-01-01',
        validUntil: '2024-02-01',
      },
    });
    await h.admin.post('/v1/promo-codes', {
      body: { code: 'ONCE', connects: 5, maxRedemptions: 1, ...window },
    });
    await h.register('promo-dan');
    await h.admin.post('/v1/freelancers/{id}/promo-redemptions', {
      path: { id: 'promo-dan' },
      body: { code: 'ONCE' },
    });
    const cases = [
      ['NO-SUCH-CODE', 404, 'promo_code_unknown'],
      ['not a code!', 404, 'promo_code_unknown'],
      ['LATER', 422, 'promo_code_not_yet_valid'],
      ['OVER', 422, 'promo_code_expired'],
      ['ONCE', 409, 'promo_code_exhausted'],
    ] as const;
    for (const [code, status, errorCode] of cases) {
      const error = await apiError(
        h.admin.post('/v1/freelancers/{id}/promo-redemptions', { path: { id: 'promo-cat' }, body: { code } }),
      );
      expect(error, code).toMatchObject({ status, code: errorCode });
    }
    expect(await balance('promo-cat')).toBe(50);
    const active = await h.admin.get('/v1/promo-codes', { query: { status: 'active' } });
    expect(active.codes.map((c) => c.code)).toEqual(['SPRING-24']);
  });

  it('refuses a window that ends before it starts', async () => {
    const error = await apiError(
      h.admin.post('/v1/promo-codes', {
        body: {
          code: 'BACKWARDS',
          connects: 5,
          maxRedemptions: 5,
          validFrom: '2024-05-01',
          validUntil: '2024-04-01',
        },
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    const list = await h.admin.get('/v1/promo-codes', { query: { limit: 100 } });
    expect(list.codes.map((c) => c.code)).not.toContain('BACKWARDS');
  });
});
