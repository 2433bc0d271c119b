import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

const card = '4242424242424242';

describe.each(testEngines)('admin lot corrections over HTTP on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** After the signup lots 1 and 2 (50 Connects): lot 3 (admin grant, 12), lot 4 (admin grant, 5), lot 5 (paid, 10). */
  async function withLots(id: string): Promise<void> {
    await h.register(id);
    for (const connects of [12, 5]) {
      await h.admin.post('/v1/admin/grants', { body: { freelancerId: id, connects, reason: 'promo' } });
    }
    await h.admin.post('/v1/freelancers/{id}/purchases', {
      path: { id },
      body: { purchaseId: `${id}-p1`, connects: 10, card },
    });
  }
  const lotsOf = async (id: string) => {
    const { lots } = await h.admin.get('/v1/freelancers/{id}/lots', { path: { id } });
    return lots.filter((l) => l.lotNo >= 3).map((l) => [l.lotNo, l.remaining]);
  };
  const entryCount = async (id: string) =>
    (await h.admin.get('/v1/freelancers/{id}/entries', { path: { id }, query: {} })).entries.length;
  const send = (path: string, body: unknown, key?: string) =>
    rawRequest(h, 'POST', path, {
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
    });

  it('voids one lot, and a retry with the same key answers the same, marked replayed', async () => {
    await withLots('lc-ada');
    const path = '/v1/admin/freelancers/lc-ada/lots/3/void';
    const first = await send(path, { reason: 'promo granted by mistake' }, 'void-1');
    expect(first.status).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      freelancerId: 'lc-ada',
      lotNo: 3,
      entry: { type: 'adjustment', amount: 12, reason: 'promo granted by mistake' },
      balance: { balance: 65 },
    });
    const retry = await send(path, { reason: 'promo granted by mistake' }, 'void-1');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(body);
    const other = await send(path, { reason: 'another reason' }, 'void-1');
    expect(other.status).toBe(409);
    // The lots listing shows lots that still hold Connects.
    expect(await lotsOf('lc-ada')).toEqual([
      [4, 5],
      [5, 10],
    ]);
  });

  it('expires one lot now through the typed client', async () => {
    await withLots('lc-bob');
    const r = await h.admin.post('/v1/admin/freelancers/{id}/lots/{lotNo}/expire', {
      path: { id: 'lc-bob', lotNo: 4 },
      body: { reason: 'campaign ended early' },
    });
    expect(r).toMatchObject({ lotNo: 4, entry: { type: 'expiry', amount: 5 }, balance: { balance: 72 } });
  });

  it('refuses bad input and refused lots with a stable code, writing nothing', async () => {
    await withLots('lc-cy');
    await send('/v1/admin/freelancers/lc-cy/lots/4/void', { reason: 'empty it' });
    const before = await entryCount('lc-cy');
    const base = '/v1/admin/freelancers/lc-cy/lots';
    const cases: [string, unknown, number, string][] = [
      [`${base}/9/void`, { reason: 'r' }, 404, 'lot_not_found'],
      [`${base}/5/void`, { reason: 'r' }, 409, 'lot_is_paid'],
      [`${base}/5/expire`, { reason: 'r' }, 409, 'lot_is_paid'],
      [`${base}/4/expire`, { reason: 'r' }, 409, 'lot_is_empty'],
      [`${base}/1.5/void`, { reason: 'r' }, 400, 'validation_failed'],
      [`${base}/abc/expire`, { reason: 'r' }, 400, 'validation_failed'],
      [`${base}/0/void`, { reason: 'r' }, 400, 'validation_failed'],
      [`${base}/3/void`, {}, 400, 'validation_failed'],
      [`${base}/3/void`, { reason: '  ' }, 400, 'validation_failed'],
      [`${base}/3/void`, { reason: 'x'.repeat(201) }, 400, 'validation_failed'],
      [`${base}/3/void`, { reason: 'r', extra: 1 }, 400, 'validation_failed'],
      [`${base}/3/void`, '{"reason":', 400, 'validation_failed'],
      ['/v1/admin/freelancers/nobody/lots/1/void', { reason: 'r' }, 404, 'freelancer_not_found'],
    ];
    for (const [path, body, status, expected] of cases) {
      const response = await send(path, body);
      expect(response.status, path).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code, path).toBe(expected);
    }
    expect(await entryCount('lc-cy')).toBe(before);
    expect(await lotsOf('lc-cy')).toEqual([
      [3, 12],
      [5, 10],
    ]);
  });

  it('extends a lot, refusing an earlier, past, too distant or malformed expiry', async () => {
    await withLots('lc-eve');
    const { lots } = await h.admin.get('/v1/freelancers/{id}/lots', { path: { id: 'lc-eve' } });
    const lot3 = lots.find((l) => l.lotNo === 3);
    if (lot3 === undefined) throw new Error('no lot 3');
    const later = new Date(Date.parse(lot3.expiresAt) + 30 * 86_400_000).toISOString();
    const path = '/v1/admin/freelancers/lc-eve/lots/3/extend';
    const before = await entryCount('lc-eve');
    const cases: [unknown, number, string][] = [
      [{ reason: 'r', expiresAt: lot3.expiresAt }, 422, 'lot_expiry_invalid'],
      [{ reason: 'r', expiresAt: '2000-01-01T00:00:00Z' }, 422, 'lot_expiry_invalid'],
      [{ reason: 'r', expiresAt: '2099-01-01T00:00:00Z' }, 422, 'lot_expiry_invalid'],
      [{ reason: 'r', expiresAt: 'soon' }, 400, 'validation_failed'],
      [{ reason: 'r' }, 400, 'validation_failed'],
      [{ expiresAt: later }, 400, 'validation_failed'],
    ];
    for (const [body, status, expected] of cases) {
      const response = await send(path, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(expected);
    }
    const paid = await send('/v1/admin/freelancers/lc-eve/lots/5/extend', { reason: 'r', expiresAt: later });
    expect(paid.status).toBe(409);
    expect(await entryCount('lc-eve')).toBe(before);
    const ok = await send(path, { reason: 'outage week', expiresAt: later }, 'ext-1');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      lotNo: 3,
      entry: { type: 'adjustment', amount: 0, reason: 'outage week', lot: { lotNo: 3, expiresAt: later } },
    });
    const retry = await send(path, { reason: 'outage week', expiresAt: later }, 'ext-1');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const after = await h.admin.get('/v1/freelancers/{id}/lots', { path: { id: 'lc-eve' } });
    expect(after.lots.find((l) => l.lotNo === 3)).toMatchObject({ remaining: 12, expiresAt: later });
  });

  it('is admin only', async () => {
    await withLots('lc-dee');
    const asDee = await h.as('lc-dee');
    const e = await apiError(
      asDee.post('/v1/admin/freelancers/{id}/lots/{lotNo}/void', {
        path: { id: 'lc-dee', lotNo: 3 },
        body: { reason: 'mine' },
      }),
    );
    expect(e.status).toBe(403);
    expect(await lotsOf('lc-dee')).toEqual([
      [3, 12],
      [4, 5],
      [5, 10],
    ]);
  });
});

