import { assert } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext, BadgeCharges } from '../context.ts';
import { lockBadge, saveBadge } from './badge-rows.ts';
import { catchUpBadge } from './charge-badge.ts';

/** Most badges one call may be asked to charge; the scheduler calls again for the rest. */
export const MAX_BADGES_PER_CALL = 10_000;

/**
 * Charges the availability badges whose next Connect is due (or whose price
 * changed) at or before now, at most `limit` badges per call, each in its own
 * transaction with its row locked: due Connects are debited one by one (ref
 * `badge`), and a badge whose price rose above its maximum or whose Connect
 * cannot be paid is switched off (rules.md 5.4). Every badge handled moves
 * forward (charged, switched off or rescheduled), so calling again until
 * fewer than `limit` come back terminates. Safe to run twice or concurrently.
 * Returns the number of badges handled.
 */
export async function chargeAvailabilityBadges(
  ctx: AppContext,
  now: Instant,
  limit: number,
): Promise<number> {
  return (await chargeDueBadges(ctx, now, limit)).badges;
}

/**
 * The same as chargeAvailabilityBadges, also counting the Connects charged
 * (a badge handled may be charged many Connects, or none when it is only
 * switched off or rescheduled). The scheduler tick calls it.
 */
export async function chargeDueBadges(ctx: AppContext, now: Instant, limit: number): Promise<BadgeCharges> {
  assert(Number.isSafeInteger(limit) && limit >= 0 && limit <= MAX_BADGES_PER_CALL, 'limit is 0 to 10,000');
  const { rows } = await ctx.store.query<{ freelancer_id: string }>(
    `SELECT freelancer_id FROM availability_badges WHERE is_on AND next_check_at <= $1
      ORDER BY next_check_at, freelancer_id LIMIT $2`,
    [now, limit],
  );
  let badges = 0;
  let connects = 0;
  for (const { freelancer_id: freelancerId } of rows) {
    const charged = await ctx.store.transaction(async (tx) => {
      const badge = await lockBadge(tx, freelancerId, now);
      // Another worker or the freelancer got there first.
      if (!badge.on || badge.nextCheckAt === null || badge.nextCheckAt > now) return null;
      const result = await catchUpBadge(tx, ctx, badge, now);
      await saveBadge(tx, result.badge, now);
      return result.charged;
    });
    if (charged === null) continue;
    badges += 1;
    connects += charged;
  }
  return { badges, connects };
}
