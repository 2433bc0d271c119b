import { describe, expect, it } from 'vitest';
import { defaultPolicy } from './eras.ts';
import { parsePolicy } from './schema.ts';

/** A mutable deep copy of the default policy to break in one place. */
const copy = (): Record<string, any> => structuredClone(defaultPolicy) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = parsePolicy(input);
  if (result.ok) return [];
  expect(result.error.code).toBe('validation_failed');
  return result.error.details?.issues as { path: string; message: string }[];
}

describe('parsePolicy', () => {
  it('accepts the default policy and returns an equal value', () => {
    const result = parsePolicy(copy());
    expect(result).toEqual({ ok: true, value: defaultPolicy });
  });

  it('refuses unknown fields at any depth', () => {
    const top = copy();
    top.bonus = 1;
    expect(issuesOf(top)[0]?.message).toMatch(/bonus/);
    const nested = copy();
    nested.plans.plus.discount = 5;
    expect(issuesOf(nested)[0]?.path).toBe('plans.plus');
  });

  it('refuses fractional, negative and missing numbers with their paths', () => {
    const p = copy();
    p.grants.signup = 1.5;
    p.plans.basic.allotment = -1;
    delete p.purchase.unitPriceCents;
    const paths = issuesOf(p).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['grants.signup', 'plans.basic.allotment', 'purchase.unitPriceCents']),
    );
  });

  it('requires a UTC date-time for effectiveFrom', () => {
    for (const bad of ['2023-01-18', '2023-01-18T00:00:00+01:00', 'yesterday']) {
      const p = copy();
      p.effectiveFrom = bad;
      expect(issuesOf(p)[0]?.path).toBe('effectiveFrom');
    }
  });

  it('accepts each lot lifetime kind and refuses others', () => {
    for (const lifetime of [{ kind: 'days', days: 30 }, { kind: 'end_of_cycle' }]) {
      const p = copy();
      p.lotLifetime = lifetime;
      expect(parsePolicy(p).ok).toBe(true);
    }
    const p = copy();
    p.lotLifetime = { kind: 'forever' };
    expect(issuesOf(p)[0]?.path).toBe('lotLifetime.kind');
  });

  it('checks purchase limits and bundles', () => {
    const p = copy();
    p.purchase.minConnects = 2000;
    p.purchase.bundles = [10, 10, 5000];
    const paths = issuesOf(p).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['purchase.minConnects', 'purchase.bundles.2', 'purchase.bundles']),
    );
  });

  it('checks that rate tiers ascend and only the last is open-ended', () => {
    const descending = copy();
    descending.rateCard.tiers[1].belowBudgetCents = 1000;
    expect(issuesOf(descending).map((i) => i.message)).toContain('tiers must be strictly ascending');
    const closed = copy();
    closed.rateCard.tiers[3].belowBudgetCents = 200_000;
    expect(issuesOf(closed).map((i) => i.path)).toContain('rateCard.tiers.3.belowBudgetCents');
    const early = copy();
    early.rateCard.tiers[0].belowBudgetCents = null;
    expect(issuesOf(early).map((i) => i.message)).toContain('only the last tier may be open-ended (null)');
  });

  it('supports only the soonest-expiry consumption order', () => {
    const p = copy();
    p.consumptionOrder = 'fifo';
    expect(issuesOf(p)[0]?.path).toBe('consumptionOrder');
  });

  it('refuses non-objects with a readable message', () => {
    const result = parsePolicy(null);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^Invalid policy: \(policy\): /);
  });
});
