// First: zod schemas get `.openapi()` only when created after @hono/zod-openapi extends zod.
import '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFreelancer } from '../../app/accounts/register-freelancer.ts';
import { setAvailabilityBadge } from '../../app/badge/set-availability-badge.ts';
import { postJob } from '../../app/jobs/post-job.ts';
import { testCards } from '../../app/payments/test-provider.ts';
import { submitProposal } from '../../app/proposals/submit-proposal.ts';
import { buyConnects } from '../../app/purchases/buy-connects.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { testEngines } from '../../store/testing/test-engines.ts';
import { openTestApi, TEST_START, type TestApi } from '../testing/test-api.ts';
import { simulationRunner } from './admin-simulations.ts';

const pglite = testEngines.find((e) => e.name === 'pglite');
if (pglite === undefined) throw new Error('the pglite test engine is missing');

const candidate = {
  ...defaultPolicy,
  id: 'plus-100',
  name: 'Plus at 100 a cycle',
  effectiveFrom: '2024-04-01T00:00:00.000Z',
  plans: { ...defaultPolicy.plans, plus: { ...defaultPolicy.plans.plus, allotment: 100 } },
};

interface Simulation {
  id: string;
  status: string;
  progress: { done: number; total: number };
  result?: {
    population: { kind: string; freelancers: number };
    baseline: { issued: { allotment: number }; spent: { badge: number } }[];
    difference: { issued: { allotment: number } }[];
  } | null;
}

/** Every ledger table and the freelancers' rows, in a fixed order: the live balances and their history. */
async function ledgerDump(api: TestApi): Promise<string> {
  const tables = {
    accounts: 'SELECT * FROM accounts ORDER BY account',
    lots: 'SELECT * FROM lots ORDER BY account, lot_no',
    holds: 'SELECT * FROM holds ORDER BY account, hold_id',
    entries: 'SELECT * FROM entries ORDER BY account, seq',
    freelancers: 'SELECT * FROM freelancers ORDER BY id',
    purchases: 'SELECT * FROM purchases ORDER BY freelancer_id, purchase_id',
    plan_events: 'SELECT * FROM plan_events ORDER BY freelancer_id, event_no',
    availability_badges: 'SELECT * FROM availability_badges ORDER BY freelancer_id',
  };
  const dump: Record<string, unknown> = {};
  for (const [name, sql] of Object.entries(tables)) dump[name] = (await api.services.store.query(sql)).rows;
  return JSON.stringify(dump);
}

