import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { addFreelancer, testContext } from '../purchases/test-kit.ts';
import { createPromoCode } from './create-promo-code.ts';
import { redeemPromoCode } from './redeem-promo-code.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
let runs = 0;

/**
 * Random redemption scripts: a few codes with small maxima, a few freelancers,
 * attempts sent in random concurrent waves. Whatever the interleaving: no code
 * exceeds its maximum, no freelancer redeems a code twice, a refusal is only
 * ever "exhausted" or "already redeemed" and is true when given, and the
 * counter, the redemption rows and the ledger's lots agree.
 */
const scenario = fc.record({
  maxima: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
  freelancers: fc.integer({ min: 1, max: 5 }),
  waves: fc.array(fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), {
    minLength: 1,
    maxLength: 5,
  }),
});

describe.each(testEngines)('promo redemptions (property) on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(() => opened.cleanup());

  it('never exceeds a code’s maximum and redeems each code at most once per freelancer', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ maxima, freelancers, waves }) => {
        const ctx = testContext(store);
        runs += 1;
        const codes = maxima.map((_, i) => `PROP_${process.pid}_${runs}_${i}`);
        for (const [i, max] of maxima.entries()) {
          const input = {
            code: codes[i] ?? '',
            connects: 5,
            validFrom: '2026-03-01',
            validUntil: '2026-04-01',
          };
          expect((await createPromoCode(ctx, { ...input, maxRedemptions: max }, NOW)).ok).toBe(true);
        }
        const people = await Promise.all(Array.from({ length: freelancers }, () => addFreelancer(store)));
        const outcomes = new Map<string, string[]>();
        for (const wave of waves) {
          const attempts = wave.map(
            ([f, c]) => [people[f % people.length] ?? '', codes[c % codes.length] ?? ''] as const,
          );
          const results = await Promise.all(
            attempts.map(([freelancerId, code]) => redeemPromoCode(ctx, { freelancerId, code }, NOW)),
          );
          results.forEach((result, i) => {
            const key = attempts[i]?.join(' ') ?? '';
            outcomes.set(key, [...(outcomes.get(key) ?? []), result.ok ? 'ok' : result.error.code]);
          });
        }
        for (const [i, code] of codes.entries()) {
          const tried = [...outcomes.entries()].filter(([key]) => key.endsWith(` ${code}`));
          const successes = tried.filter(([, list]) => list.includes('ok')).length;
          expect(successes).toBe(Math.min(maxima[i] ?? 0, tried.length));
          for (const [, list] of tried) {
            expect(list.filter((c) => c === 'ok').length).toBeLessThanOrEqual(1);
            expect(
              list.every((c) => ['ok', 'promo_code_exhausted', 'promo_code_already_redeemed'].includes(c)),
            ).toBe(true);
            if (list.includes('promo_code_already_redeemed')) expect(list).toContain('ok');
          }
          const counter = await store.query<{ redeemed: number }>(
            'SELECT redeemed FROM promo_codes WHERE code = $1',
            [code],
          );
          const rows = await store.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM promo_redemptions WHERE code = $1',
            [code],
          );
          const lots = await store.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM lots WHERE ref = $1',
            [`promo:${code}`],
          );
          expect([counter.rows[0]?.redeemed, rows.rows[0]?.n, lots.rows[0]?.n]).toEqual([
            successes,
            successes,
            successes,
          ]);
        }
      }),
      { numRuns: 20 },
    );
  });
});
