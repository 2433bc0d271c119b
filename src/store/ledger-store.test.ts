import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../core/ledger/operations.ts';
import type { LedgerStore } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { debit, freshAccount, grant, T0 } from './testing/fixtures.ts';
import { testEngines, type OpenedEngine } from './testing/test-engines.ts';

describe.each(testEngines)('ledger store on $name', (engine) => {
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

  it('creates the account on its first operation and persists entries and lots', async () => {
    const account = freshAccount();
    const granted = await store.execute({ account, op: grant(10), now: T0 });
    expect(granted).toMatchObject({
      ok: true,
      value: { replayed: false, balance: { balance: 10, available: 10 } },
    });
    const spent = await store.execute({ account, op: debit(4, 'job-1'), now: T0 + 1 });
    expect(spent.ok && spent.value.entries).toMatchObject([
      {
        seq: 2,
        type: 'debit',
        amount: 4,
        postings: [{ lotNo: 1, amount: -4 }],
        balanceAfter: 6,
        ref: 'job-1',
      },
    ]);
    expect(await store.lots(account)).toMatchObject([{ lotNo: 1, amount: 10, remaining: 6 }]);
    expect(await store.balance(account, T0 + 2)).toEqual({ balance: 6, available: 6, held: 0 });
    const page = await store.entries(account);
    expect(page.ok && page.value.entries.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('refuses an overdraft with the balance and the amount needed, and changes nothing', async () => {
    const account = freshAccount();
    await store.execute({ account, op: grant(3), now: T0 });
    const r = await store.execute({ account, op: debit(5), now: T0 + 1 });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'insufficient_connects', details: { needed: 5, available: 3 } },
    });
    expect(await store.balance(account, T0 + 1)).toEqual({ balance: 3, available: 3, held: 0 });
    const page = await store.entries(account);
    expect(page.ok && page.value.entries).toHaveLength(1);
  });

  it('does not create an account for a failed first operation', async () => {
    const account = freshAccount();
    const r = await store.execute({ account, op: debit(1), now: T0 });
    expect(r.ok).toBe(false);
    const rows = await store.query('SELECT 1 FROM accounts WHERE account = $1', [account]);
    expect(rows.rows).toEqual([]);
  });

  it('rejects a bad account id, time or idempotency key as validation errors', async () => {
    const bad = [
      { account: '', op: grant(1), now: T0 },
      { account: 'x'.repeat(201), op: grant(1), now: T0 },
      { account: freshAccount(), op: grant(1), now: 1.5 },
      { account: freshAccount(), op: grant(1), now: T0, idempotencyKey: '' },
    ];
    for (const cmd of bad) {
      expect(await store.execute(cmd)).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
  });

  it('refuses text the database cannot store instead of failing a batch', async () => {
    const account = freshAccount();
    for (const ref of ['nul\u0000byte', 'lone \ud800 surrogate']) {
      const r = await store.execute({ account, op: debit(1, ref), now: T0 });
      expect(r).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    expect(await store.execute({ account, op: grant(1), now: T0, idempotencyKey: 'k\u0000' })).toMatchObject({
      ok: false,
    });
  });

  it('confines a command the database refuses to that command, not its whole batch', async () => {
    const account = freshAccount();
    // The core refuses every bad operation it can see, so the database refusal comes from a trigger of this test's own.
    await opened.client.query(`CREATE OR REPLACE FUNCTION test_refuse_entry() RETURNS trigger AS $$
      BEGIN
        IF NEW.ref = 'refused-by-database' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await opened.client.query(`CREATE OR REPLACE TRIGGER test_refuse_entry BEFORE INSERT ON entries
      FOR EACH ROW EXECUTE FUNCTION test_refuse_entry()`);
    const bad: Operation = { ...grant(5), ref: 'refused-by-database' };
    const settled = await Promise.allSettled([
      store.execute({ account, op: grant(5), now: T0 }),
      store.execute({ account, op: bad, now: T0 }),
      store.execute({ account, op: debit(2), now: T0 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.balance(account, T0)).toMatchObject({ available: 3 });
  });

  describe('idempotency', () => {
    it('returns the stored original result for a retry with the same request, writing nothing', async () => {
      const account = freshAccount();
      await store.execute({ account, op: grant(20), now: T0 });
      const first = await store.execute({ account, op: debit(5), now: T0 + 1, idempotencyKey: 'p-1' });
      const retry = await store.execute({ account, op: debit(5), now: T0 + 99, idempotencyKey: 'p-1' });
      expect(first.ok && retry.ok).toBe(true);
      if (!first.ok || !retry.ok) return;
      expect(retry.value.replayed).toBe(true);
      expect(retry.value.entries).toEqual(first.value.entries);
      expect(retry.value.balance).toEqual(first.value.balance);
      expect(await store.balance(account, T0 + 100)).toMatchObject({ available: 15 });
    });

    it('rejects the same key with a different request', async () => {
      const account = freshAccount();
      await store.execute({ account, op: grant(20), now: T0 });
      await store.execute({ account, op: debit(5), now: T0 + 1, idempotencyKey: 'p-2' });
      const other = await store.execute({ account, op: debit(6), now: T0 + 2, idempotencyKey: 'p-2' });
      expect(other).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
      const hashed = await store.execute({
        account,
        op: debit(5),
        now: T0 + 2,
        idempotencyKey: 'p-2',
        requestHash: 'something else',
      });
      expect(hashed).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
    });

    it('scopes keys by account', async () => {
      const [a, b] = [freshAccount(), freshAccount()];
      await store.executeMany([
        { account: a, op: grant(5), now: T0 },
        { account: b, op: grant(5), now: T0 },
      ]);
      const results = await store.executeMany([
        { account: a, op: debit(1), now: T0 + 1, idempotencyKey: 'same' },
        { account: b, op: debit(2), now: T0 + 1, idempotencyKey: 'same' },
      ]);
      expect(results.map((r) => r.ok && r.value.replayed)).toEqual([false, false]);
    });

    it('stores nothing for a failed operation, so a later retry can succeed', async () => {
      const account = freshAccount();
      const failed = await store.execute({ account, op: debit(5), now: T0, idempotencyKey: 'buy-1' });
      expect(failed.ok).toBe(false);
      await store.execute({ account, op: grant(10), now: T0 + 1 });
      const retried = await store.execute({ account, op: debit(5), now: T0 + 2, idempotencyKey: 'buy-1' });
      expect(retried).toMatchObject({ ok: true, value: { replayed: false } });
    });

    it('treats two uses of one key in the same batch as sequential', async () => {
      const account = freshAccount();
      const cmd = { account, op: grant(7), now: T0, idempotencyKey: 'g-1' };
      const [one, two, three] = await store.executeMany([cmd, cmd, { ...cmd, op: grant(8) }]);
      expect(one).toMatchObject({ ok: true, value: { replayed: false } });
      expect(two).toMatchObject({ ok: true, value: { replayed: true } });
      expect(three).toMatchObject({ ok: false, error: { code: 'idempotency_conflict' } });
      expect(await store.balance(account, T0)).toMatchObject({ balance: 7 });
    });
  });

  it('fails only the failing operations of a batch', async () => {
    const [a, b] = [freshAccount(), freshAccount()];
    await store.executeMany([
      { account: a, op: grant(5), now: T0 },
      { account: b, op: grant(5), now: T0 },
    ]);
    const results = await store.executeMany([
      { account: a, op: debit(3), now: T0 + 1 },
      { account: a, op: debit(3), now: T0 + 1 },
      { account: b, op: debit(9), now: T0 + 1 },
      { account: a, op: debit(2), now: T0 + 1 },
      { account: b, op: { kind: 'capture', holdId: 'nope' }, now: T0 + 1 },
      { account: b, op: debit(5), now: T0 + 1 },
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'ok',
      'insufficient_connects',
      'insufficient_connects',
      'ok',
      'hold_not_found',
      'ok',
    ]);
    expect(await store.balance(a, T0 + 1)).toMatchObject({ balance: 0 });
    expect(await store.balance(b, T0 + 1)).toMatchObject({ balance: 0 });
  });

  describe('holds and refunds', () => {
    it('holds, captures and releases, returning released Connects to drained lots', async () => {
      const account = freshAccount();
      await store.execute({ account, op: grant(4), now: T0 });
      await store.execute({ account, op: { kind: 'hold', holdId: 'boost-1', amount: 4 }, now: T0 + 1 });
      expect(await store.balance(account, T0 + 1)).toEqual({ balance: 4, available: 0, held: 4 });
      expect(await store.lots(account, { withRemaining: true })).toEqual([]);
      expect(await store.holds(account)).toMatchObject([{ holdId: 'boost-1', amount: 4, status: 'active' }]);
      // The lot is drained, so the release must load it by name.
      const released = await store.execute({
        account,
        op: { kind: 'release', holdId: 'boost-1' },
        now: T0 + 2,
      });
      expect(released).toMatchObject({ ok: true, value: { balance: { available: 4, held: 0 } } });
      expect(await store.holds(account)).toEqual([]);
      expect(await store.holds(account, { includeSettled: true })).toMatchObject([{ status: 'released' }]);
      const again = await store.execute({ account, op: { kind: 'release', holdId: 'boost-1' }, now: T0 + 3 });
      expect(again).toMatchObject({ ok: false, error: { code: 'hold_already_settled' } });
      const reuse = await store.execute({
        account,
        op: { kind: 'hold', holdId: 'boost-1', amount: 1 },
        now: T0 + 3,
      });
      expect(reuse).toMatchObject({ ok: false, error: { code: 'hold_exists' } });
      await store.execute({ account, op: { kind: 'hold', holdId: 'boost-2', amount: 3 }, now: T0 + 4 });
      const captured = await store.execute({
        account,
        op: { kind: 'capture', holdId: 'boost-2' },
        now: T0 + 5,
      });
      expect(captured).toMatchObject({ ok: true, value: { balance: { balance: 1, available: 1, held: 0 } } });
    });

    it('places and settles a hold within one batch', async () => {
      const account = freshAccount();
      const results = await store.executeMany([
        { account, op: grant(5), now: T0 },
        { account, op: { kind: 'hold', holdId: 'h', amount: 2 }, now: T0 },
        { account, op: { kind: 'capture', holdId: 'h' }, now: T0 },
      ]);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(await store.holds(account, { includeSettled: true })).toMatchObject([
        { holdId: 'h', status: 'captured' },
      ]);
    });

    it('reinstates a refund into the drained lot it came from, and refuses unknown lots', async () => {
      const account = freshAccount();
      await store.execute({ account, op: grant(3), now: T0 });
      const spent = await store.execute({ account, op: debit(3), now: T0 + 1 });
      if (!spent.ok) throw new Error('debit failed');
      const draws = spent.value.entries[0]?.postings ?? [];
      const refund = await store.execute({
        account,
        op: { kind: 'refund', draws, mode: 'reinstate' },
        now: T0 + 2,
      });
      expect(refund).toMatchObject({ ok: true, value: { balance: { available: 3 } } });
      const unknown = await store.execute({
        account,
        op: { kind: 'refund', draws: [{ lotNo: 42, amount: -1 }], mode: 'reinstate' },
        now: T0 + 3,
      });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    });
  });

  describe('transaction', () => {
    it('commits a use case’s own rows together with its ledger operations', async () => {
      await store.query(
        'CREATE TABLE IF NOT EXISTS test_proposals (id text PRIMARY KEY, account text NOT NULL)',
      );
      const account = freshAccount();
      await store.execute({ account, op: grant(10), now: T0 });
      const result = await store.transaction(async (tx) => {
        await tx.query('INSERT INTO test_proposals (id, account) VALUES ($1, $2)', [`p-${account}`, account]);
        return tx.applyOps(account, [debit(2), debit(3)], T0 + 1, 'proposal-1');
      });
      expect(result).toMatchObject({ ok: true, value: { balance: { available: 5 } } });
      expect(result.ok && result.value.entries).toHaveLength(2);
      const rows = await store.query('SELECT id FROM test_proposals WHERE account = $1', [account]);
      expect(rows.rows).toHaveLength(1);
      const replayed = await store.transaction((tx) =>
        tx.applyOps(account, [debit(2), debit(3)], T0 + 2, 'proposal-1'),
      );
      expect(replayed).toMatchObject({ ok: true, value: { replayed: true } });
    });

    it('rolls back everything when the function throws, and applies none of a failing list', async () => {
      const account = freshAccount();
      await store.execute({ account, op: grant(10), now: T0 });
      await expect(
        store.transaction(async (tx) => {
          await tx.applyOps(account, [debit(4)], T0 + 1);
          throw new Error('payment declined');
        }),
      ).rejects.toThrow('payment declined');
      const partial = await store.transaction((tx) => tx.applyOps(account, [debit(4), debit(40)], T0 + 2));
      expect(partial).toMatchObject({ ok: false, error: { code: 'insufficient_connects' } });
      expect(await store.balance(account, T0 + 3)).toMatchObject({ available: 10 });
    });

    it('applies several accounts in one pass, all or nothing, one result per command', async () => {
      const [a, b, fresh] = [freshAccount('b'), freshAccount('a'), freshAccount('c')];
      await store.executeMany([a, b].map((account) => ({ account, op: grant(10), now: T0 })));
      const refused = await store.transaction((tx) =>
        tx.applyMany(
          [
            { account: a, ops: [debit(4)], idempotencyKey: 'k' },
            { account: b, ops: [debit(40)], idempotencyKey: 'k' },
          ],
          T0 + 1,
        ),
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient_connects' } });
      expect(await store.balance(a, T0 + 2)).toMatchObject({ available: 10 });
      const commands = [
        { account: a, ops: [debit(4)], idempotencyKey: 'k' },
        {
          account: b,
          ops: [debit(3), { kind: 'hold', holdId: 'h', amount: 2 } as Operation],
          idempotencyKey: 'k',
        },
        { account: fresh, ops: [grant(5)] },
      ];
      const applied = await store.transaction((tx) => tx.applyMany(commands, T0 + 2));
      expect(applied.ok && applied.value.map((r) => r.balance.available)).toEqual([6, 5, 5]);
      expect(await store.holds(b)).toHaveLength(1);
      const again = await store.transaction((tx) => tx.applyMany(commands.slice(0, 2), T0 + 3));
      expect(again.ok && again.value.map((r) => r.replayed)).toEqual([true, true]);
      expect(await store.balance(a, T0 + 4)).toMatchObject({ available: 6 });
    });
  });
});
