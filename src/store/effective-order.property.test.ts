import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../core/ledger/operations.ts';
import type { Instant } from '../core/time.ts';
import type { Entry } from '../core/types.ts';
import type { LedgerStore } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { DAY, freshAccount, T0 } from './testing/fixtures.ts';
import { testEngines, type OpenedEngine } from './testing/test-engines.ts';

/**
 * Concurrent requests reach the ledger in any order, each stamped with its
 * own arrival time. Whatever the order, an account's effective times never
 * go back along its sequence, the balances chain, and the balance as of an
 * entry's effective time is the balance the entry records.
 */

type Step = { account: number; at: number; op: Operation };

const HOUR = 3_600_000;

function stepArb(holdIds: fc.Arbitrary<string>): fc.Arbitrary<Step> {
  const at = fc.integer({ min: 0, max: 40 * DAY });
  const account = fc.integer({ min: 0, max: 2 });
  const op = fc.oneof<fc.Arbitrary<Operation>[]>(
    fc
      .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 * 24 }))
      .map(([amount, hours]): Operation => ({
        kind: 'grant',
        amount,
        source: 'purchase',
        category: 'paid',
        // Relative to the request's instant, fixed below.
        expiresAt: hours * HOUR,
      })),
    fc.integer({ min: 1, max: 25 }).map((amount): Operation => ({ kind: 'debit', amount })),
    fc.tuple(holdIds, fc.integer({ min: 1, max: 10 })).map(([holdId, amount]): Operation => ({
      kind: 'hold',
      holdId,
      amount,
    })),
    holdIds.map((holdId): Operation => ({ kind: 'capture', holdId })),
    holdIds.map((holdId): Operation => ({ kind: 'release', holdId })),
    fc.constant<Operation>({ kind: 'sweep', limit: 100 }),
  );
  return fc.record({ account, at, op });
}

/** Grants expire relative to the request's instant; the generator gave a duration. */
function resolve(step: Step, base: Instant): { now: Instant; op: Operation } {
  const now = base + step.at;
  const op = step.op.kind === 'grant' ? { ...step.op, expiresAt: now + step.op.expiresAt } : step.op;
  return { now, op };
}

async function history(store: LedgerStore, account: string): Promise<Entry[]> {
  const page = await store.entries(account, { order: 'asc', limit: 500 });
  if (!page.ok) throw new Error(page.error.message);
  return [...page.value.entries];
}

async function checkAccount(store: LedgerStore, account: string): Promise<void> {
  const entries = await history(store, account);
  for (const [i, entry] of entries.entries()) {
    const next = entries[i + 1];
    if (next !== undefined) {
      expect(next.effectiveAt, `seq ${next.seq} goes back in time`).toBeGreaterThanOrEqual(entry.effectiveAt);
      expect(next.balanceBefore).toBe(entry.balanceAfter);
      expect(next.availableBefore, `available before seq ${next.seq}`).toBe(entry.availableAfter);
    }
    // The balance as of an instant is the end of that instant: the last entry effective then.
    if (next === undefined || next.effectiveAt > entry.effectiveAt) {
      const asOf = await store.balanceAsOf(account, entry.effectiveAt);
      expect(asOf.balance, `as of seq ${entry.seq}`).toBe(entry.balanceAfter);
      expect(asOf.available, `available as of seq ${entry.seq}`).toBe(entry.availableAfter);
    }
  }
}

describe.each(testEngines)('effective times under concurrency on $name', (engine) => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await engine.open();
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  it('never go back along an account, and as-of matches every entry', async () => {
    const holdIds = fc.constantFrom('h1', 'h2', 'h3');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(stepArb(holdIds), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        async (waves) => {
          run += 1;
          const accounts = [0, 1, 2].map(() => freshAccount('eo'));
          const base = T0 + run * 100 * DAY;
          for (const wave of waves) {
            // A wave's requests are in flight together: the batcher applies them in arrival order,
            // which need not be the order of their instants.
            await Promise.all(
              wave.map((step) => {
                const { now, op } = resolve(step, base);
                return opened.store.execute({ account: accounts[step.account] ?? '', op, now });
              }),
            );
          }
          for (const account of accounts) await checkAccount(opened.store, account);
        },
      ),
      { numRuns: 25 },
    );
  });
});
