// First: the operator module's schemas get `.openapi()` only when created after @hono/zod-openapi extends zod.
import '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, type Role } from '../../src/app/operators/operators.ts';
import { openTestApi, TEST_ADMIN_TOKEN, TEST_START, type TestApi } from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';

/**
 * Every route of the OpenAPI document against every kind of caller. A route
 * is public, needs any token, or names who may use it: owners always (the
 * bootstrap admin token and owner operators), the operator roles listed, and
 * freelancers (the one the path or body names, or any); the expected status
 * follows from that alone. A route the document lists without a case here
 * fails the suite, so a new route cannot slip through unclassified.
 *
 * Requests are chosen so every caller let through gets the same answer
 * (`ok`) and nothing changes: ada is never registered (her routes answer
 * their own 404), writes are sent bodies the route refuses (400) or name
 * what does not exist (404).
 */
interface Rule {
  /** Operator roles besides owner. */
  readonly roles?: readonly Role[];
  /** Freelancers let through: the one the path or the body names, or any freelancer. */
  readonly freelancer?: 'own' | 'any';
}
type Access = 'public' | 'token' | Rule;

const callers = [
  'none',
  'malformed',
  'unknown',
  'unknownKey',
  'revokedToken',
  'revokedKey',
  'expiredKey',
  'own',
  'other',
  'admin',
  'owner',
  'support',
  'finance',
  'marketplace',
] as const;
type Caller = (typeof callers)[number];

interface RouteCase {
  /** The operation in the OpenAPI document: METHOD /template. */
  readonly route: string;
  /** The request sent (defaults to the template's path). */
  readonly path?: string;
  readonly access: Access;
  readonly body?: unknown;
  /** Status once auth lets the request through. */
  readonly ok: number;
}

const owner: Rule = {};
const own = (...roles: Role[]): Rule => ({ roles, freelancer: 'own' });
const roles = (...list: Role[]): Rule => ({ roles: list });

