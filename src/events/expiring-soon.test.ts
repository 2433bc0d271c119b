import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, T0, YEAR, debit, freshAccount, grant } from '../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../store/testing/test-engines.ts';
import type { LedgerStore } from '../store/store.ts';
import { notifyExpiringHook, notifyExpiringSoon } from './expiring-soon.ts';
import { listAccountEvents } from './payload.ts';

describe.each(testEngines)('connects.expiring_soon on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(() => opened.cleanup());

  async function grantLot(account: string, amount: number, expiresAt: number, issuedAt: number) {
    const r = await store.execute({ account, op: grant(amount, expiresAt, issuedAt), now: issuedAt });
    if (!r.ok) throw new Error(r.error.message);
  }
  const notices = async (account: string) =>
    (await listAccountEvents(store, account)).filter((e) => e.type === 'connects.expiring_soon');

  it('fires 30 and 7 days ahead, once each per lot', async () => {
    const account = freshAccount();
    await grantLot(account, 20, T0 + YEAR, T0);
    await grantLot(account, 5, T0 + YEAR + 3 * DAY, T0 + DAY);
    await notifyExpiringSoon(store, T0 + YEAR - 31 * DAY, 100);
    expect(await notices(account)).toEqual([]);

    await notifyExpiringSoon(store, T0 + YEAR - 30 * DAY, 100);
    await notifyExpiringSoon(store, T0 + YEAR - 30 * DAY, 100);
    await notifyExpiringSoon(store, T0 + YEAR - 20 * DAY, 100);
    const first = await notices(account);
    expect(first.map((e) => e.data)).toEqual([
      {
        freelancerId: account,
        lotNo: 1,
        source: 'purchase',
        category: 'paid',
        remaining: 20,
        expiresAt: new Date(T0 + YEAR).toISOString(),
        daysAhead: 30,
      },
      expect.objectContaining({ lotNo: 2, daysAhead: 30, remaining: 5 }),
    ]);
    expect(first[0]?.timestamp).toBe(new Date(T0 + YEAR - 30 * DAY).toISOString());

    const spend = await store.execute({ account, op: debit(8), now: T0 + YEAR - 10 * DAY });
    expect(spend.ok).toBe(true);
    await notifyExpiringSoon(store, T0 + YEAR - 7 * DAY, 100);
    await notifyExpiringSoon(store, T0 + YEAR - DAY, 100);
    await notifyExpiringSoon(store, T0 + YEAR + DAY, 100);
    const all = await notices(account);
    expect(all.map((e) => ('daysAhead' in e.data ? [e.data.lotNo, e.data.daysAhead] : []))).toEqual([
      [1, 30],
      [2, 30],
      [1, 7],
      [2, 7],
    ]);
    expect(all[2]?.data).toMatchObject({ remaining: 12 });
  });

  it('sends only the nearest threshold to a lot first seen inside it, and none for empty lots', async () => {
    const account = freshAccount();
    const start = T0 + 2 * YEAR;
    await grantLot(account, 10, start + 5 * DAY, start);
    await grantLot(account, 3, start + 6 * DAY, start);
    const spend = await store.execute({ account, op: debit(10), now: start });
    expect(spend.ok).toBe(true);
    await notifyExpiringSoon(store, start, 100);
    await notifyExpiringSoon(store, start + DAY, 100);
    expect((await notices(account)).map((e) => e.data)).toEqual([
      expect.objectContaining({ lotNo: 2, remaining: 3, daysAhead: 7 }),
    ]);
  });

  it('writes at most `limit` notices per call, soonest expiry first', async () => {
    const start = T0 + 4 * YEAR;
    const accounts = [freshAccount(), freshAccount(), freshAccount()];
    for (const [i, account] of accounts.entries()) await grantLot(account, 10, start + (20 - i) * DAY, start);
    expect(await notifyExpiringSoon(store, start, 2)).toEqual({ notified: 2 });
    expect((await notices(accounts[0] ?? '')).length).toBe(0);
    expect((await notices(accounts[2] ?? '')).length).toBe(1);
    const hook = notifyExpiringHook(store);
    expect(await hook(start, 2)).toBe(1);
    expect(await hook(start, 2)).toBe(0);
  });

  it('writes each notice once when two callers race', async () => {
    const start = T0 + 6 * YEAR;
    const accounts = Array.from({ length: 30 }, () => freshAccount('race'));
    await Promise.all(accounts.map((account) => grantLot(account, 10, start + 3 * DAY, start)));
    const reports = await Promise.all([
      notifyExpiringSoon(store, start, 1000),
      notifyExpiringSoon(store, start, 1000),
      notifyExpiringSoon(store, start, 1000),
    ]);
    expect(reports.reduce((sum, r) => sum + r.notified, 0)).toBe(30);
    for (const account of accounts) expect(await notices(account)).toHaveLength(1);
  });
});
