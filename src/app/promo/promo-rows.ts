import { z } from 'zod';
import type { Instant } from '../../core/time.ts';
import type { StoreTx } from '../../store/store.ts';

/** Codes are 3-40 characters of A-Z 0-9 _ -, compared case-insensitively and stored upper-case. */
export const PROMO_CODE_PATTERN = /^[A-Z0-9_-]{3,40}$/;

export const promoCodeSchema = z
  .string()
  .trim()
  .max(40)
  .toUpperCase()
  .regex(PROMO_CODE_PATTERN, 'must be 3 to 40 characters of A-Z 0-9 _ - (case-insensitive)');

/** The form a code is stored and compared in; undefined when it cannot be a code at all. */
export function normalisePromoCode(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  return PROMO_CODE_PATTERN.test(code) ? code : undefined;
}

export interface PromoCode {
  readonly code: string;
  readonly connects: number;
  /** Redeemable iff validFrom <= t < validUntil. */
  readonly validFrom: Instant;
  readonly validUntil: Instant;
  readonly maxRedemptions: number;
  /** Lifetime of the granted lots in days; null: the policy's lifetime at redemption. */
  readonly lotLifetimeDays: number | null;
  readonly createdAt: Instant;
}

export interface PromoCodeRow {
  code: string;
  connects: number;
  valid_from: number;
  valid_until: number;
  max_redemptions: number;
  redeemed: number;
  lot_lifetime_days: number | null;
  created_at: number;
}

export const promoCodeColumns =
  'code, connects, valid_from, valid_until, max_redemptions, redeemed, lot_lifetime_days, created_at';

export function promoCodeFromRow(row: PromoCodeRow): PromoCode {
  return {
    code: row.code,
    connects: row.connects,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    maxRedemptions: row.max_redemptions,
    lotLifetimeDays: row.lot_lifetime_days,
    createdAt: row.created_at,
  };
}

/** One freelancer's redemption of one code. */
export interface PromoRedemption {
  readonly code: string;
  readonly freelancerId: string;
  /** The code's amount. */
  readonly connects: number;
  /** What reached the balance: less than `connects` only under a holding cap (the rest is forfeited). */
  readonly credited: number;
  /** The lot created; null when a holding cap forfeited everything. */
  readonly lotNo: number | null;
  readonly expiresAt: Instant;
  readonly redeemedAt: Instant;
}

export interface RedemptionRow {
  freelancer_id: string;
  code: string;
  connects: number;
  credited: number | null;
  lot_no: number | null;
  expires_at: number;
  redeemed_at: number;
}

export const redemptionColumns = 'freelancer_id, code, connects, credited, lot_no, expires_at, redeemed_at';

export function redemptionFromRow(row: RedemptionRow): PromoRedemption {
  return {
    code: row.code,
    freelancerId: row.freelancer_id,
    connects: row.connects,
    credited: row.credited ?? 0,
    lotNo: row.lot_no,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
  };
}

type Queryable = Pick<StoreTx, 'query'>;

export async function loadPromoCode(db: Queryable, code: string): Promise<PromoCodeRow | undefined> {
  const rows = await db.query<PromoCodeRow>(`SELECT ${promoCodeColumns} FROM promo_codes WHERE code = $1`, [
    code,
  ]);
  return rows.rows[0];
}

export async function loadRedemption(
  db: Queryable,
  freelancerId: string,
  code: string,
): Promise<RedemptionRow | undefined> {
  const rows = await db.query<RedemptionRow>(
    `SELECT ${redemptionColumns} FROM promo_redemptions WHERE freelancer_id = $1 AND code = $2`,
    [freelancerId, code],
  );
  return rows.rows[0];
}
