import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { DAY, debit, freshAccount, grant, T0, YEAR } from './testing/fixtures.ts';
import { testEngines, type OpenedEngine } from './testing/test-engines.ts';

describe.each(testEngines)('concurrency on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  /** On PostgreSQL a second store (its own pool) competes for the same rows; PGlite has one client. */
  let writers: LedgerStore[];
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
    writers = engine.name === 'postgres' ? [store, await opened.another()] : [store];
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  it('never overdraws one account under hundreds of concurrent debits', async () => {
    const account = freshAccount();
    await store.executeMany([1, 2, 3, 4, 5].map((i) => ({ account, op: grant(20, T0 + YEAR + i), now: T0 })));
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        (writers[i % writers.length] as LedgerStore).execute({ account, op: debit(1), now: T0 + 1 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(100);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'insufficient_connects')).toBe(
      true,
    );
    expect(await store.balance(account, T0 + 1)).toEqual({ balance: 0, available: 0, held: 0 });
  });

  it('conserves Connects under concurrent debits of mixed sizes', async () => {
    const account = freshAccount();
    await store.executeMany([1, 2, 3].map(() => ({ account, op: grant(50), now: T0 })));
    const amounts = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7) % 8));
    const results = await Promise.all(
      amounts.map((amount, i) =>
        (writers[i % writers.length] as LedgerStore).execute({ account, op: debit(amount), now: T0 + 1 }),
      ),
    );
    const spent = results.reduce((sum, r, i) => sum + (r.ok ? (amounts[i] as number) : 0), 0);
    const left = await store.balance(account, T0 + 1);
    expect(spent + left.available).toBe(150);
    expect(left.available).toBeGreaterThanOrEqual(0);
    expect(left.available).toBeLessThan(8);
  });

  it('lets concurrent debits on different accounts all succeed', async () => {
    const accounts = Array.from({ length: 200 }, () => freshAccount());
    await store.executeMany(accounts.map((account) => ({ account, op: grant(5), now: T0 })));
    const results = await Promise.all(
      accounts.map((account, i) =>
        (writers[i % writers.length] as LedgerStore).execute({ account, op: debit(5), now: T0 + 1 }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('keeps one key’s effect single when retried concurrently from several writers', async () => {
    const account = freshAccount();
    await store.execute({ account, op: grant(30), now: T0 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (writers[i % writers.length] as LedgerStore).execute({
          account,
          op: debit(3),
          now: T0 + 1,
          idempotencyKey: 'one-proposal',
        }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    expect(await store.balance(account, T0 + 1)).toMatchObject({ available: 27 });
  });

  it('sweeps idempotently, even when two sweeps and spends run at once', async () => {
    const accounts = Array.from({ length: 30 }, () => freshAccount('sweep'));
    await store.executeMany(
      accounts.flatMap((account) => [
        { account, op: grant(4, T0 + DAY), now: T0 },
        { account, op: grant(6, T0 + 2 * DAY), now: T0 },
        { account, op: grant(10, T0 + YEAR), now: T0 },
      ]),
    );
    const now = T0 + 3 * DAY;
    const spends = accounts.map((account, i) =>
      (writers[i % writers.length] as LedgerStore).execute({ account, op: debit(10), now }),
    );
    const [first, second, ...spent] = await Promise.all([
      store.sweepExpired(now, 10_000),
      (writers[writers.length - 1] as LedgerStore).sweepExpired(now, 10_000),
      ...spends,
    ]);
    expect(spent.every((r) => r.ok)).toBe(true);
    // Spends materialise due expiries too, so the sweeps write at most what is left.
    expect(first.expired + second.expired).toBeLessThanOrEqual(2 * accounts.length);
    for (const account of accounts) {
      const page = await store.entries(account, { types: ['expiry'] });
      expect(page.ok && page.value.entries.map((e) => [e.amount, e.effectiveAt])).toEqual([
        [6, T0 + 2 * DAY],
        [4, T0 + DAY],
      ]);
      expect(await store.balance(account, now)).toMatchObject({ available: 0 });
    }
    const again = await store.sweepExpired(now, 10_000);
    expect(again.expired).toBe(0);
  });
});
