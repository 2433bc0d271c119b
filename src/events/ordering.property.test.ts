import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from '../core/time.ts';
import { T0, debit, freshAccount, grant } from '../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import type { LedgerStore } from '../store/store.ts';
import { listDeliveries } from './delivery-admin.ts';
import { WebhookDispatcher } from './dispatcher.ts';
import { deleteEndpoint, registerEndpoint } from './endpoints.ts';
import { localReceiverOptions as local, startReceiver, type TestReceiver } from './testing/receiver.ts';

/**
 * Random histories, random receiver failures, random clock steps: whatever
 * happens, each account's events reach the receiver in history order, none
 * twice, and every event ends delivered or visibly failed.
 */
const steps = [0, 5 * MS_PER_SECOND, 30 * MS_PER_SECOND, 2 * MS_PER_MINUTE, MS_PER_HOUR];

const scenario = fc.record({
  debitsPerAccount: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
  failures: fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
  failingRequests: fc.integer({ min: 0, max: 30 }),
  clockSteps: fc.array(fc.constantFrom(...steps), { minLength: 1, maxLength: 10 }),
});

describe.each(testEngines)('webhook ordering under random failures on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  let receiver: TestReceiver;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await opened.cleanup();
  });

  it('delivers in order per account, at most once here, and accounts for every event', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ debitsPerAccount, failures, failingRequests, clockSteps }) => {
        receiver.received.length = 0;
        let requests = 0;
        receiver.respondWith(() => {
          const fail = requests < failingRequests && failures[requests % failures.length] === true;
          requests += 1;
          return fail ? 503 : 200;
        });
        const registered = await registerEndpoint(store, { url: receiver.url }, T0, local);
        if (!registered.ok) throw new Error(registered.error.message);
        const accounts = debitsPerAccount.map(() => freshAccount('prop'));
        // Interleave the accounts' writes round-robin, as concurrent traffic would.
        for (let i = 0; i <= Math.max(...debitsPerAccount); i += 1) {
          for (const [a, account] of accounts.entries()) {
            if (i > (debitsPerAccount[a] ?? 0)) continue;
            const r = await store.execute({ account, op: i === 0 ? grant(30) : debit(1), now: T0 + i });
            expect(r.ok).toBe(true);
          }
        }
        const total = debitsPerAccount.reduce((sum, n) => sum + n + 1, 0);
        const dispatcher = new WebhookDispatcher(store, { clock: () => T0, batchSize: 3, ...local });
        let now = T0 + MS_PER_SECOND;
        for (const step of clockSteps) {
          now += step;
          await dispatcher.dispatchOnce(now);
        }
        // Then let every retry come due until nothing is pending.
        for (let round = 0; round < 60; round += 1) {
          const pending = await listDeliveries(store, registered.value.id, { status: 'pending', limit: 1 });
          if (pending.length === 0) break;
          now += 13 * MS_PER_HOUR;
          await dispatcher.dispatchOnce(now);
        }
        const accepted = receiver.accepted();
        expect(new Set(accepted.map((e) => e.id)).size).toBe(accepted.length);
        for (const account of accounts) {
          const seqs = accepted
            .filter((e) => e.data['freelancerId'] === account)
            .map((e) => e.data['seq'] as number);
          expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        }
        const all = await listDeliveries(store, registered.value.id, { limit: 500 });
        expect(all).toHaveLength(total);
        expect(all.filter((d) => d.status === 'delivered')).toHaveLength(accepted.length);
        expect(all.every((d) => d.status === 'delivered' || d.status === 'failed')).toBe(true);
        await deleteEndpoint(store, registered.value.id, now);
      }),
      { numRuns: engine.name === 'pglite' ? 6 : 10 },
    );
  }, 180_000);
});
