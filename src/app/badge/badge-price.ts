import { assert } from '../../core/errors.ts';
import { policyAt, type PolicyTimeline } from '../../core/policy/timeline.ts';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';

/** The operator_settings key of the badge's weekly price. */
export const BADGE_PRICE_KEY = 'badge.weekly_price_connects';

/** A price the operator set, in force from `at` until the next one. */
export interface PriceChange {
  readonly at: Instant;
  readonly weeklyPriceConnects: number;
}

/** Bounds one read of the price history (prices change rarely; a longer span is read in turns). */
export const MAX_PRICE_ROWS = 1000;

type Reader = Pick<StoreTx, 'query'>;

/**
 * The operator's prices that matter in (from, to]: the one in force at
 * `from` (if any) and every later one up to `to`, oldest first.
 */
export async function operatorPrices(db: Reader, from: Instant, to: Instant): Promise<PriceChange[]> {
  const { rows } = await db.query<{ effective_at: number; value: number }>(
    `SELECT effective_at, value FROM operator_settings
      WHERE key = $1 AND effective_at <= $3
        AND effective_at >= COALESCE(
          (SELECT max(effective_at) FROM operator_settings WHERE key = $1 AND effective_at <= $2), $2)
      ORDER BY effective_at LIMIT $4`,
    [BADGE_PRICE_KEY, from, to, MAX_PRICE_ROWS],
  );
  assert(rows.length < MAX_PRICE_ROWS, 'too many badge price changes in one span');
  return rows.map((r) => ({ at: r.effective_at, weeklyPriceConnects: r.value }));
}

/**
 * The weekly price at t: the operator's latest price at or before t, or, if
 * the operator never set one, the default of the policy in force at t.
 */
export function priceAt(prices: readonly PriceChange[], timeline: PolicyTimeline, t: Instant): number {
  let set: number | undefined;
  for (const p of prices) if (p.at <= t) set = p.weeklyPriceConnects;
  return set ?? policyAt(timeline, t).availabilityBadge.weeklyPriceConnects;
}

/**
 * The instants in (from, to] where the price moves away from `current`, with
 * the new price: operator changes, and policy changes while the operator has
 * set no price.
 */
export function priceChangesIn(
  prices: readonly PriceChange[],
  timeline: PolicyTimeline,
  from: Instant,
  to: Instant,
  current: number,
): PriceChange[] {
  const candidates = [...prices.map((p) => p.at), ...timeline.starts].filter((t) => t > from && t <= to);
  const changes: PriceChange[] = [];
  let price = current;
  for (const at of [...new Set(candidates)].sort((a, b) => a - b)) {
    const next = priceAt(prices, timeline, at);
    if (next === price) continue;
    changes.push({ at, weeklyPriceConnects: next });
    price = next;
  }
  return changes;
}