const routes: readonly RouteCase[] = [
  // Public.
  { route: 'GET /healthz', access: 'public', ok: 200 },
  { route: 'GET /livez', access: 'public', ok: 200 },
  { route: 'GET /readyz', access: 'public', ok: 200 },
  { route: 'GET /metrics', access: 'public', ok: 200 },
  { route: 'GET /openapi.json', access: 'public', ok: 200 },
  { route: 'GET /docs', access: 'public', ok: 200 },
  { route: 'GET /v1/policy.schema.json', access: 'public', ok: 200 },
  // Any valid token.
  { route: 'GET /v1/policy', access: 'token', ok: 200 },
  { route: 'GET /v1/session', access: 'token', ok: 200 },
  { route: 'GET /v1/badge-price', access: 'token', ok: 200 },
  { route: 'GET /v1/jobs', path: '/v1/jobs?status=all', access: 'token', ok: 200 },
  { route: 'GET /v1/jobs/{id}', path: '/v1/jobs/job-none', access: 'token', ok: 404 },
  { route: 'GET /v1/jobs/{id}/bid-range', path: '/v1/jobs/job-none/bid-range', access: 'token', ok: 404 },
  // Freelancer tokens.
  { route: 'POST /v1/freelancers/{id}/tokens', path: '/v1/freelancers/ada/tokens', access: owner, ok: 404 },
  { route: 'GET /v1/freelancers/{id}/tokens', path: '/v1/freelancers/ada/tokens', access: own(), ok: 200 },
  {
    route: 'DELETE /v1/freelancers/{id}/tokens/{tokenId}',
    path: '/v1/freelancers/ada/tokens/tok_none',
    access: own(),
    ok: 404,
  },
  // Operators and the audit trail.
  { route: 'POST /v1/admin/operators', access: owner, body: { id: 'a b', role: 'owner' }, ok: 400 },
  { route: 'GET /v1/admin/operators', access: owner, ok: 200 },
  {
    route: 'POST /v1/admin/operators/{id}/keys',
    path: '/v1/admin/operators/nobody/keys',
    access: owner,
    ok: 404,
  },
  {
    route: 'DELETE /v1/admin/operators/{id}/keys/{keyId}',
    path: '/v1/admin/operators/nobody/keys/key_none',
    access: owner,
    ok: 404,
  },
  { route: 'GET /v1/admin/audit', access: roles('finance'), ok: 200 },
  // Service.
  { route: 'GET /v1/admin/clock', access: owner, ok: 200 },
  { route: 'PUT /v1/admin/clock', access: owner, body: { now: '2024-03-10T12:00:00Z' }, ok: 200 },
  { route: 'POST /v1/admin/tick', access: owner, ok: 200 },
  { route: 'GET /v1/admin/scheduler', access: owner, ok: 200 },
  // Jobs and proposals: the marketplace's integration key.
  { route: 'POST /v1/jobs', access: roles('marketplace'), body: {}, ok: 400 },
  {
    route: 'POST /v1/jobs/{id}/cancel',
    path: '/v1/jobs/job-none/cancel',
    access: roles('support', 'marketplace'),
    body: {},
    ok: 400,
  },
  {
    route: 'POST /v1/jobs/{id}/hire',
    path: '/v1/jobs/job-none/hire',
    access: roles('marketplace'),
    body: {},
    ok: 400,
  },
  {
    route: 'POST /v1/jobs/{id}/proposals',
    path: '/v1/jobs/job-none/proposals',
    access: own('marketplace'),
    body: { proposalId: 'p-none', freelancerId: 'ada', bidCents: 100 },
    ok: 404,
  },
  {
    route: 'POST /v1/proposals/{id}/withdraw',
    path: '/v1/proposals/p-none/withdraw',
    access: { roles: ['marketplace'], freelancer: 'any' },
    ok: 404,
  },
  {
    route: 'GET /v1/freelancers/{id}/proposals',
    path: '/v1/freelancers/ada/proposals',
    access: own('support', 'marketplace'),
    ok: 404,
  },
  {
    route: 'POST /v1/proposals/{id}/interactions',
    path: '/v1/proposals/p-none/interactions',
    access: roles('marketplace'),
    body: {},
    ok: 400,
  },
  {
    route: 'POST /v1/proposals/{id}/interviews',
    path: '/v1/proposals/p-none/interviews',
    access: roles('marketplace'),
    body: {},
    ok: 404,
  },
  // Freelancers.
  { route: 'POST /v1/freelancers', access: roles('marketplace'), body: {}, ok: 400 },
  {
    route: 'GET /v1/freelancers/{id}',
    path: '/v1/freelancers/ada',
    access: own('support', 'finance', 'marketplace'),
    ok: 404,
  },
  {
    route: 'GET /v1/freelancers/{id}/balance',
    path: '/v1/freelancers/ada/balance',
    access: own('support', 'finance'),
    ok: 404,
  },
  {
    route: 'GET /v1/freelancers/{id}/lots',
    path: '/v1/freelancers/ada/lots',
    access: own('support', 'finance'),
    ok: 404,
  },
  {
    route: 'GET /v1/freelancers/{id}/entries',
    path: '/v1/freelancers/ada/entries',
    access: own('support', 'finance'),
    ok: 404,
  },
  {
    route: 'PUT /v1/freelancers/{id}/availability-badge',
    path: '/v1/freelancers/ada/availability-badge',
    access: own(),
    body: {},
    ok: 400,
  },
  {
    route: 'GET /v1/freelancers/{id}/availability-badge',
    path: '/v1/freelancers/ada/availability-badge',
    access: own('support'),
    ok: 404,
  },
  {
    route: 'PUT /v1/freelancers/{id}/plan',
    path: '/v1/freelancers/ada/plan',
    access: own(),
    body: {},
    ok: 400,
  },
  {
    route: 'GET /v1/freelancers/{id}/plan/preview',
    path: '/v1/freelancers/ada/plan/preview?plan=plus',
    access: own('support'),
    ok: 404,
  },
  {
    route: 'POST /v1/freelancers/{id}/facts',
    path: '/v1/freelancers/ada/facts',
    access: own('marketplace'),
    body: { nope: 1 },
    ok: 400,
  },
  {
    route: 'POST /v1/freelancers/{id}/certifications',
    path: '/v1/freelancers/ada/certifications',
    access: own('marketplace'),
    body: { nope: 1 },
    ok: 400,
  },
  // Purchases and promo codes.
  {
    route: 'POST /v1/freelancers/{id}/purchases',
    path: '/v1/freelancers/ada/purchases',
    access: own(),
    body: {},
    ok: 400,
  },
  {
    route: 'GET /v1/freelancers/{id}/purchases',
    path: '/v1/freelancers/ada/purchases',
    access: own('support', 'finance'),
    ok: 404,
  },
  {
    route: 'GET /v1/freelancers/{id}/purchases/quote',
    path: '/v1/freelancers/ada/purchases/quote?connects=10',
    access: own('support'),
    ok: 404,
  },
  {
    route: 'GET /v1/freelancers/{id}/purchases/{purchaseId}/receipt',
    path: '/v1/freelancers/ada/purchases/pur-none/receipt',
    access: own('support', 'finance'),
    ok: 404,
  },
  {
    route: 'POST /v1/admin/purchases/{freelancerId}/{purchaseId}/refund',
    path: '/v1/admin/purchases/ada/pur-none/refund',
    access: owner,
    body: { nope: 1 },
    ok: 400,
  },
  { route: 'POST /v1/promo-codes', access: owner, body: {}, ok: 400 },
  { route: 'GET /v1/promo-codes', access: roles('support', 'finance'), ok: 200 },
  {
    route: 'POST /v1/freelancers/{id}/promo-redemptions',
    path: '/v1/freelancers/ada/promo-redemptions',
    access: own(),
    body: {},
    ok: 400,
  },
  // Support's corrections.
  { route: 'POST /v1/admin/grants', access: roles('support'), body: {}, ok: 400 },
  {
    route: 'POST /v1/admin/freelancers/{id}/lots/{lotNo}/void',
    path: '/v1/admin/freelancers/ada/lots/1/void',
    access: roles('support'),
    body: { reason: 'm' },
    ok: 404,
  },
  {
    route: 'POST /v1/admin/freelancers/{id}/lots/{lotNo}/expire',
    path: '/v1/admin/freelancers/ada/lots/1/expire',
    access: roles('support'),
    body: { reason: 'm' },
    ok: 404,
  },
  {
    route: 'POST /v1/admin/freelancers/{id}/lots/{lotNo}/extend',
    path: '/v1/admin/freelancers/ada/lots/1/extend',
    access: roles('support'),
    body: { reason: 'm', expiresAt: '2030-01-01T00:00:00Z' },
    ok: 404,
  },
  {
    route: 'PUT /v1/admin/freelancers/{id}/low-balance-threshold',
    path: '/v1/admin/freelancers/ada/low-balance-threshold',
    access: roles('support'),
    body: { connects: 5 },
    ok: 404,
  },
  // Operator settings, policies, webhooks.
  { route: 'PUT /v1/admin/badge-price', access: owner, body: {}, ok: 400 },
  { route: 'GET /v1/admin/low-balance-threshold', access: owner, ok: 200 },
  { route: 'PUT /v1/admin/low-balance-threshold', access: owner, body: {}, ok: 400 },
  { route: 'GET /v1/admin/policies', access: owner, ok: 200 },
  { route: 'POST /v1/admin/policies', access: owner, body: {}, ok: 400 },
  { route: 'GET /v1/admin/policies/{id}', path: '/v1/admin/policies/pol-none', access: owner, ok: 404 },
  {
    route: 'PUT /v1/admin/policies/{id}',
    path: '/v1/admin/policies/pol-none',
    access: owner,
    body: {},
    ok: 400,
  },
  { route: 'DELETE /v1/admin/policies/{id}', path: '/v1/admin/policies/pol-none', access: owner, ok: 404 },
  { route: 'POST /v1/admin/webhooks', access: owner, body: {}, ok: 400 },
  { route: 'GET /v1/admin/webhooks', access: owner, ok: 200 },
  {
    route: 'DELETE /v1/admin/webhooks/{id}',
    path: '/v1/admin/webhooks/wh_0123456789abcdef01234567',
    access: owner,
    ok: 404,
  },
  {
    route: 'GET /v1/admin/webhooks/{id}/deliveries',
    path: '/v1/admin/webhooks/wh_0123456789abcdef01234567/deliveries',
    access: owner,
    ok: 200,
  },
  {
    route: 'POST /v1/admin/webhooks/{id}/retry-failed',
    path: '/v1/admin/webhooks/wh_0123456789abcdef01234567/retry-failed',
    access: owner,
    ok: 200,
  },
  // Simulations (owner).
  { route: 'POST /v1/admin/simulations', access: owner, body: {}, ok: 400 },
  { route: 'GET /v1/admin/simulations', access: owner, ok: 200 },
  { route: 'GET /v1/admin/simulations/{id}', path: '/v1/admin/simulations/sim_none', access: owner, ok: 404 },
  {
    route: 'GET /v1/admin/simulations/{id}/result.csv',
    path: '/v1/admin/simulations/sim_none/result.csv',
    access: owner,
    ok: 404,
  },
  {
    route: 'POST /v1/admin/simulations/{id}/cancel',
    path: '/v1/admin/simulations/sim_none/cancel',
    access: owner,
    ok: 404,
  },
  // Reading the marketplace.
  { route: 'GET /v1/admin/freelancers', access: roles('support', 'finance'), ok: 200 },
  { route: 'GET /v1/admin/stats', access: roles('finance'), ok: 200 },
  {
    route: 'GET /v1/admin/reports/ledger',
    path: '/v1/admin/reports/ledger?month=2024-02',
    access: roles('finance'),
    ok: 200,
  },
];

