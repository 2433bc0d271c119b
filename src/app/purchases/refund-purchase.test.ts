import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarYears } from '../../core/calendar.ts';
import type { Instant } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { testCards } from '../payments/test-provider.ts';
import { buyConnects } from './buy-connects.ts';
import { refundPurchase } from './refund-purchase.ts';
import { addFreelancer, testContext, type TestContext } from './test-kit.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
const LATER = NOW + 3_600_000;
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe.each(testEngines)('refund a purchase on $name', (engine) => {
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

  async function bought(ctx: TestContext, connects: number): Promise<string> {
    const fl = await addFreelancer(store);
    const r = await buyConnects(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', connects, card: testCards.succeeds },
      NOW,
    );
    expect(r.ok).toBe(true);
    return fl;
  }

  const spend = (fl: string, amount: number, now: Instant) =>
    store.execute({ account: fl, op: { kind: 'debit', amount, ref: 'job-1' }, now });

  it('removes the unspent purchased Connects, refunds the money and marks the purchase refunded', async () => {
    const ctx = testContext(store, { taxRates: { rates: { DE: 1900 } } });
    const fl = await addFreelancer(store);
    const input = {
      freelancerId: fl,
      purchaseId: 'p1',
      connects: 40,
      card: testCards.succeeds,
      jurisdiction: 'DE',
    };
    await buyConnects(ctx, input, NOW);
    await spend(fl, 15, NOW + 1);
    const refunded = await refundPurchase(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' },
      LATER,
    );
    expect(refunded).toMatchObject({
      ok: true,
      value: {
        status: 'refunded',
        totalCents: 714,
        refund: { reason: 'chargeback', clawedBackConnects: 25, requestedAt: LATER, refundedAt: LATER },
      },
    });
    expect(refunded.ok && refunded.value.refund?.refundId).toMatch(/^re_test_/);
    expect(await store.balance(fl, LATER)).toMatchObject({ balance: 0 });
    const page = await store.entries(fl, { types: ['adjustment'] });
    expect(page.ok && page.value.entries).toMatchObject([
      { amount: 25, postings: [{ lotNo: 1, amount: -25 }], ref: 'purchase:p1', reason: 'chargeback' },
    ]);
    // The whole charge (price + tax) went back; a second refund of it would exceed it.
    expect(ctx.payments.refundCalls).toBe(1);
  });

  it('answers purchase_already_refunded the second time and changes nothing', async () => {
    const ctx = testContext(store);
    const fl = await bought(ctx, 20);
    await refundPurchase(ctx, { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' }, LATER);
    const again = await refundPurchase(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' },
      LATER + 1,
    );
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'purchase_already_refunded', details: { refundedAt: LATER } },
    });
    expect(ctx.payments.refundCalls).toBe(1);
  });

  it('takes only the purchase lot, leaving free Connects that expire after it', async () => {
    const ctx = testContext(store);
    const fl = await bought(ctx, 20);
    const promo = { kind: 'grant', amount: 30, source: 'promo', category: 'free' } as const;
    await store.execute({ account: fl, op: { ...promo, expiresAt: addCalendarYears(NOW, 2) }, now: NOW + 1 });
    const refunded = await refundPurchase(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' },
      LATER,
    );
    expect(refunded.ok && refunded.value.refund?.clawedBackConnects).toBe(20);
    expect((await store.lots(fl)).map((l) => [l.source, l.remaining])).toEqual([
      ['purchase', 0],
      ['promo', 30],
    ]);
  });

  it('removes only the purchase lot when another lot would be drawn first', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const signup = { kind: 'grant', amount: 40, source: 'signup', category: 'free' } as const;
    await store.execute({
      account: fl,
      op: { ...signup, expiresAt: addCalendarYears(NOW - 1, 1) },
      now: NOW - 1,
    });
    await buyConnects(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', connects: 20, card: testCards.succeeds },
      NOW,
    );
    const refunded = await refundPurchase(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' },
      LATER,
    );
    expect(refunded.ok && refunded.value.refund?.clawedBackConnects).toBe(20);
    expect(await store.balance(fl, LATER)).toMatchObject({ balance: 40 });
    const lots = await store.lots(fl);
    expect(lots.map((l) => [l.lotNo, l.remaining])).toEqual([
      [1, 40],
      [2, 0],
    ]);
    expect(ctx.payments.refundCalls).toBe(1);
  });

  it('refunds the money with nothing to remove when the purchase was spent or has expired', async () => {
    const ctx = testContext(store);
    const spent = await bought(ctx, 10);
    await spend(spent, 10, NOW + 1);
    const a = await refundPurchase(
      ctx,
      { freelancerId: spent, purchaseId: 'p1', reason: 'chargeback' },
      LATER,
    );
    expect(a.ok && a.value.refund?.clawedBackConnects).toBe(0);
    const expired = await bought(ctx, 10);
    const afterExpiry = addCalendarYears(NOW, 1) + 1;
    const b = await refundPurchase(
      ctx,
      { freelancerId: expired, purchaseId: 'p1', reason: 'late' },
      afterExpiry,
    );
    expect(b).toMatchObject({ ok: true, value: { status: 'refunded', refund: { clawedBackConnects: 0 } } });
  });

  it('keeps the purchase refunding when the money refund fails, and retries only the money', async () => {
    const ctx = testContext(store);
    const fl = await bought(ctx, 30);
    const realRefund = ctx.payments.refund.bind(ctx.payments);
    ctx.payments.refund = () => Promise.resolve({ status: 'failed', reason: 'provider timeout' });
    const failed = await refundPurchase(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' },
      LATER,
    );
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'payment_unavailable', details: { status: 'refunding' } },
    });
    expect(await store.balance(fl, LATER)).toMatchObject({ balance: 0 });
    ctx.payments.refund = realRefund;
    const retried = await refundPurchase(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' },
      LATER + 1,
    );
    expect(retried).toMatchObject({
      ok: true,
      value: { status: 'refunded', refund: { clawedBackConnects: 30 } },
    });
    const page = await store.entries(fl, { types: ['adjustment'] });
    expect(page.ok && page.value.entries).toHaveLength(1);
  });

  it('removes the Connects once when two refunds of the same purchase race', async () => {
    const ctx = testContext(store);
    const fl = await bought(ctx, 30);
    const input = { freelancerId: fl, purchaseId: 'p1', reason: 'chargeback' };
    const results = await Promise.all([refundPurchase(ctx, input, LATER), refundPurchase(ctx, input, LATER)]);
    expect(results.some((r) => r.ok)).toBe(true);
    for (const r of results) expect(['ok', 'purchase_already_refunded']).toContain(code(r));
    const page = await store.entries(fl, { types: ['adjustment'] });
    expect(page.ok && page.value.entries).toHaveLength(1);
    expect(await store.balance(fl, LATER)).toMatchObject({ balance: 0 });
  });

  it('refuses unknown and declined purchases and a missing reason', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    await buyConnects(
      ctx,
      { freelancerId: fl, purchaseId: 'd', connects: 10, card: testCards.declined },
      NOW,
    );
    const results = await Promise.all([
      refundPurchase(ctx, { freelancerId: fl, purchaseId: 'nope', reason: 'x' }, LATER),
      refundPurchase(ctx, { freelancerId: fl, purchaseId: 'd', reason: 'x' }, LATER),
      refundPurchase(ctx, { freelancerId: fl, purchaseId: 'd', reason: '  ' }, LATER),
    ]);
    expect(results.map(code)).toEqual(['purchase_not_found', 'purchase_not_found', 'validation_failed']);
  });
});
