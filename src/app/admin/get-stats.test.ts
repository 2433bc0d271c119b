import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../core/ledger/operations.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { buyConnects } from '../purchases/buy-connects.ts';
import { refundPurchase } from '../purchases/refund-purchase.ts';
import { testContext, type TestContext } from '../purchases/test-kit.ts';
import { adjustConnects } from './adjust-connects.ts';
import { getStats } from './get-stats.ts';
import { bucketStarts, monthIndex, monthStart } from './stats-buckets.ts';

const JAN_10 = Date.UTC(2024, 0, 10);
const FEB_5 = Date.UTC(2024, 1, 5);
const FEB_20 = Date.UTC(2024, 1, 20);
const MAR_15 = Date.UTC(2024, 2, 15, 9);

describe('stats buckets', () => {
  it('numbers months absolutely and walks days and months in UTC', () => {
    expect(monthStart(monthIndex(Date.UTC(2024, 1, 29, 23)))).toBe(Date.UTC(2024, 1, 1));
    expect(monthStart(monthIndex(Date.UTC(2023, 11, 31)) + 1)).toBe(Date.UTC(2024, 0, 1));
    expect(bucketStarts('month', Date.UTC(2023, 10, 1), Date.UTC(2024, 1, 1), 10)).toEqual([
      Date.UTC(2023, 10, 1),
      Date.UTC(2023, 11, 1),
      Date.UTC(2024, 0, 1),
    ]);
    expect(bucketStarts('day', JAN_10, JAN_10 + 3 * 86_400_000, 2)).toEqual([JAN_10, JAN_10 + 86_400_000]);
  });
});

/** Each engine gets its own database: the totals cover every account in it. */
describe.each(testEngines)('getStats on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
    const ok = <T>(r: { ok: boolean; value?: T; error?: unknown }) => {
      if (!r.ok) throw new Error(JSON.stringify(r.error));
    };
    const exec = async (account: string, op: Operation, now: number) =>
      ok(await opened.store.execute({ account, op, now }));
    // Jan 10: two members (40 + 10 each), one buys 20 Connects for $3.00.
    ok(await registerFreelancer(ctx, { id: 'st-a' }, JAN_10));
    ok(await registerFreelancer(ctx, { id: 'st-b' }, JAN_10));
    ok(
      await buyConnects(
        ctx,
        { freelancerId: 'st-a', purchaseId: 'p1', connects: 20, card: '4242424242424242' },
        JAN_10,
      ),
    );
    // Feb 5: a proposal costs 8 and is refunded 8; the admin removes 2; a short-lived lot of 5 is granted.
    const spent = await opened.store.execute({
      account: 'st-a',
      op: { kind: 'debit', amount: 8, ref: 'proposal:x' },
      now: FEB_5,
    });
    if (!spent.ok) throw new Error('debit failed');
    const draws = spent.value.entries[0]?.postings ?? [];
    await exec('st-a', { kind: 'refund', draws, mode: 'reinstate', ref: 'proposal:x' }, FEB_5);
    await exec('st-a', { kind: 'debit', amount: 3, ref: 'proposal:y' }, FEB_5);
    ok(
      await adjustConnects(
        ctx,
        { freelancerId: 'st-b', connects: -2, reason: 'fix', idempotencyKey: 'k1' },
        FEB_5,
      ),
    );
    await exec(
      'st-b',
      { kind: 'grant', amount: 5, source: 'admin', category: 'free', expiresAt: FEB_5 + 86_400_000 },
      FEB_5,
    );
    // Feb 20: the sweep expires the 5; st-b buys 10 and charges it back; a Plus renewal of $14.99.
    await opened.store.sweepExpired(FEB_20, 100);
    ok(
      await buyConnects(
        ctx,
        { freelancerId: 'st-b', purchaseId: 'p2', connects: 10, card: '4242424242424242' },
        FEB_20,
      ),
    );
    ok(await refundPurchase(ctx, { freelancerId: 'st-b', purchaseId: 'p2', reason: 'chargeback' }, FEB_20));
    await opened.store.query(
      `INSERT INTO plan_events (freelancer_id, event_no, kind, occurred_at, cycle_index, plan, amount_cents)
       VALUES ('st-a', 99, 'renewed', $1, 1, 'plus', 1499)`,
      [FEB_20],
    );
  });
  afterAll(() => opened.cleanup());

  it('totals every figure over all time with SQL aggregates', async () => {
    const stats = await getStats(ctx, {}, MAR_15);
    if (!stats.ok) throw new Error(stats.error.message);
    expect(stats.value.totals).toEqual({
      issued: 50 + 50 + 20 + 5 + 10,
      spent: 8 + 3,
      refunded: 8,
      expired: 5,
      removed: 2 + 10,
      forfeited: 0,
      outstanding: 70 - 3 + 48,
      purchases: 2,
      purchaseRevenueCents: 300,
      purchaseRefundedCents: 150,
      planRevenueCents: 1499,
    });
  });

  it('gives one point per day, zeros included, over the default 30 days', async () => {
    const stats = await getStats(ctx, {}, MAR_15);
    if (!stats.ok) throw new Error(stats.error.message);
    const { from, until, series } = stats.value;
    expect(until).toBe(Date.UTC(2024, 2, 16));
    expect(from).toBe(Date.UTC(2024, 1, 15));
    expect(series).toHaveLength(30);
    const feb20 = series.find((p) => p.at === FEB_20);
    expect(feb20).toEqual({
      at: FEB_20,
      issued: 10,
      spent: 0,
      refunded: 0,
      // The sweep ran on Feb 20, but an expiry takes effect when the lot expired (Feb 6, before the window).
      expired: 0,
      purchaseRevenueCents: 0,
      planRevenueCents: 1499,
    });
    expect(series.filter((p) => p.at !== FEB_20).every((p) => p.issued === 0 && p.expired === 0)).toBe(true);
  });

  it('gives monthly points over a chosen window', async () => {
    const stats = await getStats(
      ctx,
      { bucket: 'month', from: Date.UTC(2023, 11, 20), until: MAR_15 },
      MAR_15,
    );
    if (!stats.ok) throw new Error(stats.error.message);
    expect(stats.value.from).toBe(Date.UTC(2023, 11, 1));
    expect(stats.value.until).toBe(Date.UTC(2024, 3, 1));
    expect(
      stats.value.series.map((p) => [new Date(p.at).toISOString().slice(0, 7), p.issued, p.spent]),
    ).toEqual([
      ['2023-12', 0, 0],
      ['2024-01', 120, 0],
      ['2024-02', 15, 11],
      ['2024-03', 0, 0],
    ]);
    expect(stats.value.series[1]?.purchaseRevenueCents).toBe(300);
    expect(stats.value.series[2]?.expired).toBe(5);
  });

  it('refuses an empty or too long window', async () => {
    const empty = await getStats(ctx, { from: MAR_15 + 86_400_000, until: MAR_15 - 86_400_000 }, MAR_15);
    expect(empty.ok ? 'ok' : empty.error.code).toBe('validation_failed');
    const long = await getStats(ctx, { from: 0, until: MAR_15 }, MAR_15);
    expect(long.ok ? 'ok' : long.error.code).toBe('validation_failed');
    const months = await getStats(ctx, { bucket: 'month', from: 0, until: MAR_15 }, MAR_15);
    expect(months.ok ? 'ok' : months.error.code).toBe('validation_failed');
  });
});
