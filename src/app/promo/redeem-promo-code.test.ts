import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarYears } from '../../core/calendar.ts';
import { MS_PER_DAY } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';
import { checkInvariants } from '../../store/testing/check-invariants.ts';
import { freshAccount } from '../../store/testing/fixtures.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { addFreelancer, testContext, type TestContext } from '../purchases/test-kit.ts';
import { createPromoCode, type CreatePromoCodeInput } from './create-promo-code.ts';
import { redeemPromoCode } from './redeem-promo-code.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
const LEGACY = Date.UTC(2018, 5, 1);
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

/** A fresh code valid through March 2026 (unless changed). */
async function newCode(ctx: TestContext, change: Partial<CreatePromoCodeInput> = {}): Promise<string> {
  const name = freshAccount('P')
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 40);
  const created = await createPromoCode(
    ctx,
    {
      code: name,
      connects: 20,
      validFrom: '2026-03-01',
      validUntil: '2026-04-01',
      maxRedemptions: 10,
      ...change,
    },
    Date.UTC(2026, 1, 1),
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.value.code;
}

describe.each(testEngines)('redeem a promo code on $name', (engine) => {
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

  it('grants a free promo lot with the policy lifetime, whatever the case typed', async () => {
    const ctx = testContext(store);
    const promo = await newCode(ctx);
    const fl = await addFreelancer(store);
    const redeemed = await redeemPromoCode(ctx, { freelancerId: fl, code: ` ${promo.toLowerCase()} ` }, NOW);
    const expiresAt = addCalendarYears(NOW, 1);
    expect(redeemed).toEqual({
      ok: true,
      value: {
        code: promo,
        freelancerId: fl,
        connects: 20,
        credited: 20,
        lotNo: 1,
        expiresAt,
        redeemedAt: NOW,
      },
    });
    expect(await store.lots(fl)).toMatchObject([
      { lotNo: 1, source: 'promo', category: 'free', amount: 20, expiresAt, ref: `promo:${promo}` },
    ]);
  });

  it('uses the code’s own lot lifetime when it has one', async () => {
    const ctx = testContext(store);
    const promo = await newCode(ctx, { lotLifetimeDays: 14 });
    const fl = await addFreelancer(store);
    const redeemed = await redeemPromoCode(ctx, { freelancerId: fl, code: promo }, NOW);
    expect(redeemed.ok && redeemed.value.expiresAt).toBe(NOW + 14 * MS_PER_DAY);
  });

  it('answers each refusal with its own code and grants nothing', async () => {
    const ctx = testContext(store);
    const promo = await newCode(ctx, { maxRedemptions: 1 });
    const fl = await addFreelancer(store);
    const other = await addFreelancer(store);
    expect(code(await redeemPromoCode(ctx, { freelancerId: fl, code: 'NO_SUCH_CODE' }, NOW))).toBe(
      'promo_code_unknown',
    );
    expect(code(await redeemPromoCode(ctx, { freelancerId: fl, code: 'a b' }, NOW))).toBe(
      'promo_code_unknown',
    );
    const early = await redeemPromoCode(ctx, { freelancerId: fl, code: promo }, Date.UTC(2026, 2, 1) - 1);
    expect(early).toMatchObject({ ok: false, error: { code: 'promo_code_not_yet_valid' } });
    const late = await redeemPromoCode(ctx, { freelancerId: fl, code: promo }, Date.UTC(2026, 3, 1));
    expect(late).toMatchObject({ ok: false, error: { code: 'promo_code_expired' } });
    expect(await store.lots(fl)).toEqual([]);
    expect(code(await redeemPromoCode(ctx, { freelancerId: fl, code: promo }, NOW))).toBe('ok');
    const twice = await redeemPromoCode(ctx, { freelancerId: fl, code: promo }, NOW + 1);
    expect(twice).toMatchObject({
      ok: false,
      error: { code: 'promo_code_already_redeemed', details: { redemption: { lotNo: 1, redeemedAt: NOW } } },
    });
    expect(code(await redeemPromoCode(ctx, { freelancerId: other, code: promo }, NOW))).toBe(
      'promo_code_exhausted',
    );
    expect(code(await redeemPromoCode(ctx, { freelancerId: 'nobody', code: promo }, NOW))).toBe(
      'freelancer_not_found',
    );
    expect(code(await redeemPromoCode(ctx, { freelancerId: fl, code: promo, extra: 1 } as never, NOW))).toBe(
      'validation_failed',
    );
    expect(await store.lots(other)).toEqual([]);
    expect(await store.balance(fl, NOW + 2)).toMatchObject({ balance: 20 });
  });

  it('opens at validFrom exactly and closes at validUntil exactly', async () => {
    const ctx = testContext(store);
    const promo = await newCode(ctx);
    const [a, b] = [await addFreelancer(store), await addFreelancer(store)];
    expect(code(await redeemPromoCode(ctx, { freelancerId: a, code: promo }, Date.UTC(2026, 2, 1)))).toBe(
      'ok',
    );
    expect(code(await redeemPromoCode(ctx, { freelancerId: b, code: promo }, Date.UTC(2026, 3, 1) - 1))).toBe(
      'ok',
    );
  });

  it('forfeits what a holding cap does not allow, and records it', async () => {
    const ctx = testContext(store);
    const promo = await newCode(ctx, { validFrom: '2018-01-01', validUntil: '2019-01-01', connects: 30 });
    const fl = await addFreelancer(store, 'plus');
    // Renewed up to date: a write on an account with a capped renewal due would renew it first.
    await store.query('UPDATE freelancers SET next_cycle_at = $2 WHERE id = $1', [
      fl,
      LEGACY + 30 * MS_PER_DAY,
    ]);
    const allotment = { kind: 'grant', amount: 340, source: 'allotment', category: 'free' } as const;
    await store.execute({
      account: fl,
      op: { ...allotment, expiresAt: LEGACY + 30 * MS_PER_DAY },
      now: LEGACY,
    });
    const redeemed = await redeemPromoCode(ctx, { freelancerId: fl, code: promo }, LEGACY + 1);
    expect(redeemed).toMatchObject({ ok: true, value: { connects: 30, credited: 10 } });
    const page = await store.entries(fl, { types: ['forfeit'] });
    expect(page.ok && page.value.entries).toMatchObject([{ amount: 20, reason: 'holding_cap' }]);
  });

  it('lets exactly maxRedemptions of 50 concurrent freelancers redeem', async () => {
    const ctx = testContext(store);
    const promo = await newCode(ctx, { maxRedemptions: 10 });
    const freelancers = await Promise.all(Array.from({ length: 50 }, () => addFreelancer(store)));
    const results = await Promise.all(
      freelancers.map((fl) => redeemPromoCode(ctx, { freelancerId: fl, code: promo }, NOW)),
    );
    const codes = results.map(code);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(10);
    expect(codes.filter((c) => c === 'promo_code_exhausted')).toHaveLength(40);
    const counter = await store.query('SELECT redeemed FROM promo_codes WHERE code = $1', [promo]);
    expect(counter.rows).toEqual([{ redeemed: 10 }]);
    const lots = await store.query(
      "SELECT count(*)::int AS n FROM lots WHERE ref = $1 AND source = 'promo'",
      [`promo:${promo}`],
    );
    expect(lots.rows).toEqual([{ n: 10 }]);
  });

  it('redeems once when one freelancer redeems twice at the same moment', async () => {
    const ctx = testContext(store);
    const promo = await newCode(ctx);
    const fl = await addFreelancer(store);
    const results = await Promise.all([
      redeemPromoCode(ctx, { freelancerId: fl, code: promo }, NOW),
      redeemPromoCode(ctx, { freelancerId: fl, code: promo.toLowerCase() }, NOW),
    ]);
    expect(results.map(code).sort()).toEqual(['ok', 'promo_code_already_redeemed']);
    expect(await store.balance(fl, NOW)).toMatchObject({ balance: 20 });
    const counter = await store.query('SELECT redeemed FROM promo_codes WHERE code = $1', [promo]);
    expect(counter.rows).toEqual([{ redeemed: 1 }]);
  });
});
