import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { inTransaction } from '../jobs/in-transaction.ts';
import { BADGE_PRICE_KEY, operatorPrices, priceAt } from './badge-price.ts';

export const setBadgePriceInputSchema = z.strictObject({
  /** The new weekly price of the availability badge; 0 makes it free. */
  weeklyPriceConnects: z.int().min(0).max(1000),
});
export type SetBadgePriceInput = z.infer<typeof setBadgePriceInputSchema>;

export interface SetBadgePriceOutput {
  readonly weeklyPriceConnects: number;
  /** When the price in force took effect (now, unless it was already this price). */
  readonly effectiveAt: Instant | null;
  readonly changed: boolean;
}

/**
 * The operator sets the badge's weekly price (rules.md 5.4, 7), in force from
 * now; without any, the policy's `availabilityBadge.weeklyPriceConnects`
 * applies. Running badges are woken so the next scheduler tick charges what
 * was due under the old price, restarts their schedules at this instant, and
 * switches off those whose maximum is now below the price. Setting the price
 * in force again changes nothing.
 */
export async function setBadgePrice(
  ctx: AppContext,
  request: SetBadgePriceInput,
  now: Instant,
): Promise<Result<SetBadgePriceOutput>> {
  const parsed = parseInput(setBadgePriceInputSchema, request);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  return inTransaction<SetBadgePriceOutput>(ctx, async (tx) => {
    // One price change at a time: the history stays in order and the wake-up below sees it.
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [BADGE_PRICE_KEY]);
    const prices = await operatorPrices(tx, now, now);
    const current = priceAt(prices, ctx.timeline, now);
    if (current === input.weeklyPriceConnects) {
      return ok({
        weeklyPriceConnects: current,
        effectiveAt: prices[prices.length - 1]?.at ?? null,
        changed: false,
      });
    }
    await tx.query(
      `INSERT INTO operator_settings (key, effective_at, value, set_at) VALUES ($1, $2, $3, $2)
       ON CONFLICT (key, effective_at) DO UPDATE SET value = EXCLUDED.value, set_at = EXCLUDED.set_at`,
      [BADGE_PRICE_KEY, now, input.weeklyPriceConnects],
    );
    await tx.query(
      `UPDATE availability_badges SET next_check_at = $1
        WHERE is_on AND (next_check_at IS NULL OR next_check_at > $1)`,
      [now],
    );
    return ok({ weeklyPriceConnects: input.weeklyPriceConnects, effectiveAt: now, changed: true });
  });
}
