import { anchoredCycleStart, cycleDays, prorate, type Cycle } from './calendar.ts';
import type { Policy, UpgradeBilling } from './policy/schema.ts';
import type { Instant } from './time.ts';

/** What an upgrade from Basic to Plus at `now` grants and costs (rules.md 3.2). */
export interface UpgradeQuote {
  readonly billing: UpgradeBilling;
  /** Connects granted now: the prorated extra allotment, or Plus's full allotment when the cycle restarts. */
  readonly connects: number;
  /** Charged now: the price on the same fraction as the Connects (rounded down), or the full price. */
  readonly priceCents: number;
  /** Plus's full price per cycle, charged at each renewal. */
  readonly fullPriceCents: number;
  /** The cycle the upgrade lands in: the current one, or the new one starting now. */
  readonly cycle: Cycle;
  /** The next renewal. */
  readonly nextCycleAt: Instant;
  readonly daysLeft: number;
  readonly daysInCycle: number;
}

/**
 * Prices an upgrade under the policy in force. With `prorate` a cycle is
 * never paid in full twice: the upgrade pays for the days left, the renewal
 * for the next cycle. With `restart_cycle` the current cycle ends now and a
 * new one starts (its index one more), lasting at least a month.
 */
export function upgradeQuote(policy: Policy, current: Cycle, now: Instant): UpgradeQuote {
  const plus = policy.plans.plus;
  if (plus.upgradeBilling === 'restart_cycle') {
    const anchor = { at: now, index: current.index + 1, restarted: true };
    const cycle = { index: anchor.index, start: now, end: anchoredCycleStart(anchor, anchor.index + 1) };
    const { daysLeft, daysInCycle } = cycleDays(now, cycle);
    return {
      billing: 'restart_cycle',
      connects: plus.allotment,
      priceCents: plus.priceCents,
      fullPriceCents: plus.priceCents,
      cycle,
      nextCycleAt: cycle.end,
      daysLeft,
      daysInCycle,
    };
  }
  const extra = Math.max(0, plus.allotment - policy.plans.basic.allotment);
  const { daysLeft, daysInCycle } = cycleDays(now, current);
  return {
    billing: 'prorate',
    connects: prorate(extra, now, current),
    priceCents: prorate(plus.priceCents, now, current),
    fullPriceCents: plus.priceCents,
    cycle: current,
    nextCycleAt: current.end,
    daysLeft,
    daysInCycle,
  };
}
