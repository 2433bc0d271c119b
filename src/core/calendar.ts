import { assert } from './errors.ts';
import type { LotLifetime } from './policy/schema.ts';
import { MS_PER_DAY, isInstant, type Instant } from './time.ts';

/**
 * Calendar rules, always in UTC: lot lifetimes (rules.md 1.2), billing cycles
 * (rules.md 2.9) and mid-cycle proration (rules.md 3.2). `new Date(t)` is used only to
 * split an explicit instant into calendar fields.
 */

/** A UTC instant from calendar fields; years 0..99 are not remapped to 19xx as Date.UTC would. */
function utc(year: number, month: number, day: number, msOfDay: number): Instant {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d.getTime() + msOfDay;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Same month, day and time of day `years` later; Feb 29 becomes Feb 28 in a non-leap year. */
export function addCalendarYears(t: Instant, years: number): Instant {
  assert(isInstant(t), 'addCalendarYears: t must be an integer instant');
  assert(Number.isSafeInteger(years), 'addCalendarYears: years must be an integer');
  const d = new Date(t);
  const year = d.getUTCFullYear() + years;
  const month = d.getUTCMonth();
  const day = month === 1 && d.getUTCDate() === 29 && !isLeapYear(year) ? 28 : d.getUTCDate();
  const msOfDay = t - utc(d.getUTCFullYear(), month, d.getUTCDate(), 0);
  return utc(year, month, day, msOfDay);
}

/** Day of month on which later cycles start: the registration day, or the 1st for the 29th-31st. */
export function anchorDay(registeredAt: Instant): number {
  assert(isInstant(registeredAt), 'anchorDay: registeredAt must be an integer instant');
  const day = new Date(registeredAt).getUTCDate();
  return day >= 29 ? 1 : day;
}

/** Start of cycle `index`: registration itself for 0, else 00:00 UTC on the anchor day `index` months later. */
export function cycleStartAt(registeredAt: Instant, index: number): Instant {
  assert(Number.isSafeInteger(index) && index >= 0, 'cycleStartAt: index must be a non-negative integer');
  if (index === 0) return registeredAt;
  const d = new Date(registeredAt);
  // The anchor is at most 28, so month overflow is the only carry and Date handles it.
  return utc(d.getUTCFullYear(), d.getUTCMonth() + index, anchorDay(registeredAt), 0);
}

/** Index of the cycle containing t (t >= registeredAt). */
export function cycleIndexAt(registeredAt: Instant, t: Instant): number {
  assert(isInstant(t) && t >= registeredAt, 'cycleIndexAt: t must not precede registration');
  const r = new Date(registeredAt);
  const d = new Date(t);
  const months = (d.getUTCFullYear() - r.getUTCFullYear()) * 12 + (d.getUTCMonth() - r.getUTCMonth());
  // Cycle `months` starts in t's month; if it has not started yet, t is in the previous one.
  if (months === 0) return 0;
  return cycleStartAt(registeredAt, months) <= t ? months : months - 1;
}

export interface Cycle {
  readonly index: number;
  readonly start: Instant;
  /** Start of the next cycle (exclusive). */
  readonly end: Instant;
}

export function cycleAt(registeredAt: Instant, t: Instant): Cycle {
  const index = cycleIndexAt(registeredAt, t);
  return { index, start: cycleStartAt(registeredAt, index), end: cycleStartAt(registeredAt, index + 1) };
}

/** Cycle starts s with fromExclusive < s <= toInclusive, oldest first, at most `limit` of them. */
export function cycleStartsIn(
  registeredAt: Instant,
  fromExclusive: Instant,
  toInclusive: Instant,
  limit: number,
): { index: number; start: Instant }[] {
  assert(Number.isSafeInteger(limit) && limit >= 0, 'cycleStartsIn: limit must be a non-negative integer');
  const starts: { index: number; start: Instant }[] = [];
  let index = fromExclusive < registeredAt ? 0 : cycleIndexAt(registeredAt, fromExclusive) + 1;
  while (starts.length < limit) {
    const start = cycleStartAt(registeredAt, index);
    if (start > toInclusive) break;
    starts.push({ index, start });
    index += 1;
  }
  return starts;
}

/**
 * Where a freelancer's billing cycles are counted from: registration (cycle 0
 * starts there), or an upgrade that restarted the cycle (rules.md 3.2, policy
 * `plans.plus.upgradeBilling` = `restart_cycle`): cycle `index` starts at
 * `at`, and later ones at 00:00 UTC on the anchor day of `at`.
 */
export interface CycleAnchor {
  readonly at: Instant;
  readonly index: number;
  /** A restarted cycle lasts at least a month: anchored on the 29th-31st, it ends on the 1st after next. */
  readonly restarted: boolean;
}

export const registrationAnchor = (registeredAt: Instant): CycleAnchor => ({
  at: registeredAt,
  index: 0,
  restarted: false,
});

/** Months a restarted cycle skips so that it lasts at least a month (registration keeps the short first cycle). */
const skippedMonths = (anchor: CycleAnchor): number =>
  anchor.restarted && new Date(anchor.at).getUTCDate() >= 29 ? 1 : 0;

/** Start of cycle `index` (at or after the anchor's). */
export function anchoredCycleStart(anchor: CycleAnchor, index: number): Instant {
  assert(Number.isSafeInteger(index) && index >= anchor.index, 'anchoredCycleStart: index before the anchor');
  const k = index - anchor.index;
  return k === 0 ? anchor.at : cycleStartAt(anchor.at, k + skippedMonths(anchor));
}

/** The cycle containing t (t at or after the anchor). */
export function anchoredCycleAt(anchor: CycleAnchor, t: Instant): Cycle {
  const months = cycleIndexAt(anchor.at, t);
  const index = anchor.index + Math.max(0, months - skippedMonths(anchor));
  return { index, start: anchoredCycleStart(anchor, index), end: anchoredCycleStart(anchor, index + 1) };
}

/** ceil(a / b) for non-negative safe integers, without trusting float division near integers. */
function ceilDiv(a: number, b: number): number {
  const remainder = a % b;
  return (a - remainder) / b + (remainder > 0 ? 1 : 0);
}

function floorDiv(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/**
 * The days of a cycle left at t and the days the cycle counts for, both
 * rounded up. A cycle counts for at least a month (the month before its
 * end): a first cycle cut short by the calendar (registered Mar 31 10:00,
 * renewing Apr 1) is a fraction of a month, not a whole cycle.
 */
export function cycleDays(t: Instant, cycle: { start: Instant; end: Instant }) {
  assert(cycle.start <= t && t < cycle.end, 'cycleDays: t must lie inside the cycle');
  const end = new Date(cycle.end);
  const monthBefore = utc(end.getUTCFullYear(), end.getUTCMonth() - 1, end.getUTCDate(), 0);
  const counted = Math.max(cycle.end - cycle.start, cycle.end - monthBefore);
  return { daysLeft: ceilDiv(cycle.end - t, MS_PER_DAY), daysInCycle: ceilDiv(counted, MS_PER_DAY) };
}

/**
 * Share of `amount` (Connects or cents) for the rest of the cycle (rules.md 3.2):
 * floor(amount * daysLeft / daysInCycle), day counts from `cycleDays`.
 * Rounding down favours the freelancer for a price and matches the spec for Connects.
 */
export function prorate(amount: number, t: Instant, cycle: { start: Instant; end: Instant }): number {
  assert(Number.isSafeInteger(amount) && amount >= 0, 'prorate: amount must be a non-negative integer');
  const { daysLeft, daysInCycle } = cycleDays(t, cycle);
  const numerator = amount * daysLeft;
  assert(Number.isSafeInteger(numerator), 'prorate: amount too large');
  return floorDiv(numerator, daysInCycle);
}

/** Expiry stamped on a lot issued at `issuedAt` under `lifetime`; end_of_cycle needs the cycle's end. */
export function expiresAtFor(lifetime: LotLifetime, issuedAt: Instant, cycleEnd?: Instant): Instant {
  assert(isInstant(issuedAt), 'expiresAtFor: issuedAt must be an integer instant');
  switch (lifetime.kind) {
    case 'calendar_years':
      return addCalendarYears(issuedAt, lifetime.years);
    case 'days':
      return issuedAt + lifetime.days * MS_PER_DAY;
    case 'end_of_cycle':
      assert(
        cycleEnd !== undefined && cycleEnd > issuedAt,
        'expiresAtFor: end_of_cycle needs a later cycleEnd',
      );
      return cycleEnd;
  }
}
