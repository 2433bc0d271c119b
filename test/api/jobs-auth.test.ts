import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectsClient } from '../../src/client/index.ts';
import type { HttpMethod } from '../../src/client/types.ts';
import type { paths } from '../../src/client/schema.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';
import { openLiveApi, outcome, type LiveApi } from './kit.ts';

/**
 * Every jobs, proposals and badge route against every kind of caller, over
 * HTTP. Client actions on jobs are the marketplace's (admin); freelancers
 * read jobs and submit and withdraw their own proposals; the badge is the
 * freelancer's. `ok` is what a caller who passes auth gets; `other` what a
 * valid token of another freelancer gets when that is not simply 403.
 */
type Access = 'admin' | 'token' | 'own';
type Caller = 'none' | 'unknown' | 'revoked' | 'own' | 'other' | 'admin';

interface RouteCase {
  readonly method: HttpMethod;
  readonly path: keyof paths;
  readonly params: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly access: Access;
  readonly other?: number;
}

const CARD = '4242424242424242';

const routes: readonly RouteCase[] = [
  { method: 'post', path: '/v1/jobs', params: {}, body: { id: 'JA-new', clientId: 'c' }, access: 'admin' },
  { method: 'get', path: '/v1/jobs', params: {}, access: 'token' },
  { method: 'get', path: '/v1/jobs/{id}', params: { id: 'JA' }, access: 'token' },
  { method: 'get', path: '/v1/jobs/{id}', params: { id: 'JA' }, query: { viewer: 'ada' }, access: 'own' },
  // Ada is on Plus; Bob passes auth but his plan does not allow the range.
  { method: 'get', path: '/v1/jobs/{id}/bid-range', params: { id: 'JA' }, access: 'token', other: 422 },
  {
    method: 'post',
    path: '/v1/jobs/{id}/cancel',
    params: { id: 'JA-cancel' },
    body: { reason: 'client' },
    access: 'admin',
  },
  {
    method: 'post',
    path: '/v1/jobs/{id}/hire',
    params: { id: 'JA-hire' },
    body: { proposalId: 'ap-hire' },
    access: 'admin',
  },
  {
    method: 'post',
    path: '/v1/jobs/{id}/proposals',
    params: { id: 'JA-propose' },
    body: { proposalId: 'ap-new', freelancerId: 'ada', bidCents: 5_000, boostConnects: 2 },
    access: 'own',
  },
  {
    method: 'post',
    path: '/v1/proposals/{id}/interactions',
    params: { id: 'ap' },
    body: { kind: 'opens' },
    access: 'admin',
  },
  { method: 'post', path: '/v1/proposals/{id}/interviews', params: { id: 'ap' }, access: 'admin' },
  // Another freelancer's proposal is reported as unknown: its existence is not theirs to learn.
  {
    method: 'post',
    path: '/v1/proposals/{id}/withdraw',
    params: { id: 'ap-w' },
    access: 'token',
    other: 404,
  },
  {
    method: 'put',
    path: '/v1/freelancers/{id}/availability-badge',
    params: { id: 'ada' },
    body: { on: false, weeklyMaxConnects: 5 },
    access: 'own',
  },
  { method: 'get', path: '/v1/freelancers/{id}/availability-badge', params: { id: 'ada' }, access: 'own' },
  { method: 'get', path: '/v1/freelancers/{id}/proposals', params: { id: 'ada' }, access: 'own' },
  { method: 'get', path: '/v1/jobs', params: {}, query: { status: 'cancelled' }, access: 'token' },
];

const callers: readonly Caller[] = ['none', 'unknown', 'revoked', 'own', 'other', 'admin'];

/** The status class a caller gets: 401 and 403 exactly, 2 for any success. */
function expected(route: RouteCase, caller: Caller): number {
  if (caller === 'none' || caller === 'unknown' || caller === 'revoked') return 401;
  if (caller === 'admin') return 2;
  if (route.access === 'admin') return 403;
  if (caller === 'other') return route.other ?? (route.access === 'own' ? 403 : 2);
  return 2;
}

describe.each(testEngines)(
  'jobs and proposals auth matrix over HTTP on $name',
  { timeout: 120_000 },
  (engine) => {
    let live: LiveApi;
    const clients = {} as Record<Caller, ConnectsClient>;

    beforeAll(async () => {
      live = await openLiveApi(engine);
      const { admin } = live;
      await live.register('ada', 'bob');
      await admin.put('/v1/freelancers/{id}/plan', {
        path: { id: 'ada' },
        body: { plan: 'plus', card: CARD },
      });
      for (const id of ['JA', 'JA-cancel', 'JA-hire', 'JA-propose', 'JA-withdraw']) {
        await admin.post('/v1/jobs', { body: { id, clientId: 'client', budgetCents: 1_000 } });
      }
      const propose = (job: string, proposalId: string) =>
        admin.post('/v1/jobs/{id}/proposals', {
          path: { id: job },
          body: {
            proposalId,
            freelancerId: 'ada',
            bidCents: 900,
            ...(proposalId === 'ap' ? { boostConnects: 3 } : {}),
          },
        });
      await propose('JA', 'ap');
      await propose('JA-hire', 'ap-hire');
      await propose('JA-withdraw', 'ap-w');
      clients.admin = admin;
      clients.none = admin.withToken(undefined);
      clients.unknown = admin.withToken(`cfl_${'x'.repeat(43)}`);
      clients.own = await live.as('ada');
      clients.other = await live.as('bob');
      const revoked = await admin.post('/v1/freelancers/{id}/tokens', { path: { id: 'ada' } });
      await admin.delete('/v1/freelancers/{id}/tokens/{tokenId}', {
        path: { id: 'ada', tokenId: revoked.tokenId },
      });
      clients.revoked = admin.withToken(revoked.token);
    }, 120_000);
    afterAll(async () => {
      await live?.close();
    });

    it.each(routes)('$method $path $query', async (route) => {
      for (const caller of callers) {
        const call = clients[caller].raw(route.method, route.path, {
          path: route.params,
          ...(route.query === undefined ? {} : { query: route.query }),
          ...(route.body === undefined ? {} : { body: route.body }),
        });
        const { status } = await outcome(call);
        const got = status >= 200 && status < 300 ? 2 : status;
        expect({ caller, status: got }).toEqual({ caller, status: expected(route, caller) });
      }
    });

    it('a freelancer cannot submit a proposal for another, and a refused call changes nothing', async () => {
      const before = await live.balance('ada');
      const forAda = clients.other.post('/v1/jobs/{id}/proposals', {
        path: { id: 'JA' },
        body: { proposalId: 'bp', freelancerId: 'ada', bidCents: 100 },
      });
      expect(await outcome(forAda)).toEqual({ status: 403, code: 'forbidden' });
      expect(
        await outcome(clients.own.get('/v1/jobs/{id}', { path: { id: 'JA' }, query: { viewer: 'bob' } })),
      ).toEqual({
        status: 403,
        code: 'forbidden',
      });
      expect(await live.balance('ada')).toEqual(before);
      const job = await clients.admin.get('/v1/jobs/{id}', { path: { id: 'JA' }, query: {} });
      expect(job.job.proposalCount).toBe(1);
    });
  },
);
