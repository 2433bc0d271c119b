import { nextChargeAt } from '../../core/availability-badge.ts';
import type { Instant } from '../../core/time.ts';
import type { Badge, BadgeOffReason } from './badge-rows.ts';

/** The badge as the freelancer sees it. */
export interface BadgeView {
  readonly freelancerId: string;
  readonly on: boolean;
  readonly weeklyMaxConnects: number;
  /** The weekly price in force now. */
  readonly weeklyPriceConnects: number;
  /** Start of the running schedule (switch-on or the last price change); null while off. */
  readonly since: Instant | null;
  /** When the next Connect falls due; null while off or free. */
  readonly nextChargeAt: Instant | null;
  readonly offAt: Instant | null;
  readonly offReason: BadgeOffReason | null;
}

export function badgeView(badge: Badge, weeklyPriceConnects: number): BadgeView {
  return {
    freelancerId: badge.freelancerId,
    on: badge.on,
    weeklyMaxConnects: badge.weeklyMaxConnects,
    weeklyPriceConnects,
    since: badge.on ? badge.schedule.since : null,
    nextChargeAt: badge.on ? nextChargeAt(badge.schedule) : null,
    offAt: badge.on ? null : badge.offAt,
    offReason: badge.on ? null : badge.offReason,
  };
}
