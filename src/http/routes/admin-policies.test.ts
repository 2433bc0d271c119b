// The app first: it extends zod with .openapi() before any schema module loads.
import { buildApp } from '../app.ts';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openPolicyTimeline } from '../../app/policy/live-timeline.ts';
import { ManualClock } from '../../clock.ts';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { MAX_TIMELINE_POLICIES } from '../../core/policy/timeline.ts';
import { policyJsonSchema } from '../../core/policy/json-schema.ts';
import { testEngines, type OpenedEngine, type TestEngine } from '../../store/testing/test-engines.ts';
import { createServices } from '../create-services.ts';
import { memoryLogger } from '../logger.ts';
import type { Services } from '../services.ts';
import { TEST_ADMIN_TOKEN, TEST_START, testConfig } from '../testing/test-api.ts';

/** The answers' fields the tests read. */
interface Wire {
  readonly [key: string]: unknown;
  readonly policies: { id: string; state: string; scheduledBy: string }[];
  readonly timeline: { id: string }[];
  readonly current: { id: string };
  readonly error: { code: string; details: { issues: { path: string }[] } };
}

const iso = (t: number): string => new Date(t).toISOString();
const DAY = 86_400_000;

/** The API as the server wires it: the stored timeline (seeded), a manual clock at TEST_START. */
async function openPolicyApi(engine: TestEngine) {
  const opened: OpenedEngine = await engine.open();
  const clock = new ManualClock(TEST_START);
  const timeline = await openPolicyTimeline(opened.store, clock.now());
  const services: Services = createServices({
    config: testConfig(true),
    store: opened.store,
    clock,
    logger: memoryLogger(),
    adminToken: TEST_ADMIN_TOKEN,
    timeline,
  });
  const app = buildApp(services);
  const call = async (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token = TEST_ADMIN_TOKEN, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    if (rest.body !== undefined) headers.set('content-type', 'application/json');
    const response = await app.request(path, { ...rest, headers });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as Wire) };
  };
  const send = (method: string, path: string, body: unknown) =>
    call(path, { method, body: JSON.stringify(body) });
  const tableState = async () => {
    const rows = await opened.client.query<{ n: number; v: number }>(
      `SELECT (SELECT count(*)::int FROM policies) AS n, (SELECT version::int FROM policy_timeline) AS v`,
    );
    return rows.rows[0];
  };
  const policyEvents = async () =>
    (
      await opened.client.query<{ type: string; data: Record<string, unknown> }>(
        `SELECT type, data FROM event_outbox WHERE type LIKE 'policy.%' ORDER BY id`,
      )
    ).rows;
  return { opened, clock, timeline, services, call, send, tableState, policyEvents };
}

const candidate = (over: Record<string, unknown> = {}) => ({
  ...defaultPolicy,
  id: 'plus-100',
  name: 'Plus at 100 Connects',
  effectiveFrom: iso(TEST_START + 30 * DAY),
  plans: { ...defaultPolicy.plans, plus: { ...defaultPolicy.plans.plus, allotment: 100 } },
  ...over,
});