describe.each(testEngines)('a freelancer low-balance threshold over HTTP on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sets and clears it, refuses bad input and unknown freelancers, and is admin only', async () => {
    await h.register('lb-ada');
    const path = '/v1/admin/freelancers/lb-ada/low-balance-threshold';
    const put = (body: unknown, p = path) => rawRequest(h, 'PUT', p, { body: JSON.stringify(body) });
    const set = await put({ connects: 25 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ freelancerId: 'lb-ada', connects: 25 });
    for (const body of [{}, { connects: -1 }, { connects: 1.5 }, { connects: '5' }, { connects: 5, x: 1 }]) {
      const r = await put(body);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    const unknown = await put({ connects: 5 }, '/v1/admin/freelancers/nobody/low-balance-threshold');
    expect(unknown.status).toBe(404);
    const asAda = await h.as('lb-ada');
    const e = await apiError(
      asAda.put('/v1/admin/freelancers/{id}/low-balance-threshold', {
        path: { id: 'lb-ada' },
        body: { connects: 0 },
      }),
    );
    expect(e.status).toBe(403);
    const rows = await h.api.services.store.query<{ t: string | number | null }>(
      'SELECT low_balance_threshold AS t FROM freelancers WHERE id = $1',
      ['lb-ada'],
    );
    expect(rows.rows.map((r) => Number(r.t))).toEqual([25]);
    const cleared = await put({ connects: null });
    expect(await cleared.json()).toEqual({ freelancerId: 'lb-ada', connects: null });
  });
});
