import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, TEST_ADMIN_TOKEN, TEST_START, type TestApi } from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';

/**
 * Every route against every kind of caller. A route is public, needs any
 * token, admin or the freelancer it names, or admin only; the expected
 * status follows from that alone.
 */
type Access = 'public' | 'token' | 'admin-or-own' | 'admin';
type Caller = 'none' | 'malformed' | 'unknown' | 'revoked' | 'own' | 'other' | 'admin';

interface RouteCase {
  readonly method: string;
  readonly path: string;
  readonly access: Access;
  readonly body?: unknown;
  /** Status once auth lets the request through. */
  readonly ok: number;
}

const routes: readonly RouteCase[] = [
  { method: 'GET', path: '/healthz', access: 'public', ok: 200 },
  { method: 'GET', path: '/metrics', access: 'public', ok: 200 },
  { method: 'GET', path: '/openapi.json', access: 'public', ok: 200 },
  { method: 'GET', path: '/docs', access: 'public', ok: 200 },
  { method: 'GET', path: '/v1/policy', access: 'token', ok: 200 },
  { method: 'POST', path: '/v1/freelancers/ada/tokens', access: 'admin', ok: 404 }, // ada is never registered: no token for her
  { method: 'GET', path: '/v1/freelancers/ada/tokens', access: 'admin-or-own', ok: 200 },
  // An unknown token id: a caller who passes auth gets 404, one who does not gets 401/403.
  { method: 'DELETE', path: '/v1/freelancers/ada/tokens/tok_none', access: 'admin-or-own', ok: 404 },
  // ada is never registered: a caller who passes auth learns only that.
  { method: 'GET', path: '/v1/freelancers/ada/proposals', access: 'admin-or-own', ok: 404 },
  { method: 'GET', path: '/v1/jobs?status=all', access: 'token', ok: 200 },
  { method: 'GET', path: '/v1/admin/clock', access: 'admin', ok: 200 },
  { method: 'PUT', path: '/v1/admin/clock', access: 'admin', body: { now: '2024-03-10T12:00:00Z' }, ok: 200 },
  // Lot corrections: ada is never registered, so an admin learns only that (freelancer_not_found).
  {
    method: 'POST',
    path: '/v1/admin/freelancers/ada/lots/1/void',
    access: 'admin',
    body: { reason: 'm' },
    ok: 404,
  },
  {
    method: 'POST',
    path: '/v1/admin/freelancers/ada/lots/1/expire',
    access: 'admin',
    body: { reason: 'm' },
    ok: 404,
  },
  {
    method: 'POST',
    path: '/v1/admin/freelancers/ada/lots/1/extend',
    access: 'admin',
    body: { reason: 'm', expiresAt: '2030-01-01T00:00:00Z' },
    ok: 404,
  },
  {
    method: 'PUT',
    path: '/v1/admin/freelancers/ada/low-balance-threshold',
    access: 'admin',
    body: { connects: 5 },
    ok: 404,
  },
];

const callers: readonly Caller[] = ['none', 'malformed', 'unknown', 'revoked', 'own', 'other', 'admin'];

function expected(route: RouteCase, caller: Caller): number {
  if (route.access === 'public') return route.ok;
  if (caller === 'none' || caller === 'malformed' || caller === 'unknown' || caller === 'revoked') return 401;
  if (caller === 'admin') return route.ok;
  if (route.access === 'admin') return 403;
  if (route.access === 'admin-or-own' && caller === 'other') return 403;
  return route.ok;
}

describe.each(testEngines)('auth matrix on $name', (engine) => {
  let api: TestApi;
  const headers: Record<Caller, Record<string, string>> = {
    none: {},
    malformed: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    unknown: { authorization: `Bearer cfl_${'x'.repeat(43)}` },
    revoked: {},
    own: {},
    other: {},
    admin: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  };

  beforeAll(async () => {
    api = await openTestApi(engine);
    headers.own = { authorization: `Bearer ${await api.freelancerToken('ada')}` };
    headers.other = { authorization: `Bearer ${await api.freelancerToken('bob')}` };
    // ada is never registered (routes answer their own 404 behind auth), so the token comes from the repository.
    const issued = await api.services.tokens.issue('ada', TEST_START);
    if (!issued.ok) throw new Error(issued.error.message);
    const { token, tokenId } = issued.value;
    expect((await api.call(`/v1/freelancers/ada/tokens/${tokenId}`, { method: 'DELETE' })).status).toBe(200);
    headers.revoked = { authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await api?.close();
  });

  const cases = routes.flatMap((route) => callers.map((caller) => ({ route, caller })));
  it.each(cases)('$route.method $route.path as $caller', async ({ route, caller }) => {
    const init: RequestInit = { method: route.method, headers: { ...headers[caller] } };
    if (route.body !== undefined) {
      init.body = JSON.stringify(route.body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await api.app.request(route.path, init);
    const status = expected(route, caller);
    expect(response.status).toBe(status);
    if (status === 401 || status === 403) {
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
    }
    if (status === 401) expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('an admin token is never accepted in another scheme or with a suffix', async () => {
    for (const authorization of [`Token ${TEST_ADMIN_TOKEN}`, `Bearer ${TEST_ADMIN_TOKEN}x`, `Bearer`, '']) {
      const response = await api.app.request('/v1/admin/clock', { headers: { authorization } });
      expect(response.status).toBe(401);
    }
  });

  it('the scheme name is case-insensitive as RFC 7235 says', async () => {
    const response = await api.app.request('/v1/admin/clock', {
      headers: { authorization: `bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
  });

  it('a freelancer can revoke its own token and is then refused', async () => {
    const token = await api.freelancerToken('carol');
    const auth = { authorization: `Bearer ${token}` };
    const list = (await (
      await api.app.request('/v1/freelancers/carol/tokens', { headers: auth })
    ).json()) as {
      tokens: { tokenId: string }[];
    };
    const tokenId = list.tokens[0]?.tokenId as string;
    const revoked = await api.app.request(`/v1/freelancers/carol/tokens/${tokenId}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(revoked.status).toBe(200);
    expect((await api.app.request('/v1/freelancers/carol/tokens', { headers: auth })).status).toBe(401);
  });
});
