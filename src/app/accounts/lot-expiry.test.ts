import { describe, expect, it } from 'vitest';
import { lotExpiresAt } from './lot-expiry.ts';

const T = Date.UTC(2024, 1, 29, 10);
const DAY = 86_400_000;

describe('lot expiry for purchased, promo, reward and fresh refund lots', () => {
  it('follows the lifetime kinds', () => {
    const fl = Date.UTC(2024, 0, 15); // registered
    expect(lotExpiresAt({ kind: 'calendar_years', years: 1 }, T, fl)).toBe(Date.UTC(2025, 1, 28, 10));
    expect(lotExpiresAt({ kind: 'days', days: 30 }, T, fl)).toBe(T + 30 * DAY);
    // Registered on the 15th: the cycle containing Feb 29 ends on Mar 15.
    expect(lotExpiresAt({ kind: 'end_of_cycle' }, T, fl)).toBe(Date.UTC(2024, 2, 15));
  });

  it('treats a cycle-bound lifetime without a registration instant as a setup bug', () => {
    expect(() => lotExpiresAt({ kind: 'end_of_cycle' }, T)).toThrow(/registration/);
  });
});
