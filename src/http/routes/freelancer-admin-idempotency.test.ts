import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../store/testing/test-engines.ts';
import { openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

/**
 * Every write of the freelancer and admin routes, sent twice with one
 * Idempotency-Key: the retry gets the original response byte for byte (marked
 * Idempotent-Replayed) and changes nothing; the key with another request is
 * idempotency_conflict.
 */
interface WriteCase {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  /** The same key with this body is another request. */
  readonly other: unknown;
  readonly status: number;
}

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
  code: 'ID-CODE',
  connects: 5,
  validFrom: '2024-01-01',
  validUntil: '2025-01-01',
  maxRedemptions: 9,
};

const writes: readonly WriteCase[] = [
  {
    method: 'POST',
    path: '/v1/freelancers',
    body: { id: 'id-new' },
    other: { id: 'id-new', name: 'N' },
    status: 201,
  },
  {
    method: 'POST',
    path: '/v1/freelancers/id-ada/purchases',
    body: { purchaseId: 'id-p1', connects: 10, card },
    other: { purchaseId: 'id-p2', connects: 10, card },
    status: 201,
  },
  {
    method: 'POST',
    path: '/v1/admin/purchases/id-ada/id-p1/refund',
    body: { reason: 'chargeback' },
    other: { reason: 'another reason' },
    status: 200,
  },
  {
    method: 'PUT',
    path: '/v1/freelancers/id-ada/plan',
    body: { plan: 'plus', card },
    other: { plan: 'basic' },
    status: 200,
  },
  { method: 'POST', path: '/v1/promo-codes', body: code, other: { ...code, code: 'ID-OTHER' }, status: 201 },
  {
    method: 'POST',
    path: '/v1/freelancers/id-ada/promo-redemptions',
    body: { code: 'ID-CODE' },
    other: { code: 'ID-OTHER' },
    status: 201,
  },
  {
    method: 'POST',
    path: '/v1/freelancers/id-ada/facts',
    body: facts,
    other: { ...facts, profileCompletenessPct: 90 },
    status: 200,
  },
  {
    method: 'POST',
    path: '/v1/freelancers/id-ada/certifications',
    body: { certificationId: 'c-1' },
    other: { certificationId: 'c-2' },
    status: 201,
  },
  {
    method: 'POST',
    path: '/v1/admin/grants',
    body: { freelancerId: 'id-ada', connects: 12, reason: 'goodwill' },
    other: { freelancerId: 'id-ada', connects: 13, reason: 'goodwill' },
    status: 201,
  },
  {
    // Lot 1 is ada's free signup lot.
    method: 'POST',
    path: '/v1/admin/freelancers/id-ada/lots/1/void',
    body: { reason: 'granted by mistake' },
    other: { reason: 'another reason' },
    status: 200,
  },
  {
    method: 'PUT',
    path: '/v1/admin/badge-price',
    body: { weeklyPriceConnects: 4 },
    other: { weeklyPriceConnects: 6 },
    status: 200,
  },
];

describe.each(testEngines)('idempotent retries of the freelancer and admin writes on $name', (engine) => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await openRouteHarness(engine);
    await h.register('id-ada');
  });
  afterAll(async () => {
    await h?.close();
  });

  const history = async () =>
    JSON.stringify(await h.admin.get('/v1/freelancers/{id}/entries', { path: { id: 'id-ada' }, query: {} }));

  it.each(writes)('$method $path', async (w) => {
    const key = `retry ${w.method} ${w.path}`;
    const send = (body: unknown) =>
      rawRequest(h, w.method, w.path, { body: JSON.stringify(body), headers: { 'idempotency-key': key } });
    const first = await send(w.body);
    const firstText = await first.text();
    expect(first.status, firstText.slice(0, 300)).toBe(w.status);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const ledger = await history();

    const retry = await send(w.body);
    expect(retry.status).toBe(w.status);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    // The first answer again; a body that says whether it is a replay now says so.
    const firstBody = JSON.parse(firstText) as Record<string, unknown>;
    expect(JSON.parse(await retry.text())).toEqual(
      'replayed' in firstBody ? { ...firstBody, replayed: true } : firstBody,
    );
    expect(await history()).toBe(ledger);

    const other = await send(w.other);
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('idempotency_conflict');
    expect(await history()).toBe(ledger);
  });

  it('keys are scoped by freelancer: the same key for another freelancer is another request', async () => {
    await h.register('id-bob');
    const grant = (freelancerId: string) =>
      rawRequest(h, 'POST', '/v1/admin/grants', {
        body: JSON.stringify({ freelancerId, connects: 1, reason: 'scoped' }),
        headers: { 'idempotency-key': 'shared-key' },
      });
    expect((await grant('id-ada')).status).toBe(201);
    const bob = await grant('id-bob');
    expect(bob.status).toBe(201);
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
  });
});
