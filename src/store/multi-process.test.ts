import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { grant, T0 } from './testing/fixtures.ts';
import { spawnWorker } from './testing/spawn-worker.ts';
import { testEngines, type OpenedEngine } from './testing/test-engines.ts';

const postgres = testEngines.find((engine) => engine.name === 'postgres');
if (postgres === undefined) throw new Error('no postgres engine');

describe('several processes writing one PostgreSQL database', () => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await postgres.open();
    store = opened.store;
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it('never overdraws and accounts for every Connect', async () => {
    const accounts = ['mp-1', 'mp-2', 'mp-3'];
    // 3 lots of 40 each: 120 per account, 360 in all, against about 3 x 200 x 2 = 1,200 asked for.
    await store.executeMany(
      accounts.flatMap((account) => [1, 2, 3].map(() => ({ account, op: grant(40), now: T0 }))),
    );
    const workers = ['w1', 'w2', 'w3'].map((prefix) =>
      spawnWorker({ url: opened.url ?? '', mode: 'spend', prefix, count: 200, concurrency: 24, accounts }),
    );
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => (e.code === 0 ? 0 : e.stderr))).toEqual([0, 0, 0]);
    const outcomes = workers.flatMap((w) => [...w.acked.values()]);
    expect(outcomes).toHaveLength(600);
    expect(outcomes.filter((o) => !o.ok).every((o) => o.code === 'insufficient_connects')).toBe(true);
    const spentByAccount = new Map<string, number>();
    for (const row of (
      await store.query<{ account: string; spent: number }>(
        `SELECT account, sum(amount)::int AS spent FROM entries WHERE type = 'debit' AND account = ANY($1) GROUP BY account`,
        [accounts],
      )
    ).rows) {
      spentByAccount.set(row.account, row.spent);
    }
    let ackedSpends = 0;
    for (const o of outcomes) if (o.ok) ackedSpends += 1;
    const debitEntries = await store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM entries WHERE type = 'debit' AND account = ANY($1)`,
      [accounts],
    );
    expect(debitEntries.rows[0]?.n).toBe(ackedSpends);
    for (const account of accounts) {
      const balance = await store.balance(account, T0 + 1000);
      expect(balance.available).toBeGreaterThanOrEqual(0);
      expect(balance.available + (spentByAccount.get(account) ?? 0)).toBe(120);
      // Demand far exceeds supply, so each account ends with less than the largest debit.
      expect(balance.available).toBeLessThan(3);
    }
    expect(await checkInvariants(opened.client)).toEqual([]);
  });
});
