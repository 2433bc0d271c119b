import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../core/ledger/operations.ts';
import type { LedgerStore } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { DAY, debit, freshAccount, grant, T0, YEAR } from './testing/fixtures.ts';
import { testEngines, type OpenedEngine } from './testing/test-engines.ts';

/**
 * Contract: `grantMany` writes, set-based, what the core writes for the same
 * grant through `applyOps`; accounts it cannot do alike are left untouched.
 */
describe.each(testEngines)('grantMany on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(async () => {
    expect(await checkInvariants(opened.client)).toEqual([]);
    await opened.cleanup();
  });

  const issuedAt = T0 + 30 * DAY;
  const now = issuedAt + 3_600_000;
  const manyGrant = {
    amount: 10,
    source: 'allotment',
    category: 'free',
    issuedAt,
    expiresAt: issuedAt + YEAR,
    reason: 'plan:basic',
  } as const;
  const coreGrant = (ref: string): Operation => ({ kind: 'grant', ...manyGrant, ref, holdingCap: null });

  async function history(account: string, steps: readonly [Operation, number][]): Promise<void> {
    for (const [op, t] of steps) expect((await store.execute({ account, op, now: t })).ok).toBe(true);
  }

  it('writes the core’s entries and lots, and skips accounts without a row or with a due expiry', async () => {
    const steps: [Operation, number][][] = [
      // Lots, a debit and an active hold: the balances before count the hold.
      [
        [grant(40), T0],
        [debit(7, 'job-1'), T0 + DAY],
        [{ kind: 'hold', holdId: 'h1', amount: 5, ref: 'boost' }, T0 + 2 * DAY],
      ],
      // A last entry after the grant's issue instant: the grant is effective then, not earlier.
      [[grant(3, T0 + YEAR, issuedAt + 60_000), issuedAt + 60_000]],
    ];
    const pairs: [string, string][] = [];
    for (const s of steps) {
      const pair: [string, string] = [freshAccount('many'), freshAccount('core')];
      for (const account of pair) await history(account, s);
      pairs.push(pair);
    }
    const due = freshAccount('due');
    await history(due, [[grant(5, T0 + 2 * DAY), T0]]);
    const missing = freshAccount('missing');

    const accounts = [...pairs.map(([many]) => many), due, missing].map((account) => ({
      account,
      ref: 'cycle:1',
    }));
    const result = await store.transaction((tx) => tx.grantMany(manyGrant, accounts, now));
    expect(result).toEqual({ granted: pairs.length, skipped: [due, missing].sort() });
    for (const [, core] of pairs) {
      const applied = await store.transaction((tx) => tx.applyOps(core, [coreGrant('cycle:1')], now));
      expect(applied.ok).toBe(true);
    }
    for (const [many, core] of pairs) {
      const [a, b] = [await store.entries(many, { limit: 500 }), await store.entries(core, { limit: 500 })];
      expect(a.ok && a.value.entries).toEqual(b.ok && b.value.entries);
      expect(await store.lots(many)).toEqual(await store.lots(core));
    }
    // Untouched: the due account still has its lot unswept and no new entry; the missing one no row.
    expect(await store.lots(due)).toHaveLength(1);
    const seqs = await store.query('SELECT account, seq FROM accounts WHERE account = ANY($1)', [
      [due, missing],
    ]);
    expect(seqs.rows).toEqual([{ account: due, seq: 1 }]);
  });
});
