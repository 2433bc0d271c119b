import { cycleAt, prorate } from '../../../src/core/calendar.ts';
import type { Freelancer, PolicyTimeline } from '../api/types.ts';

const DAY_MS = 86_400_000;

export interface UpgradePreview {
  /** Connects the upgrade adds for the rest of the cycle. */
  readonly connects: number;
  readonly daysLeft: number;
  readonly daysInCycle: number;
  /** Start of the next cycle (the renewal), ms since epoch. */
  readonly cycleEnd: number;
  /** The plans' allotment difference that is prorated. */
  readonly extra: number;
}

/**
 * What an upgrade now would add: the plans' allotment difference prorated by
 * the days left in the current cycle (rules.md 3.2), computed with the same pure
 * rule the server uses, so the preview and the grant agree.
 */
export function upgradePreview(
  freelancer: Pick<Freelancer, 'registeredAt'> & { cycle?: { start: string; end: string } },
  policy: PolicyTimeline,
): UpgradePreview {
  const now = Date.parse(policy.now);
  const registeredAt = Date.parse(freelancer.registeredAt);
  const given = freelancer.cycle
    ? { start: Date.parse(freelancer.cycle.start), end: Date.parse(freelancer.cycle.end) }
    : undefined;
  // The server's cycle when it gives one whole; otherwise the same calendar rule it uses.
  const cycle =
    given !== undefined && !Number.isNaN(given.start) && !Number.isNaN(given.end)
      ? given
      : cycleAt(registeredAt, Math.max(now, registeredAt));
  const { basic, plus } = policy.current.plans;
  const extra = Math.max(0, plus.allotment - basic.allotment);
  const connects = now >= cycle.start && now < cycle.end ? prorate(extra, now, cycle) : 0;
  const daysLeft = Math.ceil((cycle.end - now) / DAY_MS);
  const daysInCycle = Math.ceil((cycle.end - cycle.start) / DAY_MS);
  return { connects, daysLeft, daysInCycle, cycleEnd: cycle.end, extra };
}
