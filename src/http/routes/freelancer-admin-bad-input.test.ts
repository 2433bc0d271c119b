import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

/**
 * Malformed, out-of-range and unknown-id requests to the freelancer and admin
 * routes: each gets a 4xx with a stable code, never a 500, and changes
 * nothing (rules.md 8). The last test checks the ledger, purchases, codes and
 * settings after all of them.
 */
const card = '4242424242424242';
const facts = {
  profileCompletenessPct: 100,
  availabilityUpdatedAt: '2024-03-09T00:00:00Z',
  proposalsMatchingSkills: true,
  tosViolationAt: [],
  hasJobSuccessScore: false,
  lastActiveAt: null,
};
const code = {
  code: 'BI-CODE',
  connects: 5,
  validFrom: '2024-01-01',
  validUntil: '2025-01-01',
  maxRedemptions: 3,
};
const long = (n: number) => 'x'.repeat(n);

/** [method, path, body, status, code]: a body is sent as written (a string) or as JSON. */
type Case = readonly [string, string, unknown, number, string];

const bodyCases: readonly Case[] = [
  // Not JSON, or not an object.
  ['POST', '/v1/freelancers', '{"id":', 400, 'validation_failed'],
  ['POST', '/v1/freelancers', '[]', 400, 'validation_failed'],
  ['POST', '/v1/freelancers', 'null', 400, 'validation_failed'],
  ['PUT', '/v1/freelancers/bi-ada/plan', '{plan: plus}', 400, 'validation_failed'],
  ['POST', '/v1/freelancers/bi-ada/purchases', '"buy"', 400, 'validation_failed'],
  // Registration.
  ['POST', '/v1/freelancers', { id: 'bi-new', extra: 1 }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers', { id: long(65) }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers', { id: 'has space' }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers', { id: 'bi-new', name: long(201) }, 400, 'validation_failed'],
  [
    'POST',
    '/v1/freelancers',
    { id: 'bi-new', registeredAt: '2024-02-30T00:00:00Z' },
    400,
    'validation_failed',
  ],
  ['POST', '/v1/freelancers', { id: 'bi-new', registeredAt: 1710072000000 }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers', { id: 'bi-new', registeredAt: '2099-01-01' }, 400, 'validation_failed'],
  // Plans.
  ['PUT', '/v1/freelancers/bi-ada/plan', { plan: 'gold' }, 400, 'validation_failed'],
  ['PUT', '/v1/freelancers/bi-ada/plan', { plan: 'plus', card: long(101) }, 400, 'validation_failed'],
  ['PUT', '/v1/freelancers/bi-ada/plan', { plan: 'plus', card: 4242424242424242 }, 400, 'validation_failed'],
  ['PUT', '/v1/freelancers/bi-ada/plan', { plan: 'plus', card: '4000000000000002' }, 402, 'payment_declined'],
  // Purchases.
  [
    'POST',
    '/v1/freelancers/bi-ada/purchases',
    { purchaseId: 'p', connects: '10', card },
    400,
    'validation_failed',
  ],
  ['POST', '/v1/freelancers/bi-ada/purchases', { purchaseId: 'p', connects: 10 }, 400, 'validation_failed'],
  [
    'POST',
    '/v1/freelancers/bi-ada/purchases',
    { purchaseId: long(65), connects: 10, card },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/freelancers/bi-ada/purchases',
    { purchaseId: 'p', connects: 10, card, jurisdiction: 'Narnia' },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/freelancers/bi-ada/purchases',
    { purchaseId: 'p', connects: 10, card, tip: 1 },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/freelancers/bi-ada/purchases',
    { purchaseId: 'p', connects: -10, card },
    422,
    'purchase_out_of_range',
  ],
  [
    'POST',
    '/v1/freelancers/bi-ada/purchases',
    { purchaseId: 'p', connects: 2 ** 60, card },
    422,
    'purchase_out_of_range',
  ],
  [
    'POST',
    '/v1/freelancers/bi-ada/purchases',
    { purchaseId: 'p', connects: 12.5, card },
    422,
    'purchase_out_of_range',
  ],
  // Promo codes and redemptions.
  ['POST', '/v1/freelancers/bi-ada/promo-redemptions', { code: long(101) }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers/bi-ada/promo-redemptions', { code: 5 }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers/bi-ada/promo-redemptions', {}, 400, 'validation_failed'],
  ['POST', '/v1/promo-codes', { ...code, connects: -1 }, 400, 'validation_failed'],
  ['POST', '/v1/promo-codes', { ...code, connects: 1e9 }, 400, 'validation_failed'],
  ['POST', '/v1/promo-codes', { ...code, maxRedemptions: 0 }, 400, 'validation_failed'],
  ['POST', '/v1/promo-codes', { ...code, lotLifetimeDays: 1.5 }, 400, 'validation_failed'],
  ['POST', '/v1/promo-codes', { ...code, code: long(41) }, 400, 'validation_failed'],
  ['POST', '/v1/promo-codes', { ...code, validFrom: 'yesterday' }, 400, 'validation_failed'],
  ['POST', '/v1/promo-codes', { ...code, owner: 'me' }, 400, 'validation_failed'],
  // Rewards.
  [
    'POST',
    '/v1/freelancers/bi-ada/facts',
    { ...facts, profileCompletenessPct: 101 },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/freelancers/bi-ada/facts',
    { ...facts, profileCompletenessPct: -1 },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/freelancers/bi-ada/facts',
    { ...facts, tosViolationAt: Array.from({ length: 1001 }, () => '2024-01-01') },
    400,
    'validation_failed',
  ],
  ['POST', '/v1/freelancers/bi-ada/facts', { ...facts, lastActiveAt: 'recently' }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers/bi-ada/certifications', { certificationId: '' }, 400, 'validation_failed'],
  ['POST', '/v1/freelancers/bi-ada/certifications', { certificationId: long(65) }, 400, 'validation_failed'],
  // Admin.
  [
    'POST',
    '/v1/admin/grants',
    { freelancerId: 'bi-ada', connects: 0, reason: 'r' },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/admin/grants',
    { freelancerId: 'bi-ada', connects: 1e12, reason: 'r' },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/admin/grants',
    { freelancerId: 'bi-ada', connects: 2.5, reason: 'r' },
    400,
    'validation_failed',
  ],
  ['POST', '/v1/admin/grants', { freelancerId: 'bi-ada', connects: 5, reason: '' }, 400, 'validation_failed'],
  [
    'POST',
    '/v1/admin/grants',
    { freelancerId: 'bi-ada', connects: 5, reason: long(201) },
    400,
    'validation_failed',
  ],
  ['POST', '/v1/admin/grants', { connects: 5, reason: 'r' }, 400, 'validation_failed'],
  [
    'POST',
    '/v1/admin/grants',
    { freelancerId: 'bi-ada', connects: -5, reason: 'r', expiresAt: '2025-01-01' },
    400,
    'validation_failed',
  ],
  [
    'POST',
    '/v1/admin/grants',
    { freelancerId: 'bi-ada', connects: -51, reason: 'r' },
    409,
    'insufficient_connects',
  ],
  ['PUT', '/v1/admin/badge-price', { weeklyPriceConnects: -1 }, 400, 'validation_failed'],
  ['PUT', '/v1/admin/badge-price', { weeklyPriceConnects: 1001 }, 400, 'validation_failed'],
  ['PUT', '/v1/admin/badge-price', { weeklyPriceConnects: '3' }, 400, 'validation_failed'],
  ['POST', '/v1/admin/purchases/bi-ada/nope/refund', { reason: '' }, 400, 'validation_failed'],
  ['POST', '/v1/admin/purchases/bi-ada/nope/refund', { reason: long(201) }, 400, 'validation_failed'],
  // Unknown ids.
  ['PUT', '/v1/freelancers/nobody/plan', { plan: 'basic' }, 404, 'freelancer_not_found'],
  [
    'POST',
    '/v1/freelancers/nobody/purchases',
    { purchaseId: 'p', connects: 10, card },
    404,
    'freelancer_not_found',
  ],
  ['POST', '/v1/freelancers/nobody/promo-redemptions', { code: 'BI-CODE' }, 404, 'freelancer_not_found'],
  ['POST', '/v1/freelancers/nobody/facts', facts, 404, 'freelancer_not_found'],
  ['POST', '/v1/freelancers/nobody/certifications', { certificationId: 'c' }, 404, 'freelancer_not_found'],
  [
    'POST',
    '/v1/admin/grants',
    { freelancerId: 'nobody', connects: 5, reason: 'r' },
    404,
    'freelancer_not_found',
  ],
  ['POST', '/v1/admin/purchases/bi-ada/nope/refund', { reason: 'r' }, 404, 'purchase_not_found'],
  ['POST', '/v1/freelancers/bi-ada/promo-redemptions', { code: 'NO-SUCH' }, 404, 'promo_code_unknown'],
];

const queryCases: readonly (readonly [string, number, string])[] = [
  ['/v1/freelancers/bi-ada/balance?asOf=garbage', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/balance?asOf=2024-13-01', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/lots?status=gone', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/entries?limit=0', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/entries?limit=abc', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/entries?limit=1e309', 400, 'validation_failed'],
  [`/v1/freelancers/bi-ada/entries?ref=${long(201)}`, 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/plan/preview?plan=gold', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/plan/preview', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/purchases?limit=101', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/purchases?status=lost', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/purchases?cursor=not-ours', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/purchases/quote?connects=abc', 400, 'validation_failed'],
  ['/v1/freelancers/bi-ada/purchases/quote?connects=5', 422, 'purchase_out_of_range'],
  ['/v1/promo-codes?limit=0', 400, 'validation_failed'],
  ['/v1/admin/freelancers?limit=201', 400, 'validation_failed'],
  ['/v1/admin/freelancers?prefix=a%25', 400, 'validation_failed'],
  ['/v1/admin/stats?bucket=year', 400, 'validation_failed'],
  ['/v1/admin/stats?from=garbage', 400, 'validation_failed'],
  ['/v1/freelancers/has%20space/balance', 400, 'validation_failed'],
  [`/v1/freelancers/${long(65)}`, 400, 'validation_failed'],
  ['/v1/freelancers/nobody', 404, 'freelancer_not_found'],
  ['/v1/freelancers/nobody/balance', 404, 'freelancer_not_found'],
  ['/v1/freelancers/nobody/lots', 404, 'freelancer_not_found'],
  ['/v1/freelancers/nobody/entries', 404, 'freelancer_not_found'],
  ['/v1/freelancers/nobody/entries?format=csv', 404, 'freelancer_not_found'],
  ['/v1/freelancers/nobody/plan/preview?plan=plus', 404, 'freelancer_not_found'],
  ['/v1/freelancers/nobody/purchases', 404, 'freelancer_not_found'],
];

describe.each(testEngines)('bad input to the freelancer and admin routes on $name', (engine) => {
  let h: RouteHarness;
  let entriesBefore: unknown;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
    await h.register('bi-ada');
    await h.admin.post('/v1/promo-codes', { body: code });
    entriesBefore = await h.admin.get('/v1/freelancers/{id}/entries', { path: { id: 'bi-ada' }, query: {} });
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(bodyCases.map((c, i) => ({ i, c })))('body #$i: $c.0 $c.1', async ({ c }) => {
    const [method, path, body, status, errorCode] = c;
    const response = await rawRequest(h, method, path, {
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(status);
    const error = (JSON.parse(text) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe(errorCode);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it.each(queryCases.map((c, i) => ({ i, c })))('query #$i: GET $c.0', async ({ c }) => {
    const [path, status, errorCode] = c;
    const response = await rawRequest(h, 'GET', path);
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(status);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe(errorCode);
  });

  it('a body that is not JSON is unsupported_media_type; a bad Idempotency-Key is refused', async () => {
    const plain = await rawRequest(h, 'POST', '/v1/admin/grants', {
      body: 'freelancerId=bi-ada&connects=5',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const badKey = await rawRequest(h, 'POST', '/v1/admin/grants', {
      body: JSON.stringify({ freelancerId: 'bi-ada', connects: 5, reason: 'r' }),
      headers: { 'idempotency-key': long(201) },
    });
    expect(badKey.status).toBe(400);
  });

  it('none of it changed anything: history, purchases, codes, plan and settings are as before', async () => {
    const entries = await h.admin.get('/v1/freelancers/{id}/entries', { path: { id: 'bi-ada' }, query: {} });
    expect(entries).toEqual(entriesBefore);
    const balance = await h.admin.get('/v1/freelancers/{id}/balance', { path: { id: 'bi-ada' }, query: {} });
    expect(balance).toMatchObject({ balance: 50, available: 50, held: 0 });
    const f = await h.admin.get('/v1/freelancers/{id}', { path: { id: 'bi-ada' } });
    expect(f).toMatchObject({ plan: 'basic', pendingPlanChange: null, badges: [], certification: null });
    const purchases = await h.admin.get('/v1/freelancers/{id}/purchases', {
      path: { id: 'bi-ada' },
      query: {},
    });
    expect(purchases.purchases).toEqual([]);
    const codes = await h.admin.get('/v1/promo-codes', { query: {} });
    expect(codes.codes.map((c) => [c.code, c.redeemed])).toEqual([['BI-CODE', 0]]);
    const freelancers = await h.admin.get('/v1/admin/freelancers', { query: {} });
    expect(freelancers.freelancers.map((x) => x.id)).toEqual(['bi-ada']);
    // No operator price was ever set: the policy's default applies.
    expect((await h.admin.get('/v1/badge-price')).effectiveAt).toBeNull();
    const logs = h.api.logs.filter((r) => r.level === 'error');
    expect(logs).toEqual([]);
  });
});
