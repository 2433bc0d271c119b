import { describe, expect, it } from 'vitest';
import { switchOnBadge, WEEK_MS } from '../../core/availability-badge.ts';
import { defaultTimeline } from '../../core/policy/timeline.ts';
import { DAY, T0 } from '../jobs/test-kit.ts';
import { planCatchUp } from './badge-catch-up.ts';
import { priceAt, priceChangesIn } from './badge-price.ts';

describe('planCatchUp', () => {
  it('lists the due Connects up to now, oldest first', () => {
    const plan = planCatchUp(switchOnBadge(T0, 7), 10, [], T0 + 3 * DAY, 100);
    expect(plan).toEqual({
      schedule: { since: T0, weeklyPriceConnects: 7, charged: 3 },
      dueAt: [T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY],
      priceAboveMaxAt: null,
      complete: true,
    });
  });

  it('charges under the old price up to a change, then restarts the schedule there', () => {
    const change = T0 + 2 * DAY + 12 * 3_600_000;
    const plan = planCatchUp(
      switchOnBadge(T0, 7),
      10,
      [{ at: change, weeklyPriceConnects: 1 }],
      T0 + 10 * DAY,
      100,
    );
    expect(plan.dueAt).toEqual([T0 + DAY, T0 + 2 * DAY, change + WEEK_MS]);
    expect(plan.schedule).toEqual({ since: change, weeklyPriceConnects: 1, charged: 1 });
  });

  it('stops at a price above the maximum, after charging what was due before it', () => {
    const plan = planCatchUp(
      switchOnBadge(T0, 7),
      10,
      [{ at: T0 + 2 * DAY, weeklyPriceConnects: 11 }],
      T0 + 9 * DAY,
      100,
    );
    expect(plan.dueAt).toEqual([T0 + DAY, T0 + 2 * DAY]);
    expect(plan.priceAboveMaxAt).toBe(T0 + 2 * DAY);
  });

  it('works in bounded steps: an incomplete plan resumes where it stopped', () => {
    const first = planCatchUp(switchOnBadge(T0, 7), 10, [], T0 + 10 * DAY, 4);
    expect(first).toMatchObject({
      complete: false,
      dueAt: [T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY, T0 + 4 * DAY],
    });
    const rest = planCatchUp(first.schedule, 10, [], T0 + 10 * DAY, 100);
    expect(rest.dueAt).toHaveLength(6);
    expect(rest.complete).toBe(true);
  });

  it('never charges a free badge', () => {
    expect(planCatchUp(switchOnBadge(T0, 0), 0, [], T0 + 100 * DAY, 100).dueAt).toEqual([]);
  });
});

describe('badge prices', () => {
  const prices = [
    { at: T0, weeklyPriceConnects: 3 },
    { at: T0 + 5 * DAY, weeklyPriceConnects: 3 },
    { at: T0 + 9 * DAY, weeklyPriceConnects: 8 },
  ];

  it("is the operator's latest price, else the policy default", () => {
    expect(priceAt([], defaultTimeline, T0)).toBe(5);
    expect(priceAt(prices, defaultTimeline, T0 - 1)).toBe(5);
    expect(priceAt(prices, defaultTimeline, T0 + 6 * DAY)).toBe(3);
    expect(priceAt(prices, defaultTimeline, T0 + 9 * DAY)).toBe(8);
  });

  it('lists only the instants where the price actually moves', () => {
    expect(priceChangesIn(prices, defaultTimeline, T0 - DAY, T0 + 20 * DAY, 5)).toEqual([
      { at: T0, weeklyPriceConnects: 3 },
      { at: T0 + 9 * DAY, weeklyPriceConnects: 8 },
    ]);
    expect(priceChangesIn(prices, defaultTimeline, T0 + 9 * DAY, T0 + 20 * DAY, 8)).toEqual([]);
  });
});
