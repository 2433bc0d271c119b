import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarYears } from '../../core/calendar.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { testCards } from '../payments/test-provider.ts';
import { buyConnects } from './buy-connects.ts';
import { addFreelancer, testContext } from './test-kit.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
const LEGACY = Date.UTC(2018, 5, 1);
const card = testCards.succeeds;
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

describe.each(testEngines)('buy Connects on $name', (engine) => {
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

  it('charges connects * unit price, then creates a paid purchase lot with the policy lifetime', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const bought = await buyConnects(ctx, { freelancerId: fl, purchaseId: 'p1', connects: 25, card }, NOW);
    expect(bought).toMatchObject({
      ok: true,
      value: {
        freelancerId: fl,
        purchaseId: 'p1',
        status: 'succeeded',
        policyId: 'era-2023',
        connects: 25,
        unitPriceCents: 15,
        priceCents: 375,
        taxCents: 0,
        totalCents: 375,
        cardLast4: '4242',
        lotNo: 1,
        expiresAt: addCalendarYears(NOW, 1),
        createdAt: NOW,
        refund: null,
      },
    });
    expect(await store.lots(fl)).toMatchObject([
      { lotNo: 1, source: 'purchase', category: 'paid', amount: 25, remaining: 25, ref: 'purchase:p1' },
    ]);
    expect(await store.balance(fl, NOW)).toMatchObject({ balance: 25 });
    expect(ctx.payments.chargeIds.size).toBe(1);
  });

  it('returns the stored result on a retry and charges once', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const input = { freelancerId: fl, purchaseId: 'p1', connects: 40, card };
    const first = await buyConnects(ctx, input, NOW);
    const again = await buyConnects(ctx, input, NOW + 60_000);
    expect(first.ok && !first.value.replayed).toBe(true);
    expect(again.ok && again.value.replayed).toBe(true);
    expect(again.ok && first.ok && { ...again.value, replayed: false }).toEqual(first.ok && first.value);
    expect(ctx.payments.chargeCalls).toBe(1);
    expect(await store.lots(fl)).toHaveLength(1);
  });

  it('charges once and grants once when the same purchase arrives twice at the same moment', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const input = { freelancerId: fl, purchaseId: 'twin', connects: 20, card };
    const [a, b] = await Promise.all([buyConnects(ctx, input, NOW), buyConnects(ctx, input, NOW + 1)]);
    expect(a.ok && b.ok).toBe(true);
    expect(a.ok && b.ok && a.value.lotNo === b.value.lotNo).toBe(true);
    // One stored it; the other found it stored and says so (the API answers it 200, replayed).
    expect(a.ok && b.ok && [a.value.replayed, b.value.replayed].sort()).toEqual([false, true]);
    expect(ctx.payments.chargeIds.size).toBe(1);
    expect(await store.lots(fl)).toHaveLength(1);
    expect(await store.balance(fl, NOW + 2)).toMatchObject({ balance: 20 });
  });

  it('refuses the same purchase id with other Connects or another card', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    await buyConnects(ctx, { freelancerId: fl, purchaseId: 'p1', connects: 20, card }, NOW);
    const more = await buyConnects(ctx, { freelancerId: fl, purchaseId: 'p1', connects: 30, card }, NOW);
    const otherCard = await buyConnects(
      ctx,
      { freelancerId: fl, purchaseId: 'p1', connects: 20, card: '5555555555554444' },
      NOW,
    );
    expect([code(more), code(otherCard)]).toEqual(['idempotency_conflict', 'idempotency_conflict']);
    expect(ctx.payments.chargeCalls).toBe(1);
    expect(await store.balance(fl, NOW)).toMatchObject({ balance: 20 });
  });

  it('grants nothing for a declined card, says why, and answers a retry the same way', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const input = { freelancerId: fl, purchaseId: 'd1', connects: 20, card: testCards.declined };
    const declined = await buyConnects(ctx, input, NOW);
    expect(declined).toMatchObject({
      ok: false,
      error: { code: 'payment_declined', details: { purchaseId: 'd1', reason: 'card declined' } },
    });
    expect(await buyConnects(ctx, input, NOW + 1)).toEqual(declined);
    expect(ctx.payments.chargeCalls).toBe(1);
    expect(await store.lots(fl)).toEqual([]);
    const rows = await store.query(
      'SELECT status, decline_reason, lot_no FROM purchases WHERE freelancer_id = $1',
      [fl],
    );
    expect(rows.rows).toEqual([{ status: 'declined', decline_reason: 'card declined', lot_no: null }]);
  });

  it('grants and stores nothing on a transient failure, so the retry can succeed', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const input = { freelancerId: fl, purchaseId: 't1', connects: 20, card: testCards.transientFailure };
    expect(code(await buyConnects(ctx, input, NOW))).toBe('payment_unavailable');
    expect(await store.lots(fl)).toEqual([]);
    expect((await store.query('SELECT 1 FROM purchases WHERE freelancer_id = $1', [fl])).rows).toEqual([]);
    const retried = await buyConnects(ctx, { ...input, card }, NOW + 1);
    expect(retried.ok && retried.value.lotNo).toBe(1);
  });

  it('treats a payment adapter that throws as a transient failure', async () => {
    const ctx = testContext(store);
    ctx.payments.charge = () => Promise.reject(new Error('socket hang up'));
    const fl = await addFreelancer(store);
    const result = await buyConnects(ctx, { freelancerId: fl, purchaseId: 'x', connects: 20, card }, NOW);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'payment_unavailable', details: { reason: 'socket hang up' } },
    });
  });

  it('refuses amounts outside the policy range or not whole, before charging', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    for (const connects of [9, 1001, 10.5, 0]) {
      const r = await buyConnects(ctx, { freelancerId: fl, purchaseId: `r${connects}`, connects, card }, NOW);
      expect(code(r)).toBe('purchase_out_of_range');
    }
    expect(ctx.payments.chargeCalls).toBe(0);
  });

  it('refuses an unknown freelancer and malformed input', async () => {
    const ctx = testContext(store);
    const unknown = await buyConnects(
      ctx,
      { freelancerId: 'nobody', purchaseId: 'p', connects: 20, card },
      NOW,
    );
    expect(code(unknown)).toBe('freelancer_not_found');
    const fl = await addFreelancer(store);
    const bad = [
      { freelancerId: fl, purchaseId: 'has space', connects: 20, card },
      { freelancerId: fl, purchaseId: 'p', connects: 20, card: '42' },
      { freelancerId: fl, purchaseId: 'p', connects: 20, card, jurisdiction: 'Germany' },
      { freelancerId: fl, purchaseId: 'p', connects: 20, card, coupon: 'x' },
    ];
    for (const input of bad)
      expect(code(await buyConnects(ctx, input as never, NOW))).toBe('validation_failed');
    expect(ctx.payments.chargeCalls).toBe(0);
  });

  it('lets only Plus members buy under the legacy era, at its price', async () => {
    const ctx = testContext(store);
    const basic = await addFreelancer(store, 'basic');
    const plus = await addFreelancer(store, 'plus');
    const refused = await buyConnects(
      ctx,
      { freelancerId: basic, purchaseId: 'l1', connects: 10, card },
      LEGACY,
    );
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'purchase_not_allowed', details: { plan: 'basic' } },
    });
    const bought = await buyConnects(
      ctx,
      { freelancerId: plus, purchaseId: 'l1', connects: 5, card },
      LEGACY,
    );
    expect(bought).toMatchObject({ ok: true, value: { policyId: 'era-legacy', totalCents: 500 } });
  });

  it('adds tax by jurisdiction on top of the price and records it separately', async () => {
    const ctx = testContext(store, { taxRates: { rates: { DE: 1900, 'US-CA': 725 } } });
    const fl = await addFreelancer(store);
    const de = await buyConnects(
      ctx,
      { freelancerId: fl, purchaseId: 'de', connects: 25, card, jurisdiction: 'de' },
      NOW,
    );
    expect(de).toMatchObject({
      ok: true,
      value: {
        priceCents: 375,
        taxJurisdiction: 'DE',
        taxRateBp: 1900,
        taxCents: 71,
        totalCents: 446,
        connects: 25,
      },
    });
    const fr = await buyConnects(
      ctx,
      { freelancerId: fl, purchaseId: 'fr', connects: 10, card, jurisdiction: 'FR' },
      NOW,
    );
    expect(fr).toMatchObject({
      ok: true,
      value: { taxJurisdiction: 'FR', taxRateBp: 0, taxCents: 0, totalCents: 150 },
    });
    expect(await store.balance(fl, NOW)).toMatchObject({ balance: 35 });
  });
});