describe.each(testEngines)('admin policy routes ($name)', (engine) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
  const open = async () => {
    const api = await openPolicyApi(engine);
    cleanup = async () => {
      await api.timeline.stopPolling();
      await api.opened.cleanup();
    };
    return api;
  };

  it('lists the seeded eras, schedules idempotently by id, and GET /v1/policy follows at once', async () => {
    const api = await open();
    const list = await api.call('/v1/admin/policies');
    expect(list.status).toBe(200);
    expect(list.body?.['policies'].map((p) => [p.id, p.state, p.scheduledBy])).toEqual([
      ['era-legacy', 'past', 'built-in'],
      ['era-2019', 'past', 'built-in'],
      ['era-2021', 'past', 'built-in'],
      ['era-2023', 'in_force', 'built-in'],
    ]);

    const created = await api.send('POST', '/v1/admin/policies', {
      policy: candidate(),
      note: 'Plus at 100',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'plus-100',
      state: 'scheduled',
      note: 'Plus at 100',
      scheduledBy: 'admin',
    });
    const replay = await api.send('POST', '/v1/admin/policies', { policy: candidate(), note: 'Plus at 100' });
    expect(replay.status).toBe(200);
    const conflict = await api.send('POST', '/v1/admin/policies', {
      policy: candidate({ name: 'other' }),
      note: 'Plus at 100',
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body?.['error'].code).toBe('policy_conflict');

    const publicView = await api.call('/v1/policy');
    expect(publicView.body?.['current'].id).toBe('era-2023');
    expect(publicView.body?.['nextChangeAt']).toBe(iso(TEST_START + 30 * DAY));
    expect(publicView.body?.['timeline'].map((p) => p.id)).toContain('plus-100');
    const one = await api.call('/v1/admin/policies/plus-100');
    expect(one.body).toMatchObject({ state: 'scheduled', policy: { plans: { plus: { allotment: 100 } } } });
    expect((await api.call('/v1/admin/policies/nope')).body?.['error'].code).toBe('policy_not_found');
    expect(await api.tableState()).toEqual({ n: 5, v: 2 });
  });

  it('refuses bad input with field paths and stores nothing', async () => {
    const api = await open();
    const before = await api.tableState();
    const tiers = [
      { belowBudgetCents: 50_000, connects: 2 },
      { belowBudgetCents: 10_000, connects: 4 },
      { belowBudgetCents: null, connects: 6 },
    ];
    const cases: [unknown, string][] = [
      [{ policy: candidate({ surprise: 1 }) }, ''],
      [{ policy: candidate({ grants: { ...defaultPolicy.grants, signup: 1.5 } }) }, 'policy.grants.signup'],
      [
        { policy: candidate({ rateCard: { ...defaultPolicy.rateCard, tiers } }) },
        'policy.rateCard.tiers.1.belowBudgetCents',
      ],
      [{ policy: candidate({ effectiveFrom: iso(TEST_START - 1) }) }, 'policy.effectiveFrom'],
      [{ policy: candidate({ effectiveFrom: defaultPolicy.effectiveFrom }) }, 'policy.effectiveFrom'],
      [{ policy: candidate(), extra: true }, ''],
    ];
    for (const [body, path] of cases) {
      const answer = await api.send('POST', '/v1/admin/policies', body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body?.['error'].code).toBe('validation_failed');
      const paths = answer.body?.['error'].details.issues.map((i) => i.path);
      if (path !== '') expect(paths).toContain(path);
    }
    // Changing a policy in force is refused whatever the route.
    const inForce = await api.send('PUT', '/v1/admin/policies/era-2023', {
      policy: { ...defaultPolicy, effectiveFrom: iso(TEST_START + DAY) },
    });
    expect(inForce.status).toBe(409);
    expect(inForce.body?.['error'].code).toBe('policy_in_force');
    const mismatch = await api.send('PUT', '/v1/admin/policies/other-id', { policy: candidate() });
    expect(mismatch.status).toBe(400);
    expect(await api.tableState()).toEqual(before);
    expect(await api.policyEvents()).toEqual([]);
  });

  it('refuses a policy beyond the timeline limit', async () => {
    const api = await open();
    for (let i = 4; i < MAX_TIMELINE_POLICIES; i++) {
      const answer = await api.send('POST', '/v1/admin/policies', {
        policy: candidate({ id: `p-${i}`, effectiveFrom: iso(TEST_START + i * DAY) }),
      });
      expect(answer.status).toBe(201);
    }
    const full = await api.send('POST', '/v1/admin/policies', {
      policy: candidate({ id: 'one-too-many', effectiveFrom: iso(TEST_START + 1000 * DAY) }),
    });
    expect(full.status).toBe(400);
    expect((await api.tableState())?.n).toBe(MAX_TIMELINE_POLICIES);
  }, 180_000);

  it('replaces and withdraws scheduled policies only, with events, and announces policy.effective once', async () => {
    const api = await open();
    expect((await api.send('POST', '/v1/admin/policies', { policy: candidate() })).status).toBe(201);
    const moved = candidate({ effectiveFrom: iso(TEST_START + 10 * DAY) });
    const replaced = await api.send('PUT', '/v1/admin/policies/plus-100', { policy: moved, note: 'sooner' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ effectiveFrom: iso(TEST_START + 10 * DAY), note: 'sooner' });
    const extra = candidate({ id: 'later', effectiveFrom: iso(TEST_START + 60 * DAY) });
    expect((await api.send('POST', '/v1/admin/policies', { policy: extra })).status).toBe(201);
    expect((await api.call('/v1/admin/policies/later', { method: 'DELETE' })).status).toBe(204);
    expect((await api.call('/v1/admin/policies/later', { method: 'DELETE' })).status).toBe(404);
    const past = await api.call('/v1/admin/policies/era-2019', { method: 'DELETE' });
    expect([past.status, past.body?.['error'].code]).toEqual([409, 'policy_in_force']);

    api.clock.set(TEST_START + 10 * DAY);
    expect((await api.call('/v1/policy')).body?.['current'].id).toBe('plus-100');
    await api.call('/v1/admin/tick', { method: 'POST' });
    await api.call('/v1/admin/tick', { method: 'POST' });
    const events = await api.policyEvents();
    expect(events.map((e) => [e.type, e.data['policyId']])).toEqual([
      ['policy.scheduled', 'plus-100'],
      ['policy.scheduled', 'plus-100'],
      ['policy.scheduled', 'later'],
      ['policy.withdrawn', 'later'],
      ['policy.effective', 'plus-100'],
    ]);
    expect(events[1]?.data).toMatchObject({ replaced: true, note: 'sooner', actor: 'admin' });
    // In force now: immutable.
    const late = await api.call('/v1/admin/policies/plus-100', { method: 'DELETE' });
    expect(late.body?.['error'].code).toBe('policy_in_force');
    const list = await api.call('/v1/admin/policies');
    expect(list.body?.['policies'].at(-1)).toMatchObject({
      id: 'plus-100',
      state: 'in_force',
      effectiveAnnouncedAt: iso(TEST_START + 10 * DAY),
    });
    expect(list.body?.['policies'].at(-2)?.state).toBe('past');
  });

  it('is owner-only, and serves the JSON Schema publicly, equal to docs/policy.schema.json', async () => {
    const api = await open();
    expect((await api.call('/v1/admin/policies', { token: null })).status).toBe(401);
    const schema = await api.call('/v1/policy.schema.json', { token: null });
    expect(schema.status).toBe(200);
    expect(schema.body).toEqual(policyJsonSchema());
    const committed = JSON.parse(
      readFileSync(new URL('../../../docs/policy.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(policyJsonSchema());
  });
});
