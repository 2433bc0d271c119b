import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  WEEK_MS,
  changeBadgePrice,
  chargeDueAt,
  chargesDue,
  dueCount,
  nextChargeAt,
  recordCharges,
  shouldSwitchOff,
  switchOnBadge,
} from './availability-badge.ts';
import { MS_PER_DAY, MS_PER_HOUR } from './time.ts';

const T0 = Date.UTC(2025, 2, 3, 15, 30, 0);

describe('badge charging schedule', () => {
  it('charges 1 Connect every 7 days at p = 1, in arrears', () => {
    const s = switchOnBadge(T0, 1);
    expect(chargesDue(s, T0 + 7 * MS_PER_DAY - 1, 10)).toEqual([]);
    expect(chargesDue(s, T0 + 7 * MS_PER_DAY, 10)).toEqual([T0 + 7 * MS_PER_DAY]);
    expect(chargesDue(s, T0 + 15 * MS_PER_DAY, 10)).toEqual([T0 + 7 * MS_PER_DAY, T0 + 14 * MS_PER_DAY]);
    expect(nextChargeAt(s)).toBe(T0 + 7 * MS_PER_DAY);
  });

  it('charges daily at p = 7 and skips what was already charged', () => {
    const s = recordCharges(switchOnBadge(T0, 7), 2);
    expect(chargesDue(s, T0 + 4 * MS_PER_DAY, 10)).toEqual([T0 + 3 * MS_PER_DAY, T0 + 4 * MS_PER_DAY]);
    expect(nextChargeAt(s)).toBe(T0 + 3 * MS_PER_DAY);
  });

  it('spreads p = 3 every 56 hours, exactly 3 a week', () => {
    const due = chargesDue(switchOnBadge(T0, 3), T0 + WEEK_MS, 10);
    expect(due).toEqual([T0 + 56 * MS_PER_HOUR, T0 + 112 * MS_PER_HOUR, T0 + WEEK_MS]);
  });

  it('spreads a price that does not divide a week with gaps 1 ms apart at most, p per week', () => {
    const due = chargesDue(switchOnBadge(T0, 11), T0 + WEEK_MS, 20);
    expect(due).toHaveLength(11);
    expect(due.at(-1)).toBe(T0 + WEEK_MS);
    const gaps = new Set(due.map((t, i) => t - (due[i - 1] ?? T0)));
    expect([...gaps].sort((x, y) => x - y)).toEqual([Math.floor(WEEK_MS / 11), Math.ceil(WEEK_MS / 11)]);
  });

  it('never charges a free badge', () => {
    const s = switchOnBadge(T0, 0);
    expect(chargesDue(s, T0 + 100 * WEEK_MS, 10)).toEqual([]);
    expect(nextChargeAt(s)).toBeNull();
  });

  it('returns at most `limit` due charges, oldest first', () => {
    const s = switchOnBadge(T0, 7);
    expect(chargesDue(s, T0 + 30 * MS_PER_DAY, 3)).toEqual([1, 2, 3].map((d) => T0 + d * MS_PER_DAY));
    expect(dueCount(T0, 7, T0 + 30 * MS_PER_DAY)).toBe(30);
  });

  it('restarts the schedule at a price change; due Connects must be charged first', () => {
    let s = switchOnBadge(T0, 1);
    const change = T0 + 10 * MS_PER_DAY;
    expect(() => changeBadgePrice(s, change, 2)).toThrow(/assertion/);
    s = recordCharges(s, chargesDue(s, change, 10).length);
    s = changeBadgePrice(s, change, 2);
    expect(s).toEqual({ since: change, weeklyPriceConnects: 2, charged: 0 });
    expect(nextChargeAt(s)).toBe(change + 84 * MS_PER_HOUR);
  });
});

describe('switching the badge off', () => {
  it('reports the price above the maximum first, then an empty balance', () => {
    expect(shouldSwitchOff({ weeklyPriceConnects: 5, weeklyMaxConnects: 4, available: 100 })).toBe(
      'price_above_max',
    );
    expect(shouldSwitchOff({ weeklyPriceConnects: 5, weeklyMaxConnects: 4, available: 0 })).toBe(
      'price_above_max',
    );
    expect(shouldSwitchOff({ weeklyPriceConnects: 4, weeklyMaxConnects: 4, available: 0 })).toBe(
      'insufficient_connects',
    );
    expect(shouldSwitchOff({ weeklyPriceConnects: 4, weeklyMaxConnects: 4, available: 1 })).toBeNull();
    expect(shouldSwitchOff({ weeklyPriceConnects: 0, weeklyMaxConnects: 0, available: 0 })).toBeNull();
  });
});

describe('badge schedule properties', () => {
  const priceArb = fc.integer({ min: 1, max: 500 });
  const offsetArb = fc.integer({ min: 0, max: 200 * WEEK_MS });

  it('has exactly p charges due in every whole week after switch-on, however aligned', () => {
    fc.assert(
      fc.property(priceArb, offsetArb, (p, offset) => {
        const start = T0 + offset;
        expect(dueCount(T0, p, start + WEEK_MS) - dueCount(T0, p, start)).toBe(p);
        // The instant form agrees with the count form on (start, start + week].
        const charged = recordCharges(switchOnBadge(T0, p), dueCount(T0, p, start));
        const inWeek = chargesDue(charged, start + WEEK_MS, 1000);
        expect(inWeek.every((t) => t > start && t <= start + WEEK_MS)).toBe(true);
        expect(inWeek).toHaveLength(p);
      }),
      { numRuns: 200 },
    );
  });

  it('lists due instants strictly increasing, evenly spaced, and never after now', () => {
    fc.assert(
      fc.property(priceArb, fc.integer({ min: 0, max: 3 * WEEK_MS }), (p, elapsed) => {
        const now = T0 + elapsed;
        const due = chargesDue(switchOnBadge(T0, p), now, 10_000);
        expect(due).toHaveLength(dueCount(T0, p, now));
        due.forEach((t, i) => {
          expect(t).toBe(chargeDueAt(T0, p, i + 1));
          expect(t).toBeLessThanOrEqual(now);
          const gap = t - (due[i - 1] ?? T0);
          expect(gap === Math.floor(WEEK_MS / p) || gap === Math.ceil(WEEK_MS / p)).toBe(true);
        });
        expect(chargeDueAt(T0, p, due.length + 1)).toBeGreaterThan(now);
      }),
      { numRuns: 200 },
    );
  });
});
