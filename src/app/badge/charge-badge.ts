import { nextChargeAt, shouldSwitchOff, type BadgeSchedule } from '../../core/availability-badge.ts';
import { assert } from '../../core/errors.ts';
import type { DebitOp } from '../../core/ledger/operations.ts';
import { nextPolicyChangeAfter, type PolicyTimeline } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import { orAbort } from '../jobs/in-transaction.ts';
import { planCatchUp, type CatchUpPlan } from './badge-catch-up.ts';
import { operatorPrices, priceChangesIn } from './badge-price.ts';
import type { Badge, BadgeOffReason } from './badge-rows.ts';

/** Most Connects one badge is charged in one step; a longer backlog takes several. */
export const BADGE_CHARGES_PER_STEP = 200;

/** Every badge charge is a debit of one Connect with this reference. */
export const BADGE_REF = 'badge';
export const BADGE_CHARGE: DebitOp = {
  kind: 'debit',
  amount: 1,
  ref: BADGE_REF,
  reason: 'availability_badge',
};
const charge = BADGE_CHARGE;

/** When the scheduler must look again: the next due Connect, or a policy change that may move the price. */
export function nextCheckAt(schedule: BadgeSchedule, timeline: PolicyTimeline, now: Instant): Instant | null {
  const times = [nextChargeAt(schedule), nextPolicyChangeAfter(timeline, now)].filter((t) => t !== null);
  return times.length === 0 ? null : Math.min(...times);
}

/**
 * Debits `count` Connects (one entry each), or as many as the freelancer can
 * pay. Returns how many were charged and the available balance after.
 */
async function debit(tx: StoreTx, badge: Badge, count: number, now: Instant) {
  if (count === 0) return { charged: 0, available: null };
  const key = (n: number) => `badge:${badge.schedule.since}:${badge.schedule.charged}:${n}`;
  const all = await tx.applyOps(badge.freelancerId, Array(count).fill(charge), now, key(count));
  if (all.ok) return { charged: count, available: all.value.balance.available };
  if (all.error.code !== 'insufficient_connects') orAbort(all);
  // The refusal came from the first Connect that could not be paid; one debit of them all tells what is available.
  const probe = await tx.applyOps(badge.freelancerId, [{ ...charge, amount: count }], now);
  assert(!probe.ok && probe.error.code === 'insufficient_connects', 'the same debit fails the same way');
  const affordable = Number(probe.error.details?.['available'] ?? 0);
  assert(Number.isSafeInteger(affordable) && affordable < count, 'the refusal says what is available');
  if (affordable <= 0) return { charged: 0, available: 0 };
  const some = orAbort(
    await tx.applyOps(badge.freelancerId, Array(affordable).fill(charge), now, key(affordable)),
  );
  return { charged: affordable, available: some.balance.available };
}

export interface CatchUpResult {
  readonly badge: Badge;
  readonly charged: number;
  /** False when Connects are still due (the step limit was reached). */
  readonly complete: boolean;
}

const off = (badge: Badge, at: Instant, reason: BadgeOffReason): Badge => ({
  ...badge,
  on: false,
  nextCheckAt: null,
  offAt: at,
  offReason: reason,
});

/**
 * Brings a running badge up to `now` inside the caller's transaction (its row
 * locked): charges the Connects due through every price change in between,
 * and switches the badge off when a new price exceeds the freelancer's
 * maximum or a due Connect cannot be paid (rules.md 5.4). The caller saves the
 * returned badge.
 */
export async function catchUpBadge(
  tx: StoreTx,
  ctx: AppContext,
  badge: Badge,
  now: Instant,
  limit: number = BADGE_CHARGES_PER_STEP,
): Promise<CatchUpResult> {
  if (!badge.on) return { badge, charged: 0, complete: true };
  const since = badge.schedule.since;
  const prices = await operatorPrices(tx, since, now);
  const changes = priceChangesIn(prices, ctx.timeline, since, now, badge.schedule.weeklyPriceConnects);
  const plan = planCatchUp(badge.schedule, badge.weeklyMaxConnects, changes, now, limit);
  const paid = await debit(tx, badge, plan.dueAt.length, now);
  return finishCatchUp(badge, plan, paid, ctx.timeline, now);
}

/**
 * What a catch-up leaves of the badge once `paid.charged` of the plan's due
 * Connects were debited (`paid.available` after them; null when none was due):
 * off when one could not be paid, when a new price passed the maximum, or when
 * nothing is left for the running interval; else rescheduled (pure, so the
 * simulator charges badges by the same rules).
 */
export function finishCatchUp(
  badge: Badge,
  plan: CatchUpPlan,
  paid: { readonly charged: number; readonly available: number | null },
  timeline: PolicyTimeline,
  now: Instant,
): CatchUpResult {
  const moved = { ...badge, schedule: plan.schedule };
  if (paid.charged < plan.dueAt.length) {
    return { badge: off(moved, now, 'insufficient_connects'), charged: paid.charged, complete: true };
  }
  if (plan.priceAboveMaxAt !== null) {
    return {
      badge: off(moved, plan.priceAboveMaxAt, 'price_above_max'),
      charged: paid.charged,
      complete: true,
    };
  }
  const reason =
    paid.available === null
      ? null
      : shouldSwitchOff({
          weeklyPriceConnects: plan.schedule.weeklyPriceConnects,
          weeklyMaxConnects: badge.weeklyMaxConnects,
          available: paid.available,
        });
  if (reason !== null) return { badge: off(moved, now, reason), charged: paid.charged, complete: true };
  const next = plan.complete ? nextCheckAt(plan.schedule, timeline, now) : now;
  return { badge: { ...moved, nextCheckAt: next }, charged: paid.charged, complete: plan.complete };
}
