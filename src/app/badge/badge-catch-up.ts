import {
  changeBadgePrice,
  chargesDue,
  recordCharges,
  type BadgeSchedule,
} from '../../core/availability-badge.ts';
import type { Instant } from '../../core/time.ts';
import type { PriceChange } from './badge-price.ts';

/** What to do for a running badge between its last charge and now. */
export interface CatchUpPlan {
  /** The schedule once the due Connects below are charged. */
  readonly schedule: BadgeSchedule;
  /** Due instants of the Connects to charge, oldest first. */
  readonly dueAt: readonly Instant[];
  /** Set when a price change took the price above the freelancer's maximum. */
  readonly priceAboveMaxAt: Instant | null;
  /** False when `limit` stopped the plan early: charge these, then plan again. */
  readonly complete: boolean;
}

/**
 * Walks the schedule forward to `now` through the price changes in between
 * (pure). Before each change the Connects due under the old price are
 * charged; the schedule then restarts at the change with the new price
 * (rules.md 5.4). A new price above `weeklyMaxConnects` switches the badge off at
 * that instant. At most `limit` Connects per plan, so a badge left alone for
 * months is caught up in bounded steps.
 */
export function planCatchUp(
  start: BadgeSchedule,
  weeklyMaxConnects: number,
  changes: readonly PriceChange[],
  now: Instant,
  limit: number,
): CatchUpPlan {
  let schedule = start;
  const dueAt: Instant[] = [];
  const take = (until: Instant): boolean => {
    const due = chargesDue(schedule, until, limit - dueAt.length);
    dueAt.push(...due);
    schedule = recordCharges(schedule, due.length);
    return chargesDue(schedule, until, 1).length === 0;
  };
  for (const change of changes) {
    if (!take(change.at)) return { schedule, dueAt, priceAboveMaxAt: null, complete: false };
    schedule = changeBadgePrice(schedule, change.at, change.weeklyPriceConnects);
    if (change.weeklyPriceConnects > weeklyMaxConnects) {
      return { schedule, dueAt, priceAboveMaxAt: change.at, complete: true };
    }
  }
  const complete = take(now);
  return { schedule, dueAt, priceAboveMaxAt: null, complete };
}
