import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../core/types.ts';
import type { EntryQuery, LedgerStore } from './store.ts';
import { checkInvariants } from './testing/check-invariants.ts';
import { DAY, debit, freshAccount, grant, T0, YEAR } from './testing/fixtures.ts';
import { testEngines, type OpenedEngine } from './testing/test-engines.ts';

describe.each(testEngines)('history and balances on $name', (engine) => {
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

  async function page(account: string, query: EntryQuery) {
    const r = await store.entries(account, query);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  async function all(account: string, query: EntryQuery): Promise<Entry[]> {
    const out: Entry[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const p = await page(account, { ...query, ...(cursor === undefined ? {} : { cursor }) });
      out.push(...p.entries);
      if (p.nextCursor === null) return out;
      cursor = p.nextCursor;
    }
    throw new Error('paging did not end');
  }

  it('answers balances lazily at any instant and as of past instants, swept or not', async () => {
    const account = freshAccount();
    await store.execute({ account, op: grant(10, T0 + 5 * DAY), now: T0 });
    await store.execute({ account, op: grant(5, T0 + YEAR), now: T0 + DAY });
    await store.execute({ account, op: debit(3), now: T0 + 2 * DAY });
    await store.execute({ account, op: { kind: 'hold', holdId: 'b', amount: 2 }, now: T0 + 3 * DAY });
    // Not swept: the 5 Connects left in the first lot stop counting at its expiry all the same.
    expect(await store.balance(account, T0 + 5 * DAY - 1)).toEqual({ balance: 12, available: 10, held: 2 });
    expect(await store.balance(account, T0 + 5 * DAY)).toEqual({ balance: 7, available: 5, held: 2 });
    const asOf = async () =>
      Promise.all(
        [T0 - 1, T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY, T0 + 6 * DAY].map((t) =>
          store.balanceAsOf(account, t),
        ),
      );
    const before = await asOf();
    expect(before.map((b) => [b.balance, b.available, b.held])).toEqual([
      [0, 0, 0],
      [10, 10, 0],
      [15, 15, 0],
      [12, 12, 0],
      [12, 10, 2],
      [7, 5, 2],
    ]);
    const swept = await store.sweepExpired(T0 + 7 * DAY, 10_000);
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect(await asOf()).toEqual(before);
    // The hold drew from the first lot, expired meanwhile: released Connects expire at once.
    await store.execute({ account, op: { kind: 'release', holdId: 'b' }, now: T0 + 8 * DAY });
    expect(await store.balanceAsOf(account, T0 + 8 * DAY)).toEqual({ balance: 5, available: 5, held: 0 });
    expect(await store.balance(account, T0 + 8 * DAY)).toEqual({ balance: 5, available: 5, held: 0 });
    expect(await store.balanceAsOf(account, T0 + 6 * DAY)).toEqual(before[5]);
  });

  it('pages through history with a stable cursor while new entries arrive', async () => {
    const account = freshAccount();
    await store.execute({ account, op: grant(100), now: T0 });
    for (let i = 1; i <= 24; i++) {
      await store.execute({ account, op: debit(1, i % 2 ? 'odd' : 'even'), now: T0 + i * DAY });
    }
    const first = await page(account, { limit: 10 });
    expect(first.entries.map((e) => e.seq)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    // Entries written between pages do not shift the following pages.
    await store.execute({ account, op: debit(1), now: T0 + 30 * DAY });
    const second = await page(account, { limit: 10, cursor: first.nextCursor ?? '' });
    expect(second.entries.map((e) => e.seq)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const third = await page(account, { limit: 10, cursor: second.nextCursor ?? '' });
    expect(third.entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(third.nextCursor).toBeNull();
    const ascending = await all(account, { limit: 7, order: 'asc' });
    expect(ascending.map((e) => e.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });

  it('filters by type, reference and effective time', async () => {
    const account = freshAccount();
    await store.execute({ account, op: grant(100), now: T0 });
    for (let i = 1; i <= 12; i++) {
      await store.execute({ account, op: debit(1, i % 3 === 0 ? 'job-3' : 'job-x'), now: T0 + i * DAY });
    }
    expect((await all(account, { types: ['grant'], limit: 2 })).map((e) => e.seq)).toEqual([1]);
    expect((await all(account, { ref: 'job-3', limit: 2 })).map((e) => e.seq)).toEqual([13, 10, 7, 4]);
    const window = await all(account, { since: T0 + 3 * DAY, until: T0 + 6 * DAY, limit: 2 });
    expect(window.map((e) => e.effectiveAt)).toEqual([T0 + 5 * DAY, T0 + 4 * DAY, T0 + 3 * DAY]);
    const both = await all(account, { types: ['debit'], ref: 'job-x', since: T0 + 10 * DAY, limit: 500 });
    expect(both.map((e) => e.seq)).toEqual([12, 11]);
  });

  it('refuses page sizes out of range, unknown types and foreign cursors', async () => {
    const account = freshAccount();
    for (const query of [{ limit: 0 }, { limit: 501 }, { limit: 2.5 }, { cursor: 'garbage' }]) {
      expect(await store.entries(account, query)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    }
    expect(await store.entries(account, { types: ['bonus' as 'grant'] })).toMatchObject({ ok: false });
    await store.executeMany([1, 2, 3].map(() => ({ account, op: grant(1), now: T0 })));
    const desc = await page(account, { limit: 1 });
    const asc = await store.entries(account, { limit: 1, order: 'asc', cursor: desc.nextCursor ?? '' });
    expect(asc).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it('records each expiry once however often the sweep runs, bounded by its account limit', async () => {
    const accounts = Array.from({ length: 5 }, () => freshAccount('exp'));
    await store.executeMany(accounts.map((account) => ({ account, op: grant(3, T0 + 50 * DAY), now: T0 })));
    const now = T0 + 51 * DAY;
    const first = await store.sweepExpired(now, 2);
    expect(first).toEqual({ accounts: 2, expired: 2 });
    const rest = await store.sweepExpired(now, 10_000);
    const again = await store.sweepExpired(now, 10_000);
    expect(again).toEqual({ accounts: 0, expired: 0 });
    expect(first.expired + rest.expired).toBeGreaterThanOrEqual(5);
    for (const account of accounts) {
      const expiries = await all(account, { types: ['expiry'] });
      expect(expiries.map((e) => [e.amount, e.effectiveAt, e.recordedAt])).toEqual([[3, T0 + 50 * DAY, now]]);
    }
  });
});
