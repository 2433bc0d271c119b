import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectsClient } from '../../client/index.ts';
import { testEngines } from '../../store/testing/test-engines.ts';
import { apiError, openRouteHarness, rawRequest, type RouteHarness } from './route-test-kit.ts';

/**
 * What the lists and summaries say about jobs and proposals, over HTTP on
 * both engines: a freelancer's proposals, jobs by status, the bid range
 * without the asker's own bid, the history naming each proposal's job, and
 * the scheduler counting the Connects the availability badge charged.
 */
describe.each(testEngines)('job and proposal lists on $name', (engine) => {
  let h: RouteHarness;
  let ada: ConnectsClient;
  let bob: ConnectsClient;
  const propose = (client: ConnectsClient, job: string, body: Record<string, unknown>) =>
    client.post('/v1/jobs/{id}/proposals', {
      path: { id: job },
      body: body as { proposalId: string; freelancerId: string; bidCents: number },
    });

  beforeAll(async () => {
    h = await openRouteHarness(engine);
    for (const id of ['lp-ada', 'lp-bob', 'lp-cy']) await h.register(id);
    ada = await h.as('lp-ada');
    bob = await h.as('lp-bob');
    for (const id of ['lp-j1', 'lp-j2', 'lp-j3']) {
      await h.admin.post('/v1/jobs', { body: { id, clientId: 'c', connectsRequired: 2 } });
    }
    // Ids of any shape: nothing here is named after its job.
    await propose(ada, 'lp-j1', { proposalId: 'x-1', freelancerId: 'lp-ada', bidCents: 10_000 });
    await propose(ada, 'lp-j2', {
      proposalId: 'x-2',
      freelancerId: 'lp-ada',
      bidCents: 30_000,
      boostConnects: 3,
    });
    await propose(ada, 'lp-j3', {
      proposalId: 'x-3',
      freelancerId: 'lp-ada',
      bidCents: 20_000,
      boostConnects: 2,
    });
    await ada.post('/v1/proposals/{id}/withdraw', { path: { id: 'x-3' } });
    await propose(bob, 'lp-j1', { proposalId: 'y-1', freelancerId: 'lp-bob', bidCents: 20_000 });
    await propose(bob, 'lp-j2', { proposalId: 'y-2', freelancerId: 'lp-bob', bidCents: 1, boostConnects: 4 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("lists a freelancer's proposals newest first, paged, with cost, boost and status", async () => {
    const first = await ada.get('/v1/freelancers/{id}/proposals', {
      path: { id: 'lp-ada' },
      query: { limit: 2 },
    });
    // One submission instant: the id breaks the tie, descending.
    expect(first.proposals.map((p) => [p.proposalId, p.jobId, p.status, p.costConnects])).toEqual([
      ['x-3', 'lp-j3', 'withdrawn', 2],
      ['x-2', 'lp-j2', 'active', 2],
    ]);
    expect(first.proposals.map((p) => p.boost)).toEqual([
      { bidConnects: 2, status: 'released' },
      { bidConnects: 3, status: 'held' },
    ]);
    expect(first.proposals[1]).toMatchObject({ boostConnects: 3, submittedAt: '2024-03-10T12:00:00.000Z' });
    expect(first.nextCursor).not.toBeNull();
    const second = await h.admin.get('/v1/freelancers/{id}/proposals', {
      path: { id: 'lp-ada' },
      query: { limit: 2, cursor: first.nextCursor ?? '' },
    });
    expect(second.proposals.map((p) => [p.proposalId, p.boost])).toEqual([['x-1', null]]);
    expect(second.nextCursor).toBeNull();
    const one = await ada.get('/v1/freelancers/{id}/proposals', {
      path: { id: 'lp-ada' },
      query: { jobId: 'lp-j2' },
    });
    expect(one.proposals.map((p) => p.proposalId)).toEqual(['x-2']);
    const none = await h.admin.get('/v1/freelancers/{id}/proposals', { path: { id: 'lp-cy' }, query: {} });
    expect(none).toEqual({ proposals: [], nextCursor: null });
  });

  it('shows proposals to the admin and their freelancer only; bad input is a 4xx with a stable code', async () => {
    const other = await apiError(
      bob.get('/v1/freelancers/{id}/proposals', { path: { id: 'lp-ada' }, query: {} }),
    );
    expect(other).toMatchObject({ status: 403, code: 'forbidden' });
    const unknown = await apiError(
      h.admin.get('/v1/freelancers/{id}/proposals', { path: { id: 'lp-nobody' }, query: {} }),
    );
    expect(unknown).toMatchObject({ status: 404, code: 'freelancer_not_found' });
    for (const query of ['limit=0', 'limit=101', 'limit=1.5', 'cursor=nonsense', 'jobId=a%20b', 'extra=1']) {
      const response = await rawRequest(h, 'GET', `/v1/freelancers/lp-ada/proposals?${query}`);
      const body = (await response.json()) as { error: { code: string } };
      expect({ query, status: response.status, code: body.error.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
    }
    expect((await rawRequest(h, 'GET', '/v1/freelancers/lp-ada/proposals', { token: null })).status).toBe(
      401,
    );
  });

  it('lists jobs by status: open by default, cancelled ones on request, or all', async () => {
    await h.admin.post('/v1/jobs', { body: { id: 'lp-gone', clientId: 'c', connectsRequired: 0 } });
    await h.admin.post('/v1/jobs/{id}/cancel', { path: { id: 'lp-gone' }, body: { reason: 'client' } });
    const ids = async (status?: 'open' | 'cancelled' | 'removed' | 'hired' | 'all') =>
      (await ada.get('/v1/jobs', { query: status === undefined ? {} : { status } })).jobs.map((j) => [
        j.jobId,
        j.status,
      ]);
    expect(await ids()).toEqual([
      ['lp-j3', 'open'],
      ['lp-j2', 'open'],
      ['lp-j1', 'open'],
    ]);
    expect(await ids('open')).toEqual(await ids());
    expect(await ids('cancelled')).toEqual([['lp-gone', 'cancelled']]);
    expect(await ids('removed')).toEqual([]);
    // One posting instant: the id breaks the tie, descending.
    expect(await ids('all')).toEqual([
      ['lp-j3', 'open'],
      ['lp-j2', 'open'],
      ['lp-j1', 'open'],
      ['lp-gone', 'cancelled'],
    ]);
    const paged = await ada.get('/v1/jobs', { query: { status: 'all', limit: 3 } });
    const rest = await ada.get('/v1/jobs', {
      query: { status: 'all', limit: 3, cursor: paged.nextCursor ?? '' },
    });
    expect(rest.jobs.map((j) => j.jobId)).toEqual(['lp-gone']);
    for (const query of ['status=closed', 'status=', 'status=OPEN', 'cursor=%7B']) {
      const response = await rawRequest(h, 'GET', `/v1/jobs?${query}`);
      const body = (await response.json()) as { error: { code: string } };
      expect({ query, status: response.status, code: body.error.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it("gives a freelancer its competitors' bid range, its own bid left out; the admin sees every bid", async () => {
    await h.admin.put('/v1/freelancers/{id}/plan', {
      path: { id: 'lp-ada' },
      body: { plan: 'plus', card: '4242424242424242' },
    });
    const range = (client: ConnectsClient, viewer?: string) =>
      client.get('/v1/jobs/{id}/bid-range', {
        path: { id: 'lp-j1' },
        query: viewer === undefined ? {} : { viewer },
      });
    const competitors = {
      jobId: 'lp-j1',
      proposals: 1,
      lowCents: 20_000,
      averageCents: 20_000,
      highCents: 20_000,
    };
    expect(await range(ada)).toEqual(competitors);
    expect(await range(h.admin, 'lp-ada')).toEqual(competitors);
    expect(await range(h.admin)).toEqual({
      jobId: 'lp-j1',
      proposals: 2,
      lowCents: 10_000,
      averageCents: 15_000,
      highCents: 20_000,
    });
    const detail = await ada.get('/v1/jobs/{id}', { path: { id: 'lp-j1' }, query: {} });
    expect(detail.bidRange).toEqual(competitors);
    expect(await apiError(range(bob))).toMatchObject({ status: 422, code: 'plan_required' });
  });

  it('names the job of every proposal entry in the history, whatever the proposal id', async () => {
    // Three higher boosts push Ada's out of lp-j2's four slots, releasing it.
    for (const id of ['lp-d1', 'lp-d2', 'lp-d3']) {
      await h.register(id);
      await propose(h.admin, 'lp-j2', {
        proposalId: `z-${id}`,
        freelancerId: id,
        bidCents: 1,
        boostConnects: 5,
      });
    }
    const page = await ada.get('/v1/freelancers/{id}/entries', {
      path: { id: 'lp-ada' },
      query: { order: 'asc' },
    });
    const lines = page.entries.map((e) => [e.type, e.ref ?? e.holdId ?? null, e.jobId]);
    expect(lines).toContainEqual(['debit', 'proposal:x-1', 'lp-j1']);
    expect(lines).toContainEqual(['hold', 'proposal:x-2', 'lp-j2']);
    expect(lines).toContainEqual(['hold_release', 'proposal:x-3', 'lp-j3']);
    expect(lines).toContainEqual(['hold_release', 'proposal:x-2', 'lp-j2']);
    expect(lines).toContainEqual(['grant', 'registration', null]);
    // A client's open charges Bob's held boost: the capture names its job too.
    await h.admin.post('/v1/proposals/{id}/interactions', { path: { id: 'y-2' }, body: { kind: 'opens' } });
    const bobs = await bob.get('/v1/freelancers/{id}/entries', { path: { id: 'lp-bob' }, query: {} });
    const captured = bobs.entries.find((e) => e.type === 'hold_capture');
    expect(captured).toMatchObject({ jobId: 'lp-j2' });
    // Only Bob's own proposals are named in his history.
    expect(new Set(bobs.entries.flatMap((e) => (e.jobId === null ? [] : [e.jobId])))).toEqual(
      new Set(['lp-j1', 'lp-j2']),
    );
  });

  it('counts the Connects the availability badge charged in the scheduler run', async () => {
    const cy = await h.as('lp-cy');
    await cy.put('/v1/freelancers/{id}/availability-badge', {
      path: { id: 'lp-cy' },
      body: { on: true, weeklyMaxConnects: 10 },
    });
    await h.setClock('2024-03-17T12:00:00Z');
    const run = await h.admin.post('/v1/admin/tick');
    // The default price, 5 a week: five 1-Connect charges on one badge.
    expect(run).toMatchObject({ badgesCharged: 1, badgeConnectsCharged: 5 });
    expect((await h.admin.get('/v1/admin/scheduler')).lastRun).toMatchObject({ badgeConnectsCharged: 5 });
    expect(await h.admin.post('/v1/admin/tick')).toMatchObject({ badgesCharged: 0, badgeConnectsCharged: 0 });
  });
});
