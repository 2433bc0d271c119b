import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { TEST_ADMIN_TOKEN } from '../testing/test-api.ts';
import { openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

/**
 * The auth matrix of the freelancer and admin routes: every route against
 * every kind of caller, over real HTTP. A route is for the admin only, for
 * the admin or the freelancer it names, or for any valid token; the expected
 * status follows from that alone. Writes carry a fixed Idempotency-Key, so
 * the second caller that gets through replays the first one's answer.
 */
type Access = 'token' | 'admin-or-own' | 'admin';
type Caller = 'none' | 'malformed' | 'unknown' | 'revoked' | 'own' | 'other' | 'admin';

interface RouteCase {
  readonly method: string;
  readonly path: string;
  readonly access: Access;
  readonly body?: unknown;
  readonly ok: number;
}

const card = '4242424242424242';
const facts = {
  profileCompletenessPct: 50,
  availabilityUpdatedAt: null,
  proposalsMatchingSkills: false,
  tosViolationAt: [],
  hasJobSuccessScore: false,
  lastActiveAt: null,
};

const routes: readonly RouteCase[] = [
  { method: 'POST', path: '/v1/freelancers', access: 'admin', body: { id: 'mx-new' }, ok: 201 },
  { method: 'GET', path: '/v1/freelancers/mx-ada', access: 'admin-or-own', ok: 200 },
  { method: 'GET', path: '/v1/freelancers/mx-ada/balance', access: 'admin-or-own', ok: 200 },
  { method: 'GET', path: '/v1/freelancers/mx-ada/balance?asOf=2024-03-10', access: 'admin-or-own', ok: 200 },
  { method: 'GET', path: '/v1/freelancers/mx-ada/lots?status=all', access: 'admin-or-own', ok: 200 },
  { method: 'GET', path: '/v1/freelancers/mx-ada/entries?limit=5', access: 'admin-or-own', ok: 200 },
  { method: 'GET', path: '/v1/freelancers/mx-ada/entries?format=csv', access: 'admin-or-own', ok: 200 },
  { method: 'GET', path: '/v1/freelancers/mx-ada/plan/preview?plan=plus', access: 'admin-or-own', ok: 200 },
  {
    method: 'PUT',
    path: '/v1/freelancers/mx-ada/plan',
    access: 'admin-or-own',
    body: { plan: 'basic' },
    ok: 200,
  },
  {
    method: 'POST',
    path: '/v1/freelancers/mx-ada/purchases',
    access: 'admin-or-own',
    body: { purchaseId: 'mx-p1', connects: 10, card },
    ok: 201,
  },
  { method: 'GET', path: '/v1/freelancers/mx-ada/purchases', access: 'admin-or-own', ok: 200 },
  {
    method: 'GET',
    path: '/v1/freelancers/mx-ada/purchases/quote?connects=20',
    access: 'admin-or-own',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/v1/admin/purchases/mx-ada/mx-p1/refund',
    access: 'admin',
    body: { reason: 'chargeback' },
    ok: 200,
  },
  {
    method: 'POST',
    path: '/v1/freelancers/mx-ada/promo-redemptions',
    access: 'admin-or-own',
    body: { code: 'MATRIX' },
    ok: 201,
  },
  { method: 'POST', path: '/v1/freelancers/mx-ada/facts', access: 'admin-or-own', body: facts, ok: 200 },
  {
    method: 'POST',
    path: '/v1/freelancers/mx-ada/certifications',
    access: 'admin-or-own',
    body: { certificationId: 'cert-1' },
    ok: 201,
  },
  {
    method: 'POST',
    path: '/v1/promo-codes',
    access: 'admin',
    body: {
      code: 'MX-NEW',
      connects: 5,
      validFrom: '2024-01-01',
      validUntil: '2025-01-01',
      maxRedemptions: 3,
    },
    ok: 201,
  },
  { method: 'GET', path: '/v1/promo-codes', access: 'admin', ok: 200 },
  {
    method: 'POST',
    path: '/v1/admin/grants',
    access: 'admin',
    body: { freelancerId: 'mx-ada', connects: 5, reason: 'matrix' },
    ok: 201,
  },
  {
    method: 'PUT',
    path: '/v1/admin/badge-price',
    access: 'admin',
    body: { weeklyPriceConnects: 2 },
    ok: 200,
  },
  { method: 'GET', path: '/v1/badge-price', access: 'token', ok: 200 },
  { method: 'POST', path: '/v1/admin/tick', access: 'admin', ok: 200 },
  { method: 'GET', path: '/v1/admin/scheduler', access: 'admin', ok: 200 },
  { method: 'GET', path: '/v1/admin/freelancers', access: 'admin', ok: 200 },
  { method: 'GET', path: '/v1/admin/stats?bucket=month', access: 'admin', ok: 200 },
];

const callers: readonly Caller[] = ['none', 'malformed', 'unknown', 'revoked', 'other', 'own', 'admin'];

function expected(route: RouteCase, caller: Caller): number {
  if (caller === 'none' || caller === 'malformed' || caller === 'unknown' || caller === 'revoked') return 401;
  if (caller === 'admin') return route.ok;
  if (route.access === 'admin') return 403;
  if (route.access === 'admin-or-own' && caller === 'other') return 403;
  return route.ok;
}

describe.each(testEngines)('auth matrix of the freelancer and admin routes on $name', (engine) => {
  let h: RouteHarness;
  const tokens: Record<Caller, string | null> = {
    none: null,
    malformed: null,
    unknown: `cfl_${'x'.repeat(43)}`,
    revoked: null,
    own: null,
    other: null,
    admin: TEST_ADMIN_TOKEN,
  };
  const headers: Partial<Record<Caller, Record<string, string>>> = {
    malformed: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
  };

  beforeAll(async () => {
    h = await openRouteHarness(engine);
    await h.register('mx-ada');
    await h.register('mx-bob');
    await h.admin.post('/v1/promo-codes', {
      body: {
        code: 'MATRIX',
        connects: 5,
        validFrom: '2024-01-01',
        validUntil: '2025-01-01',
        maxRedemptions: 10,
      },
    });
    const issue = async (id: string) =>
      (await h.admin.post('/v1/freelancers/{id}/tokens', { path: { id } })) as {
        token: string;
        tokenId: string;
      };
    tokens.own = (await issue('mx-ada')).token;
    tokens.other = (await issue('mx-bob')).token;
    const revoked = await issue('mx-ada');
    await h.admin.delete('/v1/freelancers/{id}/tokens/{tokenId}', {
      path: { id: 'mx-ada', tokenId: revoked.tokenId },
    });
    tokens.revoked = revoked.token;
  });
  afterAll(async () => {
    await h?.close();
  });

  const cases = routes.flatMap((route) => callers.map((caller) => ({ route, caller })));
  it.each(cases)('$route.method $route.path as $caller', async ({ route, caller }) => {
    const response = await rawRequest(h, route.method, route.path, {
      token: caller === 'malformed' ? null : tokens[caller],
      headers: { ...headers[caller], 'idempotency-key': `matrix ${route.method} ${route.path}` },
      ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
    });
    const status = expected(route, caller);
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(status);
    if (status === 401 || status === 403) {
      expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(
        status === 401 ? 'unauthorized' : 'forbidden',
      );
    }
  });

  it('what the refused callers asked for never happened', async () => {
    const purchases = await h.admin.get('/v1/freelancers/{id}/purchases', {
      path: { id: 'mx-bob' },
      query: {},
    });
    expect(purchases.purchases).toEqual([]);
    const bob = await h.admin.get('/v1/freelancers/{id}/balance', { path: { id: 'mx-bob' }, query: {} });
    expect(bob.balance).toBe(50);
    // One grant of 5 (replayed for the second caller), one purchase of 10 refunded, one redemption of 5,
    // no certification bonus twice.
    const ada = await h.admin.get('/v1/freelancers/{id}/balance', { path: { id: 'mx-ada' }, query: {} });
    expect(ada.balance).toBe(50 + 5 + 5 + 10);
  });
});
