import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../core/ledger/operations.ts';
import { checkInvariants } from '../store/testing/check-invariants.ts';
import { DAY, T0, YEAR, debit, freshAccount, grant } from '../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import type { LedgerStore } from '../store/store.ts';
import { listAccountEvents } from './payload.ts';
import { getLowBalanceThreshold, setLowBalanceThreshold } from './settings.ts';

describe.each(testEngines)('event outbox on $name', (engine) => {
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
    return result.value;
  }
  const types = async (account: string) => (await listAccountEvents(store, account)).map((e) => e.type);

  it('writes connects.granted and connects.spent with the entry, in the same write', async () => {
    const account = freshAccount();
    await run(account, grant(50), T0);
    await run(account, debit(4, 'proposal:p1'), T0 + 1000);
    const events = await listAccountEvents(store, account);
    expect(events).toHaveLength(2);
    const [granted, spent] = events;
    expect(granted).toMatchObject({
      type: 'connects.granted',
      timestamp: new Date(T0).toISOString(),
      data: {
        freelancerId: account,
        seq: 1,
        entryType: 'grant',
        amount: 50,
        balanceBefore: 0,
        balanceAfter: 50,
        lot: {
          lotNo: 1,
          source: 'purchase',
          category: 'paid',
          amount: 50,
          expiresAt: new Date(T0 + YEAR).toISOString(),
        },
      },
    });
    expect(spent).toMatchObject({
      type: 'connects.spent',
      data: {
        seq: 2,
        entryType: 'debit',
        amount: 4,
        balanceAfter: 46,
        lots: [{ lotNo: 1, amount: -4 }],
        ref: 'proposal:p1',
      },
    });
    expect(spent?.id).toMatch(/^evt_\d+$/);
    expect(Number(spent?.id.slice(4))).toBeGreaterThan(Number(granted?.id.slice(4)));
  });

  it('writes nothing when the transaction rolls back', async () => {
    const account = freshAccount();
    await expect(
      store.transaction(async (tx) => {
        const applied = await tx.applyOps(account, [grant(30)], T0);
        expect(applied.ok).toBe(true);
        expect(await listAccountEvents(tx, account)).toHaveLength(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await listAccountEvents(store, account)).toEqual([]);
    await store.transaction((tx) => tx.applyOps(account, [grant(30)], T0));
    expect(await types(account)).toEqual(['connects.granted']);
  });

  it('maps holds, captures, releases, refunds and adjustments', async () => {
    const account = freshAccount();
    await run(account, grant(40), T0);
    await run(account, { kind: 'hold', holdId: 'b1', amount: 5 }, T0 + 1);
    await run(account, { kind: 'hold', holdId: 'b2', amount: 3 }, T0 + 2);
    await run(account, { kind: 'capture', holdId: 'b1' }, T0 + 3);
    await run(account, { kind: 'release', holdId: 'b2' }, T0 + 4);
    const spent = await run(account, debit(6, 'proposal:p2'), T0 + 5);
    const draws = spent.entries[0]?.postings ?? [];
    await run(account, { kind: 'refund', draws, mode: 'reinstate', ref: 'job:cancelled' }, T0 + 6);
    await run(account, { kind: 'adjust', delta: 7, expiresAt: T0 + YEAR, reason: 'goodwill' }, T0 + 7);
    await run(account, { kind: 'adjust', delta: -2, expiresAt: T0 + YEAR, reason: 'correction' }, T0 + 8);
    const events = await listAccountEvents(store, account);
    expect(events.map((e) => [e.type, 'seq' in e.data ? e.data.seq : null])).toEqual([
      ['connects.granted', 1],
      ['connects.spent', 4],
      ['connects.spent', 6],
      ['connects.refunded', 7],
      ['connects.granted', 8],
      ['connects.spent', 9],
    ]);
    expect(events[1]?.data).toMatchObject({ entryType: 'hold_capture', amount: 5, holdId: 'b1' });
    expect(events[3]?.data).toMatchObject({
      amount: 6,
      lots: [{ lotNo: 1, amount: 6 }],
      ref: 'job:cancelled',
    });
    expect(events[4]?.data).toMatchObject({ entryType: 'adjustment', reason: 'goodwill', balanceAfter: 42 });
    expect(events[5]?.data).toMatchObject({ entryType: 'adjustment', amount: 2, balanceAfter: 40 });
  });

  it('says on connects.refunded how much of the refund expired at once', async () => {
    const account = freshAccount();
    await run(account, grant(8, T0 + 10 * DAY), T0);
    await run(account, grant(5, T0 + YEAR), T0);
    const spent = await run(account, debit(13, 'proposal:p1'), T0 + 1);
    const draws = spent.entries[0]?.postings ?? [];
    await run(account, { kind: 'refund', draws, mode: 'reinstate', ref: 'proposal:p1' }, T0 + 15 * DAY);
    const again = await run(account, debit(2, 'proposal:p2'), T0 + 16 * DAY);
    const redraws = again.entries.find((e) => e.type === 'debit')?.postings ?? [];
    await run(account, { kind: 'refund', draws: redraws, mode: 'reinstate' }, T0 + 17 * DAY);
    const refunded = (await listAccountEvents(store, account)).filter((e) => e.type === 'connects.refunded');
    expect(refunded.map((e) => e.data)).toMatchObject([
      { amount: 13, expiredAtOnce: 8 },
      { amount: 2, expiredAtOnce: 0 },
    ]);
  });

  it('writes connects.expired at the lot expiry when the sweep materialises it', async () => {
    const account = freshAccount();
    await run(account, grant(12, T0 + 10 * DAY), T0);
    await store.sweepExpired(T0 + 11 * DAY, 100);
    const events = await listAccountEvents(store, account);
    expect(events.map((e) => e.type)).toEqual(['connects.granted', 'connects.expired', 'balance.low']);
    expect(events[1]).toMatchObject({
      timestamp: new Date(T0 + 10 * DAY).toISOString(),
      data: {
        entryType: 'expiry',
        amount: 12,
        balanceAfter: 0,
        recordedAt: new Date(T0 + 11 * DAY).toISOString(),
      },
    });
  });

  it('writes balance.low only when an entry crosses the threshold downwards', async () => {
    expect(await getLowBalanceThreshold(store)).toBe(10);
    const account = freshAccount();
    await run(account, grant(20), T0);
    await run(account, debit(5), T0 + 1); // 15
    await run(account, debit(5), T0 + 2); // 10: not below
    await run(account, debit(1), T0 + 3); // 9: crosses
    await run(account, debit(1), T0 + 4); // 8: already below
    await run(account, grant(10), T0 + 5); // 18
    await run(account, debit(9), T0 + 6); // 9: crosses again
    const events = await listAccountEvents(store, account);
    const lows = events.filter((e) => e.type === 'balance.low');
    expect(lows.map((e) => e.data)).toMatchObject([
      { seq: 4, balanceBefore: 10, balanceAfter: 9, threshold: 10 },
      { seq: 7, balanceBefore: 18, balanceAfter: 9, threshold: 10 },
    ]);
    const seq4 = events.filter((e) => 'seq' in e.data && e.data.seq === 4).map((e) => e.type);
    expect(seq4).toEqual(['connects.spent', 'balance.low']);
  });

  it('uses the operator threshold; 0 turns balance.low off', async () => {
    expect((await setLowBalanceThreshold(store, -1, T0)).ok).toBe(false);
    expect((await setLowBalanceThreshold(store, 1.5, T0)).ok).toBe(false);
    try {
      expect(await setLowBalanceThreshold(store, 25, T0)).toEqual({ ok: true, value: 25 });
      const account = freshAccount();
      await run(account, grant(30), T0);
      await run(account, debit(6), T0 + 1);
      expect(await types(account)).toEqual(['connects.granted', 'connects.spent', 'balance.low']);
      await setLowBalanceThreshold(store, 0, T0);
      await run(account, debit(24), T0 + 2);
      expect(await types(account)).toEqual([
        'connects.granted',
        'connects.spent',
        'balance.low',
        'connects.spent',
      ]);
    } finally {
      await setLowBalanceThreshold(store, 10, T0);
    }
  });

  it('numbers a batch of many accounts in each account history order', async () => {
    const accounts = Array.from({ length: 20 }, () => freshAccount('batch'));
    const cmds = accounts.flatMap((account) => [
      { account, op: grant(12), now: T0 },
      { account, op: debit(1), now: T0 + 1 },
      { account, op: debit(2), now: T0 + 2 },
    ]);
    const results = await store.executeMany(cmds);
    expect(results.every((r) => r.ok)).toBe(true);
    for (const account of accounts) {
      const events = await listAccountEvents(store, account);
      expect(events.map((e) => e.type)).toEqual([
        'connects.granted',
        'connects.spent',
        'connects.spent',
        'balance.low',
      ]);
      const ids = events.map((e) => Number(e.id.slice(4)));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('writes no event for entries that move no Connects, nor for forfeits', async () => {
    // Written by hand inside a transaction that is then rolled back: the
    // trigger sees any INSERT into entries, whoever issues it.
    const account = freshAccount();
    const insert = `INSERT INTO entries (account, seq, type, amount, postings, balance_before, balance_after,
        available_before, available_after, effective_at, recorded_at)
      SELECT $1, s, t, a, '[]', 20, 20, 20, 20, $2, $2
      FROM unnest($3::int8[], $4::text[], $5::int8[]) AS x(s, t, a)`;
    await expect(
      store.transaction(async (tx) => {
        await tx.query(insert, [account, T0, [1, 2, 3], ['debit', 'forfeit', 'hold_release'], [0, 5, 5]]);
        expect(await listAccountEvents(tx, account)).toEqual([]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
  });
});
