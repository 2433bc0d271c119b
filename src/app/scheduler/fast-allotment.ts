import { cycleStartAt } from '../../core/calendar.ts';
import { policyAt, type PolicyTimeline } from '../../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import { allotmentOp } from '../accounts/grants.ts';

/**
 * What every Basic account whose next cycle starts at `start` receives, when
 * that can be written set-based: the same allotment the per-account path
 * builds with `allotmentOp`, minus the per-account parts (lot number, seq,
 * balances, the cycle index in the ref) that SQL computes.
 */
export interface FastAllotment {
  readonly start: Instant;
  /** 0: the cycle only advances (an era without a Basic allotment). */
  readonly amount: number;
  readonly expiresAt: Instant;
  /** Start of the following cycle. */
  readonly nextAt: Instant;
  readonly reason: string | null;
}

/** Cycle starts after registration are 00:00 UTC on an anchor day (1-28). */
function isAnchorMidnight(start: Instant): boolean {
  return start % MS_PER_DAY === 0 && new Date(start).getUTCDate() <= 28;
}

/**
 * The set-based parameters for Basic renewals at `start`, or null when the
 * policy in force there needs the per-account path: a rollover or holding
 * cap (they depend on each account's lots), or a lot that would already be
 * expired at `now` (the core then writes its expiry too).
 */
export function fastAllotment(timeline: PolicyTimeline, start: Instant, now: Instant): FastAllotment | null {
  if (!isAnchorMidnight(start) || start > now) return null;
  const policy = policyAt(timeline, start);
  const basic = policy.plans.basic;
  if (basic.rolloverCap !== null || basic.holdingCap !== null) return null;
  // Every account renewing at `start` has the same anchor day, so the same next start.
  const nextAt = cycleStartAt(start, 1);
  const op = allotmentOp(policy, 'basic', { index: 1, start, end: nextAt });
  if (op === null) return { start, amount: 0, expiresAt: nextAt, nextAt, reason: null };
  if (op.expiresAt <= now) return null;
  return { start, amount: op.amount, expiresAt: op.expiresAt, nextAt, reason: op.reason ?? null };
}
