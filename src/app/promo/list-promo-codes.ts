import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import {
  PROMO_CODE_PATTERN,
  promoCodeColumns,
  promoCodeFromRow,
  type PromoCode,
  type PromoCodeRow,
} from './promo-rows.ts';

export const MAX_PROMO_CODES_PAGE = 100;

export const listPromoCodesInputSchema = z.strictObject({
  /** `active`: redeemable at now (inside the window, redemptions left); absent: every code. */
  status: z.enum(['active', 'all']).optional(),
  limit: z.int().min(1).max(MAX_PROMO_CODES_PAGE).optional(),
  /** `nextCursor` of the previous page: the last code it returned. */
  cursor: z.string().max(100).optional(),
});
export type ListPromoCodesInput = z.input<typeof listPromoCodesInputSchema>;

/** A code as the operator's list shows it: its definition and how often it was redeemed. */
export interface PromoCodeSummary extends PromoCode {
  readonly redeemed: number;
}

export interface PromoCodePage {
  /** By code, A to Z. */
  readonly codes: readonly PromoCodeSummary[];
  readonly nextCursor: string | null;
}

/** The operator's promo codes, a bounded page at a time, with their redemption counts (rules.md 4, 7). */
export async function listPromoCodes(
  ctx: AppContext,
  input: ListPromoCodesInput,
  now: Instant,
): Promise<Result<PromoCodePage>> {
  const parsed = parseInput(listPromoCodesInputSchema, input);
  if (!parsed.ok) return parsed;
  const { status = 'all', cursor } = parsed.value;
  const limit = parsed.value.limit ?? 50;
  if (cursor !== undefined && !PROMO_CODE_PATTERN.test(cursor)) {
    return err(connectsError('validation_failed', 'The cursor is not one this list issued.'));
  }
  const active = status === 'active';
  // One row more than the page tells whether another page follows.
  const rows = await ctx.store.query<PromoCodeRow>(
    `SELECT ${promoCodeColumns} FROM promo_codes
     WHERE ($1::text IS NULL OR code > $1)
       AND (NOT $2::boolean OR (valid_from <= $3 AND $3 < valid_until AND redeemed < max_redemptions))
     ORDER BY code LIMIT $4`,
    [cursor ?? null, active, now, limit + 1],
  );
  const codes = rows.rows
    .slice(0, limit)
    .map((row) => ({ ...promoCodeFromRow(row), redeemed: row.redeemed }));
  const last = codes[codes.length - 1];
  return ok({ codes, nextCursor: rows.rows.length > limit && last !== undefined ? last.code : null });
}
