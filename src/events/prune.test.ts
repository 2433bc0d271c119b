import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, T0, debit, freshAccount, grant } from '../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import type { LedgerStore } from '../store/store.ts';
import { listDeliveries } from './delivery-admin.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { registerEndpoint } from './endpoints.ts';
import { notifyExpiringSoon } from './expiring-soon.ts';
import { listAccountEvents } from './payload.ts';
import { pruneEvents, pruneEventsHook } from './prune.ts';
import { localReceiverOptions as local, startReceiver } from './testing/receiver.ts';

describe.each(testEngines)('pruning events on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(() => opened.cleanup());

  it('removes finished deliveries and their events, keeps failed ones and never touches the ledger', async () => {
    const receiver = await startReceiver((body) => (body.includes('connects.spent') ? 500 : 200));
    try {
      const registered = await registerEndpoint(store, { url: receiver.url }, T0, local);
      if (!registered.ok) throw new Error(registered.error.message);
      const account = freshAccount();
      await store.execute({ account, op: grant(30, T0 + 20 * DAY), now: T0 });
      await store.execute({ account, op: debit(2), now: T0 });
      await notifyExpiringSoon(store, T0 + DAY, 100);
      const dispatcher = new WebhookDispatcher(store, { clock: () => T0, retryDelaysMs: [], ...local });
      for (let round = 0; round < 4; round += 1) await dispatcher.dispatchOnce(T0 + DAY);
      const statuses = (await listDeliveries(store, registered.value.id)).map((d) => [d.type, d.status]);
      expect(statuses).toEqual([
        ['connects.expiring_soon', 'delivered'],
        ['connects.spent', 'failed'],
        ['connects.granted', 'delivered'],
      ]);

      expect(await pruneEvents(store, T0 + DAY, 100)).toEqual({ deliveries: 0, events: 0, notices: 0 });
      const report = await pruneEvents(store, T0 + 30 * DAY, 100);
      expect(report).toMatchObject({ deliveries: 2, notices: 1 });
      expect(report.events).toBeGreaterThanOrEqual(2);
      expect((await listAccountEvents(store, account)).map((e) => e.type)).toEqual(['connects.spent']);
      expect(await listDeliveries(store, registered.value.id)).toMatchObject([{ status: 'failed' }]);
      expect(await pruneEventsHook(store, 30 * DAY)(T0 + 60 * DAY, 100)).toBe(0);
      const page = await store.entries(account);
      expect(page.ok && page.value.entries).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });
});
