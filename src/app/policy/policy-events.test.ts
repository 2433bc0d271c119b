import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../core/policy/eras.ts';
import { registerEndpoint } from '../../events/endpoints.ts';
import { fanOut } from '../../events/fan-out.ts';
import { loadEvents } from '../../events/payload.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { DAY, jobsContext, T0, value } from '../jobs/test-kit.ts';
import { openPolicyTimeline } from './live-timeline.ts';
import { announceEffectivePolicies, POLICY_EVENT_ACCOUNT } from './policy-events.ts';
import { schedulePolicy } from './schedule-policy.ts';
import { withdrawPolicy } from './withdraw-policy.ts';

/** Policy events as a webhook receiver gets them: rendered payloads, and fanned out to endpoints that asked. */
describe.each(testEngines)('policy events ($name)', (engine) => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await engine.open();
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it('renders scheduled, withdrawn and effective, and delivers them to a subscribed endpoint', async () => {
    const ctx = jobsContext(opened.store, await openPolicyTimeline(opened.store, T0));
    value(
      await registerEndpoint(
        opened.store,
        { url: 'https://hooks.example.com/policy', events: ['policy.scheduled', 'policy.effective'] },
        T0,
      ),
    );
    const at = (days: number) => new Date(T0 + days * DAY).toISOString();
    const policy = { ...defaultPolicy, id: 'p-events', name: 'Events', effectiveFrom: at(3) };
    value(await schedulePolicy(ctx, { policy, note: 'why', scheduledBy: 'ops-1' }, T0));
    const other = { ...policy, id: 'p-gone', effectiveFrom: at(5) };
    value(await schedulePolicy(ctx, { policy: other, scheduledBy: 'ops-1' }, T0));
    value(await withdrawPolicy(ctx, { id: 'p-gone', withdrawnBy: 'ops-2' }, T0 + 1));
    expect(await announceEffectivePolicies(opened.store, T0 + 4 * DAY, 100)).toBe(1);

    const ids = await opened.client.query<{ id: number }>(
      'SELECT id FROM event_outbox WHERE account = $1 ORDER BY id',
      [POLICY_EVENT_ACCOUNT],
    );
    const events = await loadEvents(
      opened.store,
      ids.rows.map((r) => ({ account: POLICY_EVENT_ACCOUNT, eventId: Number(r.id) })),
    );
    expect([...events.values()].map(({ type, timestamp, data }) => ({ type, timestamp, data }))).toEqual([
      {
        type: 'policy.scheduled',
        timestamp: new Date(T0).toISOString(),
        data: {
          policyId: 'p-events',
          name: 'Events',
          effectiveFrom: at(3),
          note: 'why',
          actor: 'ops-1',
          replaced: false,
        },
      },
      {
        type: 'policy.scheduled',
        timestamp: new Date(T0).toISOString(),
        data: {
          policyId: 'p-gone',
          name: 'Events',
          effectiveFrom: at(5),
          note: null,
          actor: 'ops-1',
          replaced: false,
        },
      },
      {
        type: 'policy.withdrawn',
        timestamp: new Date(T0 + 1).toISOString(),
        data: { policyId: 'p-gone', name: 'Events', effectiveFrom: at(5), note: null, actor: 'ops-2' },
      },
      {
        type: 'policy.effective',
        timestamp: at(3),
        data: { policyId: 'p-events', name: 'Events', effectiveFrom: at(3) },
      },
    ]);
    const report = await fanOut(opened.store, T0 + 4 * DAY, 100);
    expect(report).toEqual({ events: 4, deliveries: 3 });
  });
});
