// The app first: it extends zod with .openapi() before any schema module loads.
import { buildApp } from '../../src/http/app.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceEffectivePolicies } from '../../src/app/policy/policy-events.ts';
import {
  openPolicyTimeline,
  POLICY_POLL_MS,
  type LivePolicyTimeline,
} from '../../src/app/policy/live-timeline.ts';
import { ManualClock } from '../../src/clock.ts';
import { defaultPolicy } from '../../src/core/policy/eras.ts';
import type { LedgerStore } from '../../src/store/store.ts';
import { testEngines, type OpenedEngine } from '../../src/store/testing/test-engines.ts';
import { createServices } from '../../src/http/create-services.ts';
import { memoryLogger } from '../../src/http/logger.ts';
import { TEST_ADMIN_TOKEN, TEST_START, testConfig } from '../../src/http/testing/test-api.ts';

/**
 * Two server processes on one PostgreSQL database, as a deployment runs them:
 * each its own store (pool), its own cached timeline polling the version. A
 * change made through one is served by the other within the poll (< 5 s),
 * and policy.effective is written once whoever's scheduler gets there.
 * Also in the pooler suite (npm run test:pooler): the poll needs no session state.
 */
const postgres = testEngines.filter((e) => e.name === 'postgres');
const DAY = 86_400_000;

async function instance(store: LedgerStore) {
  const clock = new ManualClock(TEST_START);
  const timeline = await openPolicyTimeline(store, clock.now());
  timeline.startPolling();
  const services = createServices({
    config: testConfig(true),
    store,
    clock,
    logger: memoryLogger(),
    adminToken: TEST_ADMIN_TOKEN,
    timeline,
  });
  const app = buildApp(services);
  const call = async (path: string, method = 'GET', body?: unknown) => {
    const headers = new Headers({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` });
    if (body !== undefined) headers.set('content-type', 'application/json');
    const init: RequestInit = {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const response = await app.request(path, init);
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  };
  return { clock, timeline, call };
}

describe.each(postgres)('the policy timeline across processes ($name)', (engine) => {
  let opened: OpenedEngine;
  let second: LedgerStore;
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => {
    opened = await engine.open();
    second = await opened.another();
    // Both start at once on a fresh database: the eras are seeded exactly once.
    [a, b] = await Promise.all([instance(opened.store), instance(second)]);
  });
  afterAll(async () => {
    await Promise.all([a.timeline.stopPolling(), b.timeline.stopPolling()]);
    await opened.cleanup();
  });

  const nextChangeAt = async (which: {
    call: (path: string) => Promise<{ body: Record<string, unknown> }>;
  }) => (await which.call('/v1/policy')).body['nextChangeAt'];

  async function seenWithin(timeline: LivePolicyTimeline, id: string, present: boolean): Promise<number> {
    const started = Date.now();
    while (timeline.policies.some((p) => p.id === id) !== present) {
      if (Date.now() - started > 10_000) throw new Error(`not seen in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return Date.now() - started;
  }

  it('seeds once, and a change through one process reaches the other within the poll', async () => {
    const count = await opened.client.query<{ n: number }>('SELECT count(*)::int AS n FROM policies');
    expect(count.rows[0]?.n).toBe(4);
    expect(await nextChangeAt(b)).toBeNull();

    const effectiveFrom = new Date(TEST_START + 30 * DAY).toISOString();
    const policy = { ...defaultPolicy, id: 'plus-100', name: 'Plus at 100', effectiveFrom };
    expect((await a.call('/v1/admin/policies', 'POST', { policy })).status).toBe(201);
    expect(await nextChangeAt(a)).toBe(effectiveFrom); // its own change: at once
    const added = await seenWithin(b.timeline, 'plus-100', true);
    expect(added).toBeLessThan(5_000);
    expect(added).toBeLessThanOrEqual(POLICY_POLL_MS + 1_000);
    expect(await nextChangeAt(b)).toBe(effectiveFrom);

    expect((await b.call('/v1/admin/policies/plus-100', 'DELETE')).status).toBe(204);
    const removed = await seenWithin(a.timeline, 'plus-100', false);
    expect(removed).toBeLessThan(5_000);
  }, 30_000);

  it('writes policy.effective exactly once when both schedulers pass the instant together', async () => {
    const effectiveFrom = new Date(TEST_START + 5 * DAY).toISOString();
    const policy = { ...defaultPolicy, id: 'soon', name: 'Soon', effectiveFrom };
    expect((await a.call('/v1/admin/policies', 'POST', { policy })).status).toBe(201);
    const later = TEST_START + 6 * DAY;
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        announceEffectivePolicies(i % 2 === 0 ? opened.store : second, later, 100),
      ),
    );
    expect(runs.reduce((sum, n) => sum + n, 0)).toBe(1);
    const events = await opened.client.query<{ type: string; occurred_at: number }>(
      `SELECT type, occurred_at FROM event_outbox WHERE type = 'policy.effective'`,
    );
    expect(events.rows).toEqual([{ type: 'policy.effective', occurred_at: TEST_START + 5 * DAY }]);
  });
});
