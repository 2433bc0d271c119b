import { assert } from './errors.ts';
import { MS_PER_DAY, type Instant } from './time.ts';

/**
 * The "Available now" badge (rules.md 5.4): a weekly price of p Connects, charged
 * one Connect at a time, evenly: the k-th Connect after the schedule starts at
 * `since` is due at `since + floor(k * WEEK_MS / p)` (k = 1, 2, ...). Integer
 * math only; with p not dividing a week the gaps differ by at most 1 ms, and
 * every window of one week holds exactly p due instants.
 *
 * Charging is in arrears: the first Connect is due one interval after switch-on,
 * so a badge switched off before then costs nothing. A price change restarts
 * the schedule at the change instant with the new price; the part of the
 * interval running at the change is not charged (in the freelancer's favour).
 */

export const WEEK_MS = 7 * MS_PER_DAY;

export interface BadgeSchedule {
  /** Start of the current schedule: the switch-on or the last price change. */
  readonly since: Instant;
  /** 0 means free: nothing is ever due. */
  readonly weeklyPriceConnects: number;
  /** Connects charged since `since`, i.e. the schedule has consumed k = 1..charged. */
  readonly charged: number;
}

function assertPrice(p: number): void {
  assert(Number.isSafeInteger(p) && p >= 0, 'weekly price is a whole number >= 0');
}

export function switchOnBadge(now: Instant, weeklyPriceConnects: number): BadgeSchedule {
  assertPrice(weeklyPriceConnects);
  return { since: now, weeklyPriceConnects, charged: 0 };
}

/** When the k-th Connect (k >= 1) of a schedule is due. */
export function chargeDueAt(since: Instant, weeklyPriceConnects: number, k: number): Instant {
  assert(weeklyPriceConnects > 0 && Number.isSafeInteger(k) && k >= 1, 'k >= 1 on a paid schedule');
  const scaled = k * WEEK_MS;
  assert(Number.isSafeInteger(scaled), 'charge index too large');
  return since + Math.floor(scaled / weeklyPriceConnects);
}

/** How many Connects of the schedule are due at or before `now` (charged or not). */
export function dueCount(since: Instant, weeklyPriceConnects: number, now: Instant): number {
  if (weeklyPriceConnects === 0 || now < since) return 0;
  // floor(k*W/p) <= d  <=>  k*W < p*(d+1)  <=>  k <= floor((p*(d+1) - 1) / W)
  const scaled = weeklyPriceConnects * (now - since + 1) - 1;
  assert(Number.isSafeInteger(scaled), 'badge schedule too long for exact integer math');
  return Math.floor(scaled / WEEK_MS);
}

/**
 * The due instants of the Connects not yet charged, oldest first, at most
 * `limit` of them (a badge left unattended for months is caught up in batches).
 */
export function chargesDue(schedule: BadgeSchedule, now: Instant, limit: number): Instant[] {
  assert(Number.isSafeInteger(limit) && limit >= 0, 'limit >= 0');
  const { since, weeklyPriceConnects: p, charged } = schedule;
  const last = Math.min(dueCount(since, p, now), charged + limit);
  const due: Instant[] = [];
  for (let k = charged + 1; k <= last; k++) due.push(chargeDueAt(since, p, k));
  return due;
}

/** When the next Connect falls due, or null for a free badge. */
export function nextChargeAt(schedule: BadgeSchedule): Instant | null {
  if (schedule.weeklyPriceConnects === 0) return null;
  return chargeDueAt(schedule.since, schedule.weeklyPriceConnects, schedule.charged + 1);
}

/** Records that the next `count` due Connects were charged. */
export function recordCharges(schedule: BadgeSchedule, count: number): BadgeSchedule {
  assert(Number.isSafeInteger(count) && count >= 0, 'count >= 0');
  return { ...schedule, charged: schedule.charged + count };
}

/**
 * Restarts the schedule at `now` with the new price. The caller first charges
 * every Connect already due at `now` under the old price (asserted: skipping
 * that would lose them silently).
 */
export function changeBadgePrice(
  schedule: BadgeSchedule,
  now: Instant,
  weeklyPriceConnects: number,
): BadgeSchedule {
  assertPrice(weeklyPriceConnects);
  assert(chargesDue(schedule, now, 1).length === 0, 'charge the due Connects before a price change');
  return { since: now, weeklyPriceConnects, charged: 0 };
}

export type BadgeSwitchOffReason = 'price_above_max' | 'insufficient_connects';

/**
 * Why the badge must switch off now, or null. `available` is the freelancer's
 * available balance: charging is in arrears, so with nothing left the running
 * interval could not be paid and the badge stops at once.
 */
export function shouldSwitchOff(input: {
  readonly weeklyPriceConnects: number;
  readonly weeklyMaxConnects: number;
  readonly available: number;
}): BadgeSwitchOffReason | null {
  if (input.weeklyPriceConnects > input.weeklyMaxConnects) return 'price_above_max';
  if (input.weeklyPriceConnects > 0 && input.available < 1) return 'insufficient_connects';
  return null;
}
