import { z } from 'zod';
import { instantOrMillisSchema } from '../input/instants.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import {
  loadPromoCode,
  promoCodeColumns,
  promoCodeFromRow,
  promoCodeSchema,
  type PromoCode,
  type PromoCodeRow,
} from './promo-rows.ts';

/** Limits on what one code may promise. */
export const MAX_PROMO_CONNECTS = 100_000;
export const MAX_PROMO_REDEMPTIONS = 10_000_000;
export const MAX_LOT_LIFETIME_DAYS = 36_600;

export const createPromoCodeInputSchema = z
  .strictObject({
    code: promoCodeSchema,
    connects: z.int().min(1).max(MAX_PROMO_CONNECTS),
    validFrom: instantOrMillisSchema,
    /** Exclusive: the code is redeemable strictly before this instant. */
    validUntil: instantOrMillisSchema,
    maxRedemptions: z.int().min(1).max(MAX_PROMO_REDEMPTIONS),
    /** Lifetime of the granted lots; absent: the policy's lot lifetime at redemption. */
    lotLifetimeDays: z.int().min(1).max(MAX_LOT_LIFETIME_DAYS).optional(),
  })
  .refine((input) => input.validUntil > input.validFrom, {
    message: 'validUntil must be after validFrom',
    path: ['validUntil'],
  });
export type CreatePromoCodeInput = z.input<typeof createPromoCodeInputSchema>;
type Definition = z.output<typeof createPromoCodeInputSchema>;

function sameDefinition(row: PromoCodeRow, input: Definition): boolean {
  return (
    row.connects === input.connects &&
    row.valid_from === input.validFrom &&
    row.valid_until === input.validUntil &&
    row.max_redemptions === input.maxRedemptions &&
    row.lot_lifetime_days === (input.lotLifetimeDays ?? null)
  );
}

/**
 * Creates a promo code (operator action, rules.md 4). Idempotent by the code:
 * creating it again with the same details returns the original; with other
 * details it is `promo_code_exists` (codes never change once handed out).
 */
export async function createPromoCode(
  ctx: AppContext,
  input: CreatePromoCodeInput,
  now: Instant,
): Promise<Result<PromoCode>> {
  const parsed = parseInput(createPromoCodeInputSchema, input);
  if (!parsed.ok) return parsed;
  const definition = parsed.value;
  const inserted = await ctx.store.query<PromoCodeRow>(
    `INSERT INTO promo_codes (code, connects, valid_from, valid_until, max_redemptions, lot_lifetime_days, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING RETURNING ${promoCodeColumns}`,
    [
      definition.code,
      definition.connects,
      definition.validFrom,
      definition.validUntil,
      definition.maxRedemptions,
      definition.lotLifetimeDays ?? null,
      now,
    ],
  );
  const row = inserted.rows[0] ?? (await loadPromoCode(ctx.store, definition.code));
  if (row === undefined) throw new Error('a promo code row vanished');
  if (!sameDefinition(row, definition)) {
    return err(
      connectsError('promo_code_exists', `Promo code ${definition.code} already exists with other details.`, {
        code: definition.code,
        existing: promoCodeFromRow(row),
      }),
    );
  }
  return ok(promoCodeFromRow(row));
}
