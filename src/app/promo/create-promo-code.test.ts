import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../store/store.ts';
import { testEngines, type OpenedEngine } from '../../store/testing/test-engines.ts';
import { testContext } from '../purchases/test-kit.ts';
import { createPromoCode, type CreatePromoCodeInput } from './create-promo-code.ts';

const NOW = Date.UTC(2026, 2, 10, 12);
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);

const spring: CreatePromoCodeInput = {
  code: 'spring-2026',
  connects: 20,
  validFrom: '2026-03-01T00:00:00Z',
  validUntil: '2026-04-01',
  maxRedemptions: 100,
};

describe.each(testEngines)('create a promo code on $name', (engine) => {
  let opened: OpenedEngine;
  let store: LedgerStore;
  beforeAll(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterAll(() => opened.cleanup());

  it('stores the code upper-case with its window, limit and lifetime', async () => {
    const created = await createPromoCode(testContext(store), { ...spring, lotLifetimeDays: 30 }, NOW);
    expect(created).toEqual({
      ok: true,
      value: {
        code: 'SPRING-2026',
        connects: 20,
        validFrom: Date.UTC(2026, 2, 1),
        validUntil: Date.UTC(2026, 3, 1),
        maxRedemptions: 100,
        lotLifetimeDays: 30,
        createdAt: NOW,
      },
    });
  });

  it('returns the original for the same details and refuses other details', async () => {
    const ctx = testContext(store);
    const first = await createPromoCode(ctx, { ...spring, code: 'SAME_1' }, NOW);
    const again = await createPromoCode(ctx, { ...spring, code: 'same_1' }, NOW + 5_000);
    expect(again).toEqual(first);
    const changes: Partial<CreatePromoCodeInput>[] = [
      { connects: 21 },
      { maxRedemptions: 99 },
      { validUntil: '2026-04-02' },
      { lotLifetimeDays: 7 },
    ];
    for (const change of changes) {
      const other = await createPromoCode(ctx, { ...spring, code: 'SAME_1', ...change }, NOW);
      expect(other).toMatchObject({
        ok: false,
        error: { code: 'promo_code_exists', details: { code: 'SAME_1' } },
      });
    }
  });

  it('creates a code once when two operators create it at the same moment', async () => {
    const ctx = testContext(store);
    const [a, b] = await Promise.all([
      createPromoCode(ctx, { ...spring, code: 'RACE' }, NOW),
      createPromoCode(ctx, { ...spring, code: 'RACE', connects: 5 }, NOW),
    ]);
    expect([code(a), code(b)].sort()).toEqual(['ok', 'promo_code_exists']);
  });

  it('refuses malformed codes, an empty window and out-of-range numbers', async () => {
    const ctx = testContext(store);
    const bad: CreatePromoCodeInput[] = [
      { ...spring, code: 'AB' },
      { ...spring, code: 'X'.repeat(41) },
      { ...spring, code: 'NO SPACES' },
      { ...spring, code: 'ÜBER' },
      { ...spring, validUntil: spring.validFrom },
      { ...spring, validFrom: 'yesterday' },
      { ...spring, connects: 0 },
      { ...spring, connects: 2.5 },
      { ...spring, maxRedemptions: 0 },
      { ...spring, lotLifetimeDays: 0 },
    ];
    for (const input of bad) expect(code(await createPromoCode(ctx, input, NOW))).toBe('validation_failed');
  });
});
