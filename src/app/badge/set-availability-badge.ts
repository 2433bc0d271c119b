import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { idSchema } from '../input/ids.ts';
import { switchOnBadge } from '../../core/availability-badge.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';
import type { AppContext } from '../context.ts';
import { inTransaction } from '../jobs/in-transaction.ts';
import { operatorPrices, priceAt } from './badge-price.ts';
import { lockBadge, saveBadge, type Badge } from './badge-rows.ts';
import { badgeView, type BadgeView } from './badge-view.ts';
import { catchUpBadge, nextCheckAt } from './charge-badge.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';

export const setAvailabilityBadgeInputSchema = z.strictObject({
  freelancerId: idSchema,
  on: z.boolean(),
  /** The most the freelancer will pay per week; above it the badge switches off. */
  weeklyMaxConnects: z.int().min(0).max(1000),
});
export type SetAvailabilityBadgeInput = z.infer<typeof setAvailabilityBadgeInputSchema>;

/** Steps of catching up inside one request (each BADGE_CHARGES_PER_STEP Connects at most). */
const MAX_CATCH_UP_STEPS = 50;

/** Charges what is due up to now, so a change never loses or repeats a charge. */
async function settle(tx: StoreTx, ctx: AppContext, badge: Badge, now: Instant): Promise<Badge> {
  let current = badge;
  for (let step = 0; step < MAX_CATCH_UP_STEPS; step++) {
    const result = await catchUpBadge(tx, ctx, current, now);
    current = result.badge;
    if (result.complete) return current;
  }
  return current;
}

async function set(
  tx: StoreTx,
  ctx: AppContext,
  input: SetAvailabilityBadgeInput,
  now: Instant,
  available: number,
) {
  const freelancer = await requireFreelancer(tx, input.freelancerId);
  if (!freelancer.ok) return freelancer;
  const price = priceAt(await operatorPrices(tx, now, now), ctx.timeline, now);
  if (input.on && price > input.weeklyMaxConnects) {
    return err(
      connectsError(
        'badge_price_above_max',
        `The badge costs ${price} Connects a week, above your maximum.`,
        {
          weeklyPriceConnects: price,
          weeklyMaxConnects: input.weeklyMaxConnects,
        },
      ),
    );
  }
  let badge = await settle(tx, ctx, await lockBadge(tx, input.freelancerId, now), now);
  const max = input.weeklyMaxConnects;
  if (!input.on) {
    badge = badge.on
      ? { ...badge, on: false, nextCheckAt: null, offAt: now, offReason: 'freelancer' }
      : badge;
    badge = { ...badge, weeklyMaxConnects: max };
  } else if (badge.on) {
    badge = { ...badge, weeklyMaxConnects: max };
  } else {
    if (price > 0 && available < 1) {
      return err(
        connectsError('insufficient_connects', 'The badge needs at least 1 available Connect.', {
          available,
        }),
      );
    }
    const schedule = switchOnBadge(now, price);
    badge = {
      ...badge,
      on: true,
      weeklyMaxConnects: max,
      schedule,
      nextCheckAt: nextCheckAt(schedule, ctx.timeline, now),
    };
  }
  await saveBadge(tx, badge, now);
  return ok(badgeView(badge, price));
}

/**
 * Switches the "Available now" badge on or off and sets the freelancer's
 * weekly maximum (rules.md 5.4). Switching on is refused with
 * `badge_price_above_max` when the operator's price is above the maximum, and
 * with `insufficient_connects` without an available Connect. Whatever is due
 * under the running schedule is charged first. Setting the same state again
 * changes nothing.
 */
export async function setAvailabilityBadge(
  ctx: AppContext,
  request: SetAvailabilityBadgeInput,
  now: Instant,
): Promise<Result<BadgeView>> {
  const parsed = parseInput(setAvailabilityBadgeInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  // Read before the transaction (a read inside it would wait on itself with PGlite); the charges
  // themselves never overdraw, so a spend in between can at worst let the badge start and stop at once.
  await renewCappedFirst(ctx, input.freelancerId, now);
  const { available } = await ctx.store.balance(input.freelancerId, now);
  return inTransaction(ctx, (tx) => set(tx, ctx, input, now, available));
}