describe('simulations over HTTP', () => {
  let api: TestApi;
  const post = (body: unknown) =>
    api.call('/v1/admin/simulations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const get = async (id: string) =>
    (await (await api.call(`/v1/admin/simulations/${id}`)).json()) as Simulation;

  beforeAll(async () => {
    api = await openTestApi(pglite);
    const ctx = api.services.app;
    for (const id of ['fl_a', 'fl_b', 'fl_c']) {
      const registered = await registerFreelancer(ctx, { id }, TEST_START);
      expect(registered.ok).toBe(true);
    }
    const card = testCards.succeeds;
    expect(
      (await buyConnects(ctx, { freelancerId: 'fl_a', purchaseId: 'b1', connects: 20, card }, TEST_START)).ok,
    ).toBe(true);
    expect((await postJob(ctx, { id: 'job1', clientId: 'cl', budgetCents: 30_000 }, TEST_START)).ok).toBe(
      true,
    );
    const proposal = {
      proposalId: 'p1',
      jobId: 'job1',
      freelancerId: 'fl_b',
      bidCents: 5_000,
      boostConnects: 3,
    };
    expect((await submitProposal(ctx, proposal, TEST_START)).ok).toBe(true);
    const badge = { freelancerId: 'fl_c', on: true, weeklyMaxConnects: 10 };
    expect((await setAvailabilityBadge(ctx, badge, TEST_START)).ok).toBe(true);
  });
  afterAll(async () => {
    await simulationRunner(api.services).stop();
    await api?.close();
  });

  it(
    'runs a synthetic and a snapshot simulation without touching the ledger',
    { timeout: 120_000 },
    async () => {
      const before = await ledgerDump(api);
      const synthetic = await post({
        candidate,
        months: 3,
        seed: 5,
        population: { params: { freelancers: 150 } },
      });
      expect(synthetic.status).toBe(202);
      const queued = (await synthetic.json()) as Simulation;
      expect(['queued', 'running']).toContain(queued.status);
      const snapshot = await post({ candidate, months: 2, population: { kind: 'snapshot' } });
      expect(snapshot.status).toBe(202);
      const snapshotId = ((await snapshot.json()) as Simulation).id;
      await simulationRunner(api.services).idle();

      const done = await get(queued.id);
      expect(done.status).toBe('succeeded');
      expect(done.progress).toEqual({ done: 150, total: 150 });
      expect(done.result?.population).toMatchObject({ kind: 'synthetic', freelancers: 150 });
      // Plus members get 20 more Connects a cycle from April under the candidate.
      expect(done.result?.difference.some((m) => m.issued.allotment > 0)).toBe(true);
      const fromSnapshot = await get(snapshotId);
      expect(fromSnapshot.status).toBe('succeeded');
      expect(fromSnapshot.result?.population).toMatchObject({ kind: 'snapshot', freelancers: 3 });
      // fl_c's badge runs on in the simulation, charged 5 Connects a week, until its Connects run out.
      expect(fromSnapshot.result?.baseline[0]?.spent.badge).toBeGreaterThan(0);

      const csv = await api.call(`/v1/admin/simulations/${queued.id}/result.csv`);
      expect(csv.status).toBe(200);
      const lines = (await csv.text()).trim().split('\n');
      expect(lines[0]).toMatch(/^run,month,start,issued\.signup,/);
      expect(lines).toHaveLength(1 + 3 * 3);

      const list = (await (await api.call('/v1/admin/simulations')).json()) as { simulations: Simulation[] };
      // Both were created at the same (manual) instant: newest first cannot tell them apart.
      expect(list.simulations.map((s) => s.id).sort()).toEqual([snapshotId, queued.id].sort());
      expect(list.simulations[0]).not.toHaveProperty('result');

      expect(await ledgerDump(api)).toBe(before);
    },
  );

  it('gives the same result for the same inputs, byte for byte', { timeout: 60_000 }, async () => {
    const body = { candidate, months: 2, seed: 9, population: { params: { freelancers: 80 } } };
    const a = ((await (await post(body)).json()) as Simulation).id;
    const b = ((await (await post(body)).json()) as Simulation).id;
    await simulationRunner(api.services).idle();
    expect(JSON.stringify((await get(a)).result)).toBe(JSON.stringify((await get(b)).result));
  });

  it('refuses bad input with field paths and stores nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ candidate, months: 0 }, 400, 'months'],
      [{ candidate, months: 37 }, 400, 'months'],
      [{ candidate, months: 1.5 }, 400, 'months'],
      [
        { candidate, months: 3, population: { params: { freelancers: 1_000_001 } } },
        400,
        'population.params.freelancers',
      ],
      [{ candidate, months: 3, population: { params: { churn: 2 } } }, 400, 'population.params.churn'],
      [{ candidate, months: 3, population: { params: { speed: 1 } } }, 400, 'population.params'],
      [
        { candidate: { ...candidate, rateCard: { tiers: [], hourly: 8 } }, months: 3 },
        400,
        'candidate.rateCard.tiers',
      ],
      [
        {
          candidate: [candidate, { ...candidate, id: 'x', effectiveFrom: '2024-01-01T00:00:00.000Z' }],
          months: 3,
        },
        400,
        'candidate.1',
      ],
      [{ months: 3 }, 400, 'candidate'],
      [
        { candidate, months: 3, population: { params: { badge: { minWeeklyMax: 9, maxWeeklyMax: 2 } } } },
        400,
        'population.params.badge.minWeeklyMax',
      ],
      [
        { candidate, months: 3, population: { params: { boost: { minBid: 9, maxBid: 2 } } } },
        400,
        'population.params.boost.minBid',
      ],
      [
        { candidate, months: 3, population: { params: { interview: { minDays: 9, maxDays: 2 } } } },
        400,
        'population.params.interview.minDays',
      ],
    ];
    const count = async () =>
      (await api.services.store.query('SELECT count(*)::int AS n FROM simulations')).rows[0];
    const stored = await count();
    for (const [body, status, path] of cases) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      const error = (
        (await response.json()) as { error: { code: string; details?: { issues?: { path: string }[] } } }
      ).error;
      expect(error.code).toBe('validation_failed');
      expect(error.details?.issues?.map((i) => i.path).some((p) => p.startsWith(path))).toBe(true);
    }
    expect(await count()).toEqual(stored);
  });

  it(
    'cancels a queued or running simulation; a finished one is simulation_finished',
    { timeout: 60_000 },
    async () => {
      const big = { candidate, months: 36, population: { params: { freelancers: 1_000_000 } } };
      const ids: string[] = [];
      for (let i = 0; i < 4; i += 1) ids.push(((await (await post(big)).json()) as Simulation).id);
      const full = await post(big);
      expect(full.status).toBe(429);
      expect(((await full.json()) as { error: { code: string } }).error.code).toBe('simulation_queue_full');
      for (const id of ids) {
        const response = await api.call(`/v1/admin/simulations/${id}/cancel`, { method: 'POST' });
        expect(response.status).toBe(200);
      }
      await simulationRunner(api.services).idle();
      for (const id of ids) expect((await get(id)).status).toBe('cancelled');
      const again = await api.call(`/v1/admin/simulations/${ids[0]}/cancel`, { method: 'POST' });
      expect(again.status).toBe(409);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('simulation_finished');
      const missing = await api.call('/v1/admin/simulations/sim_nope');
      expect(missing.status).toBe(404);
    },
  );

  it('is for operators only', async () => {
    const token = await api.freelancerToken('fl_a');
    expect((await api.call('/v1/admin/simulations', { token })).status).toBe(403);
    expect((await api.call('/v1/admin/simulations', { token: null })).status).toBe(401);
  });
});
