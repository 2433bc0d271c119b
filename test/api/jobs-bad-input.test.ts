import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN } from '../../src/http/testing/test-api.ts';
import { testEngines } from '../../src/store/testing/test-engines.ts';
import { openLiveApi, type LiveApi } from './kit.ts';

/**
 * Malformed, out-of-range and unknown input on the jobs, proposals and badge
 * routes, sent as raw HTTP (the typed client would not let most of it be
 * written): every one is a 4xx with a stable code, never a 500, and after
 * each batch the books, the jobs and the badge are exactly as before.
 */
interface Sent {
  readonly status: number;
  readonly code: string;
}

const long = 'x'.repeat(65);

describe.each(testEngines)(
  'bad input on the jobs routes over HTTP on $name',
  { timeout: 120_000 },
  (engine) => {
    let live: LiveApi;
    let snapshot: unknown;

    async function send(
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Sent> {
      const init: RequestInit = {
        method,
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          'content-type': 'application/json',
          ...headers,
        },
      };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const response = await fetch(`${live.http.baseUrl}${path}`, init);
      const parsed = (await response.json()) as { error?: { code: string } };
      return { status: response.status, code: parsed.error?.code ?? 'ok' };
    }

    /** Everything a refused request could have touched. */
    async function state() {
      const { admin } = live;
      return {
        ada: await live.balance('ada'),
        entries: (
          await admin.get('/v1/freelancers/{id}/entries', { path: { id: 'ada' }, query: { limit: 500 } })
        ).entries.length,
        jobs: (await admin.get('/v1/jobs', { query: {} })).jobs,
        job: await admin.get('/v1/jobs/{id}', { path: { id: 'JB' }, query: {} }),
        badge: await admin.get('/v1/freelancers/{id}/availability-badge', { path: { id: 'ada' } }),
      };
    }

    async function expectAll(cases: readonly [string, string, unknown, number, string][]): Promise<void> {
      for (const [method, path, body, status, code] of cases) {
        expect({ method, path, body, ...(await send(method, path, body)) }).toEqual({
          method,
          path,
          body,
          status,
          code,
        });
      }
    }

    beforeAll(async () => {
      live = await openLiveApi(engine);
      await live.register('ada', 'bob');
      await live.admin.post('/v1/jobs', { body: { id: 'JB', clientId: 'client', budgetCents: 20_000 } });
      await live.admin.post('/v1/jobs', { body: { id: 'JC', clientId: 'client', budgetCents: 20_000 } });
      await live.admin.post('/v1/jobs/{id}/proposals', {
        path: { id: 'JB' },
        body: { proposalId: 'bp', freelancerId: 'ada', bidCents: 15_000, boostConnects: 5 },
      });
    }, 120_000);
    beforeEach(async () => {
      snapshot = await state();
    });
    afterAll(async () => {
      await live?.close();
    });

    const unchanged = async () => expect(await state()).toEqual(snapshot);

    it('POST /v1/jobs refuses malformed bodies, wrong types, unknown fields and out-of-range numbers', async () => {
      const job = { id: 'JX', clientId: 'client' };
      await expectAll([
        ['POST', '/v1/jobs', '{"id": "JX",', 400, 'validation_failed'],
        ['POST', '/v1/jobs', '[]', 400, 'validation_failed'],
        ['POST', '/v1/jobs', {}, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, color: 'red' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, id: long }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, id: 'has space' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, id: '' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, clientId: 7 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, budgetCents: -1 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, budgetCents: 12.5 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, budgetCents: 1e300 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, budgetCents: '100' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, connectsRequired: -1 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, connectsRequired: 10_001 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, hourly: 'yes' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { ...job, enterprise: null }, 400, 'validation_failed'],
        ['POST', '/v1/jobs', { id: 'JB', clientId: 'someone-else' }, 409, 'job_exists'],
        ['POST', '/v1/jobs', { ...job, clientId: 'y'.repeat(70_000) }, 413, 'payload_too_large'],
      ]);
      expect(await send('POST', '/v1/jobs', 'id=JX', { 'content-type': 'text/plain' })).toEqual({
        status: 415,
        code: 'unsupported_media_type',
      });
      expect(await send('POST', '/v1/jobs', job, { 'idempotency-key': 'k'.repeat(201) })).toEqual({
        status: 400,
        code: 'validation_failed',
      });
      await unchanged();
    });

    it('proposals refuse bad bids, unknown paths, unknown jobs and freelancers, and bids they cannot pay', async () => {
      const p = { proposalId: 'nx', freelancerId: 'bob', bidCents: 100 };
      await expectAll([
        ['POST', '/v1/jobs/JC/proposals', { ...p, bidCents: -5 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, bidCents: 1.5 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, boostConnects: 0 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, boostConnects: -1 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, boostConnects: 2_000_000 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, via: 'email' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, jobId: 'JB' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { bidCents: 100, freelancerId: 'bob' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, proposalId: 'has/slash' }, 400, 'validation_failed'],
        ['POST', `/v1/jobs/${long}/proposals`, p, 400, 'validation_failed'],
        ['POST', '/v1/jobs/nope/proposals', p, 404, 'job_not_found'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, freelancerId: 'nobody' }, 404, 'freelancer_not_found'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, boostConnects: 51 }, 422, 'invalid_amount'],
        ['POST', '/v1/jobs/JC/proposals', { ...p, boostConnects: 47 }, 409, 'insufficient_connects'],
        ['POST', '/v1/jobs/JB/proposals', { ...p, proposalId: 'bp' }, 409, 'proposal_exists'],
        ['POST', '/v1/jobs/JB/proposals', { ...p, freelancerId: 'ada' }, 409, 'duplicate_proposal'],
      ]);
      await unchanged();
      expect(await live.balance('bob')).toEqual({ balance: 50, available: 50, held: 0 });
    });

    it('cancel, hire, interactions, interviews and withdrawals refuse what they cannot act on', async () => {
      await expectAll([
        ['POST', '/v1/jobs/JB/cancel', { reason: 'bored' }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JB/cancel', {}, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JB/cancel', { reason: 'client', refund: false }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/nope/cancel', { reason: 'client' }, 404, 'job_not_found'],
        ['POST', '/v1/jobs/JB/hire', {}, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JB/hire', { proposalId: 42 }, 400, 'validation_failed'],
        ['POST', '/v1/jobs/JB/hire', { proposalId: 'nope' }, 404, 'proposal_not_found'],
        ['POST', '/v1/jobs/JC/hire', { proposalId: 'bp' }, 404, 'proposal_not_found'],
        ['POST', '/v1/proposals/bp/interactions', { kind: 'likes' }, 400, 'validation_failed'],
        ['POST', '/v1/proposals/bp/interactions', {}, 400, 'validation_failed'],
        [
          'POST',
          '/v1/proposals/bp/interactions',
          { kind: 'opens', interactionId: 'a b' },
          400,
          'validation_failed',
        ],
        ['POST', '/v1/proposals/nope/interactions', { kind: 'opens' }, 404, 'proposal_not_found'],
        ['POST', '/v1/proposals/nope/interviews', undefined, 404, 'proposal_not_found'],
        ['POST', `/v1/proposals/${long}/interviews`, undefined, 400, 'validation_failed'],
        ['POST', '/v1/proposals/nope/withdraw', undefined, 404, 'proposal_not_found'],
      ]);
      await unchanged();
    });

    it('the badge refuses bad switches, unknown freelancers and a maximum below the price', async () => {
      await expectAll([
        [
          'PUT',
          '/v1/freelancers/ada/availability-badge',
          { on: 'yes', weeklyMaxConnects: 5 },
          400,
          'validation_failed',
        ],
        ['PUT', '/v1/freelancers/ada/availability-badge', { on: true }, 400, 'validation_failed'],
        [
          'PUT',
          '/v1/freelancers/ada/availability-badge',
          { on: true, weeklyMaxConnects: -1 },
          400,
          'validation_failed',
        ],
        [
          'PUT',
          '/v1/freelancers/ada/availability-badge',
          { on: true, weeklyMaxConnects: 1001 },
          400,
          'validation_failed',
        ],
        [
          'PUT',
          '/v1/freelancers/ada/availability-badge',
          { on: true, weeklyMaxConnects: 2.5 },
          400,
          'validation_failed',
        ],
        [
          'PUT',
          '/v1/freelancers/ada/availability-badge',
          { on: true, weeklyMaxConnects: 5, x: 1 },
          400,
          'validation_failed',
        ],
        [
          'PUT',
          '/v1/freelancers/nobody/availability-badge',
          { on: true, weeklyMaxConnects: 5 },
          404,
          'freelancer_not_found',
        ],
        [
          'PUT',
          '/v1/freelancers/ada/availability-badge',
          { on: true, weeklyMaxConnects: 4 },
          422,
          'badge_price_above_max',
        ],
        ['GET', '/v1/freelancers/nobody/availability-badge', undefined, 404, 'freelancer_not_found'],
      ]);
      await unchanged();
    });

    it('reads refuse bad paging, viewers and ids', async () => {
      await expectAll([
        ['GET', '/v1/jobs?limit=0', undefined, 400, 'validation_failed'],
        ['GET', '/v1/jobs?limit=101', undefined, 400, 'validation_failed'],
        ['GET', '/v1/jobs?limit=abc', undefined, 400, 'validation_failed'],
        ['GET', '/v1/jobs?limit=2.5', undefined, 400, 'validation_failed'],
        ['GET', '/v1/jobs?cursor=not-a-cursor', undefined, 400, 'validation_failed'],
        ['GET', '/v1/jobs?sort=budget', undefined, 400, 'validation_failed'],
        ['GET', '/v1/jobs/JB?viewer=no%20body', undefined, 400, 'validation_failed'],
        ['GET', '/v1/jobs/JB?viewer=nobody', undefined, 404, 'freelancer_not_found'],
        ['GET', '/v1/jobs/nope', undefined, 404, 'job_not_found'],
        ['GET', '/v1/jobs/nope/bid-range', undefined, 404, 'job_not_found'],
        ['GET', `/v1/jobs/${long}`, undefined, 400, 'validation_failed'],
      ]);
      await unchanged();
    });
  },
);
