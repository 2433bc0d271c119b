import { describe, expect, it } from 'vitest';
import { defaultPolicy } from './eras.ts';
import { connectsRequired } from './rate-card.ts';

describe('connectsRequired', () => {
  it('prices fixed-price jobs by budget at every tier boundary', () => {
    const byBudget = (budgetCents: number): number => connectsRequired({ budgetCents }, defaultPolicy);
    expect(byBudget(0)).toBe(2);
    expect(byBudget(4_999)).toBe(2);
    expect(byBudget(5_000)).toBe(4);
    expect(byBudget(49_999)).toBe(4);
    expect(byBudget(50_000)).toBe(6);
    expect(byBudget(99_999)).toBe(6);
    expect(byBudget(100_000)).toBe(8);
    expect(byBudget(10_000_000)).toBe(8);
  });

  it('charges the hourly price for hourly jobs, whatever the budget', () => {
    expect(connectsRequired({ hourly: true }, defaultPolicy)).toBe(8);
    expect(connectsRequired({ hourly: true, budgetCents: 1_000 }, defaultPolicy)).toBe(8);
  });

  it('lets an explicit price win, including 0', () => {
    expect(connectsRequired({ connectsRequired: 0, budgetCents: 200_000 }, defaultPolicy)).toBe(0);
    expect(connectsRequired({ connectsRequired: 12, hourly: true }, defaultPolicy)).toBe(12);
    expect(connectsRequired({ connectsRequired: null, budgetCents: 100 }, defaultPolicy)).toBe(2);
  });

  it('charges the highest tier when there is no budget', () => {
    expect(connectsRequired({}, defaultPolicy)).toBe(8);
    expect(connectsRequired({ budgetCents: null }, defaultPolicy)).toBe(8);
  });

  it('makes enterprise jobs free', () => {
    expect(
      connectsRequired({ enterprise: true, budgetCents: 200_000, connectsRequired: 5 }, defaultPolicy),
    ).toBe(0);
  });

  it('follows the policy, not constants', () => {
    const policy = {
      ...defaultPolicy,
      rateCard: {
        tiers: [
          { belowBudgetCents: 1_000, connects: 1 },
          { belowBudgetCents: null, connects: 3 },
        ],
        hourly: 5,
      },
    };
    expect(connectsRequired({ budgetCents: 999 }, policy)).toBe(1);
    expect(connectsRequired({ budgetCents: 1_000 }, policy)).toBe(3);
    expect(connectsRequired({ hourly: true }, policy)).toBe(5);
  });

  it('treats a negative or fractional budget as a programmer error', () => {
    expect(() => connectsRequired({ budgetCents: -1 }, defaultPolicy)).toThrow(/assertion/);
    expect(() => connectsRequired({ budgetCents: 10.5 }, defaultPolicy)).toThrow(/assertion/);
  });
});