const roleOf: Partial<Record<Caller, Role>> = {
  admin: 'owner',
  owner: 'owner',
  support: 'support',
  finance: 'finance',
  marketplace: 'marketplace',
};

function expected(route: RouteCase, caller: Caller): number {
  const { access } = route;
  if (access === 'public') return route.ok;
  const role = roleOf[caller];
  if (caller === 'own' || caller === 'other') {
    if (access === 'token') return route.ok;
    if (access.freelancer === 'any') return route.ok;
    return access.freelancer === 'own' && caller === 'own' ? route.ok : 403;
  }
  if (role === undefined) return 401;
  if (access === 'token' || role === 'owner') return route.ok;
  return access.roles?.includes(role) === true ? route.ok : 403;
}

const split = (route: string): [string, string] => route.split(' ') as [string, string];

describe.each(testEngines)('auth matrix on $name', (engine) => {
  let api: TestApi;
  const headers: Record<Caller, Record<string, string>> = {
    none: {},
    malformed: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    unknown: { authorization: `Bearer cfl_${'x'.repeat(43)}` },
    unknownKey: { authorization: `Bearer cop_${'x'.repeat(43)}` },
    revokedToken: {},
    revokedKey: {},
    expiredKey: {},
    own: {},
    other: {},
    admin: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    owner: {},
    support: {},
    finance: {},
    marketplace: {},
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await openTestApi(engine);
    headers.own = bearer(await api.freelancerToken('ada'));
    headers.other = bearer(await api.freelancerToken('bob'));
    // ada is never registered (routes answer their own 404 behind auth), so the token comes from the repository.
    const issued = await api.services.tokens.issue('ada', TEST_START);
    if (!issued.ok) throw new Error(issued.error.message);
    const { token, tokenId } = issued.value;
    expect((await api.call(`/v1/freelancers/ada/tokens/${tokenId}`, { method: 'DELETE' })).status).toBe(200);
    headers.revokedToken = bearer(token);
    const key = async (id: string, role: Role, expiresAt?: number) => {
      const made = await createOperator(
        api.services.store,
        expiresAt === undefined ? { id, role } : { id, role, expiresAt },
        'admin',
        TEST_START - 120_000,
      );
      if (!made.ok) throw new Error(made.error.message);
      return made.value;
    };
    for (const role of ['owner', 'support', 'finance', 'marketplace'] as const) {
      headers[role] = bearer((await key(`op-${role}`, role)).key);
    }
    // Expired a minute before the test clock's start; revoked through the API.
    headers.expiredKey = bearer((await key('op-expired', 'owner', TEST_START - 60_000)).key);
    const revoked = await key('op-revoked', 'owner');
    const gone = await api.call(`/v1/admin/operators/op-revoked/keys/${revoked.keyId}`, { method: 'DELETE' });
    expect(gone.status).toBe(200);
    headers.revokedKey = bearer(revoked.key);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('has a case for every operation of the OpenAPI document, and none for an operation it lacks', async () => {
    const document = (await (await api.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set(routes.map((r) => r.route));
    expect(
      operations.filter((op) => !covered.has(op)),
      'routes without a case',
    ).toEqual([]);
    expect(
      routes.map((r) => r.route).filter((r) => !operations.includes(r)),
      'cases for no route',
    ).toEqual([]);
  });

  const cases = routes.flatMap((route) => callers.map((caller) => ({ route, caller })));
  it.each(cases)('$route.route as $caller', async ({ route, caller }) => {
    const [method, template] = split(route.route);
    const init: RequestInit = { method, headers: { ...headers[caller] } };
    if (route.body !== undefined) {
      init.body = JSON.stringify(route.body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await api.app.request(route.path ?? template, init);
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
