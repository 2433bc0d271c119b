import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { testCards } from '../payments/test-provider.ts';
import { buyConnects } from './buy-connects.ts';
import { listPurchases } from './list-purchases.ts';
import { addFreelancer, testContext } from './test-kit.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
const MINUTE = 60_000;

describe.each(testEngines)('list purchases on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(() => opened.cleanup());

  it('lists purchases and declined attempts newest first, page by page', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    for (let i = 0; i < 5; i += 1) {
      const card = i === 2 ? testCards.declined : testCards.succeeds;
      await buyConnects(
        ctx,
        { freelancerId: fl, purchaseId: `p${i}`, connects: 10 + i, card },
        NOW + i * MINUTE,
      );
    }
    const first = await listPurchases(ctx, { freelancerId: fl, limit: 2 }, NOW);
    expect(first.ok && first.value.purchases.map((p) => p.purchaseId)).toEqual(['p4', 'p3']);
    const cursor = first.ok ? first.value.nextCursor : null;
    expect(cursor).not.toBeNull();
    const second = await listPurchases(ctx, { freelancerId: fl, limit: 2, cursor: cursor ?? '' }, NOW);
    expect(second.ok && second.value.purchases.map((p) => [p.purchaseId, p.status])).toEqual([
      ['p2', 'declined'],
      ['p1', 'succeeded'],
    ]);
    const third = await listPurchases(
      ctx,
      { freelancerId: fl, limit: 2, cursor: (second.ok && second.value.nextCursor) || '' },
      NOW,
    );
    expect(third.ok && third.value).toMatchObject({ purchases: [{ purchaseId: 'p0' }], nextCursor: null });
    const declined = await listPurchases(ctx, { freelancerId: fl, status: 'declined' }, NOW);
    expect(declined.ok && declined.value.purchases).toMatchObject([
      { purchaseId: 'p2', declineReason: 'card declined' },
    ]);
  });

  it('shows only the freelancer’s own purchases', async () => {
    const ctx = testContext(store);
    const a = await addFreelancer(store);
    const b = await addFreelancer(store);
    await buyConnects(
      ctx,
      { freelancerId: a, purchaseId: 'same', connects: 10, card: testCards.succeeds },
      NOW,
    );
    await buyConnects(
      ctx,
      { freelancerId: b, purchaseId: 'same', connects: 20, card: testCards.succeeds },
      NOW,
    );
    const listed = await listPurchases(ctx, { freelancerId: b }, NOW);
    expect(listed.ok && listed.value.purchases.map((p) => [p.freelancerId, p.connects])).toEqual([[b, 20]]);
    // Same purchase id, two freelancers: two separate charges.
    expect(ctx.payments.chargeIds.size).toBe(2);
  });

  it('refuses an unknown freelancer, a forged cursor and an oversized page', async () => {
    const ctx = testContext(store);
    const fl = await addFreelancer(store);
    const codes = await Promise.all([
      listPurchases(ctx, { freelancerId: 'nobody' }, NOW),
      listPurchases(ctx, { freelancerId: fl, cursor: 'bm90IGEgY3Vyc29y' }, NOW),
      listPurchases(ctx, { freelancerId: fl, limit: 101 }, NOW),
    ]);
    expect(codes.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'freelancer_not_found',
      'validation_failed',
      'validation_failed',
    ]);
  });
});
