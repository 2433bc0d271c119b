import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { addFreelancer, testContext, type TestContext } from '../purchases/test-kit.ts';
import { createPromoCode } from './create-promo-code.ts';
import { listPromoCodes } from './list-promo-codes.ts';
import { redeemPromoCode } from './redeem-promo-code.ts';

const NOW = Date.UTC(2026, 2, 10, 12);

describe.each(testEngines)('listPromoCodes on $name', (engine) => {
  let opened: OpenedEngine;
  let ctx: TestContext;
  beforeAll(async () => {
    opened = await engine.open();
    ctx = testContext(opened.store);
    const window = { validFrom: '2026-03-01', validUntil: '2026-04-01' };
    const codes = [
      { code: 'LP-OPEN', connects: 10, maxRedemptions: 5, ...window },
      { code: 'LP-FULL', connects: 10, maxRedemptions: 1, ...window },
      {
        code: 'LP-LATER',
        connects: 10,
        maxRedemptions: 5,
        validFrom: '2026-05-01',
        validUntil: '2026-06-01',
      },
      { code: 'LP-PAST', connects: 10, maxRedemptions: 5, validFrom: '2026-01-01', validUntil: '2026-02-01' },
    ];
    for (const c of codes) {
      const r = await createPromoCode(ctx, c, NOW);
      if (!r.ok) throw new Error(r.error.message);
    }
    const freelancerId = await addFreelancer(opened.store);
    for (const code of ['LP-OPEN', 'LP-FULL']) {
      const r = await redeemPromoCode(ctx, { freelancerId, code }, NOW);
      if (!r.ok) throw new Error(r.error.message);
    }
  });
  afterAll(() => opened.cleanup());

  it('lists every code by code with its redemption count, a page at a time', async () => {
    const first = await listPromoCodes(ctx, { limit: 3 }, NOW);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.codes.map((c) => [c.code, c.redeemed])).toEqual([
      ['LP-FULL', 1],
      ['LP-LATER', 0],
      ['LP-OPEN', 1],
    ]);
    expect(first.value.codes[2]).toMatchObject({
      connects: 10,
      maxRedemptions: 5,
      validFrom: Date.UTC(2026, 2, 1),
    });
    const cursor = first.value.nextCursor;
    expect(cursor).toBe('LP-OPEN');
    const rest = await listPromoCodes(ctx, { limit: 3, cursor: cursor ?? '' }, NOW);
    if (!rest.ok) throw new Error(rest.error.message);
    expect(rest.value).toMatchObject({ codes: [{ code: 'LP-PAST' }], nextCursor: null });
  });

  it('active: only codes redeemable now (in their window, redemptions left)', async () => {
    const active = await listPromoCodes(ctx, { status: 'active' }, NOW);
    if (!active.ok) throw new Error(active.error.message);
    expect(active.value.codes.map((c) => c.code)).toEqual(['LP-OPEN']);
  });

  it('refuses a cursor it did not issue and an out-of-range limit', async () => {
    for (const input of [{ cursor: 'x y' }, { limit: 0 }, { limit: 101 }]) {
      const r = await listPromoCodes(ctx, input, NOW);
      expect(r.ok ? 'ok' : r.error.code).toBe('validation_failed');
    }
  });
});
