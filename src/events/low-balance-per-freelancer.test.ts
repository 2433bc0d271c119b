import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLowBalanceThreshold } from '../app/admin/set-low-balance-threshold.ts';
import { addFreelancer, testContext } from '../app/purchases/test-kit.ts';
import type { Operation } from '../core/ledger/operations.ts';
import { checkInvariants } from '../store/testing/check-invariants.ts';
import { debit, freshAccount, grant, T0 } from '../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import type { LedgerStore } from '../store/store.ts';
import { listAccountEvents } from './payload.ts';

describe.each(testEngines)("a freelancer's own low-balance threshold on $name", (engine) => {
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

  async function run(account: string, op: Operation, now = T0) {
    const result = await store.execute({ account, op, now });
    if (!result.ok) throw new Error(result.error.message);
  }
  const lows = async (account: string) =>
    (await listAccountEvents(store, account)).filter((e) => e.type === 'balance.low').map((e) => e.data);

  it('fires balance.low at the freelancer threshold instead of the operator-wide one (10)', async () => {
    const ctx = testContext(store);
    const own = await addFreelancer(store);
    const plain = await addFreelancer(store);
    const set = await setLowBalanceThreshold(ctx, { freelancerId: own, connects: 25 }, T0);
    expect(set).toEqual({ ok: true, value: { freelancerId: own, connects: 25 } });
    for (const account of [own, plain]) {
      await run(account, grant(30), T0);
      await run(account, debit(6), T0 + 1); // 24: below 25, not below 10
    }
    expect(await lows(own)).toMatchObject([{ seq: 2, balanceAfter: 24, threshold: 25 }]);
    expect(await lows(plain)).toEqual([]);
    await run(plain, debit(15), T0 + 2); // 9
    expect(await lows(plain)).toMatchObject([{ balanceAfter: 9, threshold: 10 }]);
  });

  it('0 turns it off for the freelancer, null returns to the operator-wide one', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    await setLowBalanceThreshold(ctx, { freelancerId: fl, connects: 0 }, T0);
    await run(fl, grant(20), T0);
    await run(fl, debit(15), T0 + 1); // 5
    expect(await lows(fl)).toEqual([]);
    await setLowBalanceThreshold(ctx, { freelancerId: fl, connects: null }, T0);
    await run(fl, grant(10), T0 + 2); // 15
    await run(fl, debit(7), T0 + 3); // 8
    expect(await lows(fl)).toMatchObject([{ balanceAfter: 8, threshold: 10 }]);
  });

  it('refuses an unknown freelancer and a bad threshold, changing nothing', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const code = async (input: unknown) => {
      const r = await setLowBalanceThreshold(ctx, input as never, T0);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await code({ freelancerId: freshAccount(), connects: 5 })).toBe('freelancer_not_found');
    for (const connects of [-1, 1.5, 1_000_001, '5', undefined]) {
      expect(await code({ freelancerId: fl, connects })).toBe('validation_failed');
    }
    const rows = await store.query<{ t: number | null }>(
      'SELECT low_balance_threshold AS t FROM freelancers WHERE id = $1',
      [fl],
    );
    expect(rows.rows).toEqual([{ t: null }]);
  });
});
