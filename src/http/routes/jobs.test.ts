import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, type TestApi } from '../testing/test-api.ts';
import { registerFreelancer } from '../../app/accounts/register-freelancer.ts';
import { testEngines } from '../../store/testing/test-engines.ts';

/**
 * The jobs and proposals routes in process: paging, what the routes add to
 * the use cases (interaction ids from keys, hire checks the path, metrics).
 * The whole story over HTTP, the auth matrix and bad input are in test/api.
 */
describe.each(testEngines)('jobs routes on $name', (engine) => {
  let api: TestApi;
  const json = (method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const post = async (path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await api.call(path, json('POST', body, headers));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    api = await openTestApi(engine);
    for (const id of ['ada', 'bob']) {
      const done = await registerFreelancer(api.services.app, { id }, api.services.clock.now());
      expect(done.ok).toBe(true);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('pages through open jobs, newest first, with the cursor it returns', async () => {
    for (const id of ['L1', 'L2', 'L3']) {
      expect((await post('/v1/jobs', { id, clientId: 'c', budgetCents: 100 })).status).toBe(201);
    }
    expect((await post('/v1/jobs', { id: 'L1', clientId: 'c', budgetCents: 100 })).status).toBe(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const page = (await (await api.call(`/v1/jobs${query}`)).json()) as {
        jobs: { jobId: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.jobs.map((j) => j.jobId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    // Same posting instant: the id breaks the tie, descending.
    expect(seen.filter((id) => id.startsWith('L'))).toEqual(['L3', 'L2', 'L1']);
  });

  it('records interactions by body id, by Idempotency-Key, or each time without either', async () => {
    await post('/v1/jobs', { id: 'IJ', clientId: 'c', connectsRequired: 0 });
    await post('/v1/jobs/IJ/proposals', {
      proposalId: 'ip',
      freelancerId: 'ada',
      bidCents: 1,
      boostConnects: 2,
    });
    const byId = await post('/v1/proposals/ip/interactions', { kind: 'opens', interactionId: 'evt-1' });
    expect(byId).toMatchObject({ status: 201, body: { interactionId: 'evt-1', chargedConnects: 2 } });
    const again = await post('/v1/proposals/ip/interactions', { kind: 'opens', interactionId: 'evt-1' });
    expect(again).toMatchObject({ status: 200, body: { replayed: true, boost: { opens: 1 } } });
    const conflict = await post('/v1/proposals/ip/interactions', {
      kind: 'messages',
      interactionId: 'evt-1',
    });
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict' } } });

    // A key may hold characters ids may not (space, #): its digest stands for it.
    const key = { 'idempotency-key': 'open #2' };
    const first = await post('/v1/proposals/ip/interactions', { kind: 'opens' }, key);
    expect(first.body['interactionId']).toMatch(/^key-[0-9a-f]{40}$/);
    await post('/v1/proposals/ip/interactions', { kind: 'opens' }, key);
    const third = await post('/v1/proposals/ip/interactions', { kind: 'opens' });
    expect(third.body['interactionId']).toMatch(/^auto-/);
    // Three opens in all: the "Boosted" mark ends, the boost stays charged.
    expect(third.body['boost']).toMatchObject({ status: 'charged', opens: 3, boosted: false });
  });

  it('hires only a proposal of the job in the path, and closes its auction', async () => {
    await post('/v1/jobs', { id: 'HJ', clientId: 'c', connectsRequired: 1 });
    await post('/v1/jobs/HJ/proposals', {
      proposalId: 'hp-a',
      freelancerId: 'ada',
      bidCents: 1,
      boostConnects: 3,
    });
    await post('/v1/jobs/HJ/proposals', {
      proposalId: 'hp-b',
      freelancerId: 'bob',
      bidCents: 1,
      boostConnects: 2,
    });
    expect(await post('/v1/jobs/IJ/hire', { proposalId: 'hp-a' })).toMatchObject({
      status: 404,
      body: { error: { code: 'proposal_not_found' } },
    });
    const hired = await post('/v1/jobs/HJ/hire', { proposalId: 'hp-a' });
    expect(hired).toMatchObject({
      status: 200,
      body: { chargedConnects: 5, releasedConnects: 0, job: { status: 'hired', hiredProposalId: 'hp-a' } },
    });
    expect(await post('/v1/jobs/HJ/hire', { proposalId: 'hp-a' })).toMatchObject({
      body: { replayed: true },
    });
    expect(await post('/v1/jobs/HJ/hire', { proposalId: 'hp-b' })).toMatchObject({
      status: 409,
      body: { error: { code: 'job_closed' } },
    });
  });

  it('counts each use case by type and outcome in the metrics', async () => {
    await post('/v1/jobs/nope/cancel', { reason: 'client' });
    const text = await (await api.call('/metrics', { token: null })).text();
    expect(text).toMatch(/connects_operations_total\{type="job_post",outcome="ok"\} \d+/);
    expect(text).toMatch(/connects_operations_total\{type="job_cancel",outcome="job_not_found"\} 1/);
    expect(text).toMatch(
      /connects_operations_total\{type="proposal_interaction",outcome="idempotency_conflict"\} 1/,
    );
  });
});
