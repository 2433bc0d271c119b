import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../core/ledger/operations.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { registerFreelancer } from '../accounts/register-freelancer.ts';
import { buyConnects } from '../purchases/buy-connects.ts';
import { refundPurchase } from '../purchases/refund-purchase.ts';
import { testContext, type TestContext } from '../purchases/test-kit.ts';
import { LedgerPlan } from '../boosts/ledger-plan.ts';
import { getLedgerReport, type LedgerReport } from './get-ledger-report.ts';
import { lotUnitCosts } from './lot-costs.ts';

const DAY = 86_400_000;
const OCT_20 = Date.UTC(2026, 9, 20);
const NOV_3 = Date.UTC(2026, 10, 3);
const NOV_10 = Date.UTC(2026, 10, 10);
const DEC_2 = Date.UTC(2026, 11, 2);
const card = '4242424242424242';

function value<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe.each(testEngines)('getLedgerReport on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  let nov: LedgerReport;
  let oct: LedgerReport;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
    const exec = async (account: string, op: Operation, now: number) =>
      value(await opened.store.execute({ account, op, now }));
    // October: a member joins (40 + 10 free) and buys 100 Connects at 15 cents.
    value(await registerFreelancer(ctx, { id: 'fr-a' }, OCT_20));
    value(await buyConnects(ctx, { freelancerId: 'fr-a', purchaseId: 'p1', connects: 100, card }, OCT_20));
    // November: a 60-Connect proposal (50 free, then 10 paid), a boost hold of 20 paid, 15 of it captured
    // in a second hold; a short promo lot that expires; another member buys 20 and charges them back.
    await exec('fr-a', { kind: 'debit', amount: 60, ref: 'proposal:x', reason: 'proposal' }, NOV_3);
    await exec('fr-a', { kind: 'hold', holdId: 'boost:x', amount: 20, ref: 'proposal:x' }, NOV_3);
    await exec('fr-a', { kind: 'hold', holdId: 'boost:y', amount: 15, ref: 'proposal:y' }, NOV_3);
    await exec(
      'fr-a',
      { kind: 'grant', amount: 5, source: 'promo', category: 'free', expiresAt: NOV_10 + DAY },
      NOV_3,
    );
    await exec('fr-a', { kind: 'capture', holdId: 'boost:y' }, NOV_10);
    value(await registerFreelancer(ctx, { id: 'fr-b' }, NOV_3));
    value(await buyConnects(ctx, { freelancerId: 'fr-b', purchaseId: 'p2', connects: 20, card }, NOV_3));
    value(
      await refundPurchase(ctx, { freelancerId: 'fr-b', purchaseId: 'p2', reason: 'chargeback' }, NOV_10),
    );
    await opened.store.sweepExpired(DEC_2, 100);
    oct = value(await getLedgerReport(ctx, { month: '2026-10' }, DEC_2));
    nov = value(await getLedgerReport(ctx, { month: '2026-11' }, DEC_2));
  });
  afterAll(() => opened.cleanup());

  it('values paid Connects at their purchase price and free ones at zero', () => {
    expect(oct.opening.total).toEqual({ connects: 0, cents: 0 });
    expect(oct.issued.bySource.purchase.paid).toEqual({ connects: 100, cents: 1500 });
    expect(oct.closing.paid).toEqual({ connects: 100, cents: 1500 });
    expect(oct.closing.free.cents).toBe(0);
    expect(nov.opening).toEqual(oct.closing);
    expect(nov.deferredRevenue.openingCents).toBe(1500);
  });

  it('rolls the month forward: spend by use, breakage, chargebacks, held bids', () => {
    expect(nov.spent.byUse.proposals.paid).toEqual({ connects: 10, cents: 150 });
    expect(nov.spent.byUse.proposals.free.connects).toBe(50);
    expect(nov.spent.byUse.boosts.paid).toEqual({ connects: 15, cents: 225 });
    expect(nov.expired.free.connects).toBe(5);
    expect(nov.chargebacks.paid).toEqual({ connects: -20, cents: -300 });
    expect(nov.held.closing.paid).toEqual({ connects: 20, cents: 300 });
    expect(nov.closing.paid).toEqual({ connects: 75, cents: 1125 });
    expect(nov.revenue).toEqual({ spendCents: 375, refundedCents: 0, breakageCents: 0, totalCents: 375 });
    expect(nov.deferredRevenue.closingCents).toBe(1125);
    for (const r of [oct, nov]) expect(r.check).toEqual({ connects: 0, cents: 0 });
  });

  it('gives a fresh refund lot the cost of the Connects it returns', async () => {
    value(await registerFreelancer(ctx, { id: 'fr-c' }, DEC_2));
    value(await buyConnects(ctx, { freelancerId: 'fr-c', purchaseId: 'p3', connects: 20, card }, DEC_2));
    const debit = value(
      await opened.store.execute({
        account: 'fr-c',
        op: { kind: 'debit', amount: 60, ref: 'proposal:z' },
        now: DEC_2,
      }),
    );
    const draws = debit.entries.find((e) => e.type === 'debit')?.postings ?? [];
    expect(draws).toEqual([
      { lotNo: 1, amount: -40 },
      { lotNo: 2, amount: -10 },
      { lotNo: 3, amount: -10 },
    ]);
    const op = {
      kind: 'refund' as const,
      draws,
      mode: 'fresh_lot' as const,
      freshExpiresAt: DEC_2 + 400 * DAY,
    };
    await opened.store.transaction((tx) => new LedgerPlan().add('fr-c', op).apply(tx, DEC_2, 'cancel:z'));
    const costs = await lotUnitCosts(opened.store, 'fr-c', [3, 4, 5, 6]);
    expect([...costs.entries()].sort()).toEqual([
      [3, 15],
      [4, 0],
      [5, 0],
      [6, 15],
    ]);
    const dec = value(await getLedgerReport(ctx, { month: '2026-12' }, DEC_2));
    expect(dec.refunds.paid).toEqual({ connects: 10, cents: 150 });
    expect(dec.check).toEqual({ connects: 0, cents: 0 });
  });

  it('refuses a malformed month and a month not yet started, by the clock it is given', async () => {
    const bad = await getLedgerReport(ctx, { month: '2026-13' }, DEC_2);
    expect(bad.ok ? null : bad.error.code).toBe('validation_failed');
    const future = await getLedgerReport(ctx, { month: '2027-01' }, DEC_2);
    expect(future.ok ? null : future.error.code).toBe('report_month_in_future');
    const current = await getLedgerReport(ctx, { month: '2026-12' }, DEC_2);
    expect(current.ok).toBe(true);
  });
});
