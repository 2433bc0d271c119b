import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import {
  connectsError,
  ConnectsFailure,
  err,
  ok,
  type ConnectsError,
  type Result,
} from '../../core/errors.ts';
import type { GrantOp } from '../../core/ledger/operations.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import {
  loadPromoCode,
  loadRedemption,
  normalisePromoCode,
  redemptionColumns,
  redemptionFromRow,
  type PromoCodeRow,
  type PromoRedemption,
  type RedemptionRow,
} from './promo-rows.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { type Freelancer, requireFreelancer } from '../accounts/freelancer-rows.ts';
import { lotExpiresAt } from '../accounts/lot-expiry.ts';

export const redeemPromoCodeInputSchema = z.strictObject({
  freelancerId: idSchema,
  /** Case-insensitive; anything that cannot be a code is simply unknown. */
  code: z.string().max(100),
});
export type RedeemPromoCodeInput = z.input<typeof redeemPromoCodeInputSchema>;

export const promoRef = (code: string): string => `promo:${code}`;

const unknown = (code: string) =>
  connectsError('promo_code_unknown', `There is no promo code ${code}.`, { code });

const alreadyRedeemed = (code: string, redemption?: RedemptionRow): ConnectsError =>
  connectsError(
    'promo_code_already_redeemed',
    `Promo code ${code} was already redeemed by this freelancer.`,
    {
      code,
      ...(redemption === undefined ? {} : { redemption: redemptionFromRow(redemption) }),
    },
  );

/** Why a code cannot be redeemed at `now`, regardless of who asks. */
function windowError(promo: PromoCodeRow, now: Instant): ConnectsError | undefined {
  if (now < promo.valid_from) {
    return connectsError('promo_code_not_yet_valid', `Promo code ${promo.code} cannot be redeemed yet.`, {
      code: promo.code,
      validFrom: promo.valid_from,
    });
  }
  if (now >= promo.valid_until) {
    return connectsError('promo_code_expired', `Promo code ${promo.code} has expired.`, {
      code: promo.code,
      validUntil: promo.valid_until,
    });
  }
  return undefined;
}

/**
 * Redeems a promo code for a freelancer (rules.md 4): a lot of the code's
 * Connects (source promo, free), living the code's lifetime or the policy's.
 * The redemption row, the guarded counter increment and the grant commit in
 * one transaction, so a code is never redeemed more than maxRedemptions
 * times, nor twice by one freelancer, under any concurrency. Asking again
 * answers `promo_code_already_redeemed` with the original redemption.
 */
export async function redeemPromoCode(
  ctx: AppContext,
  input: RedeemPromoCodeInput,
  now: Instant,
): Promise<Result<PromoRedemption>> {
  const parsed = parseInput(redeemPromoCodeInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId } = parsed.value;
  const code = normalisePromoCode(parsed.value.code);
  if (code === undefined) return err(unknown(parsed.value.code.trim().toUpperCase().slice(0, 40)));
  const freelancer = await requireFreelancer(ctx.store, freelancerId);
  if (freelancer.ok) await renewCappedFirst(ctx, freelancerId, now);
  if (!freelancer.ok) return freelancer;
  const promo = await loadPromoCode(ctx.store, code);
  if (promo === undefined) return err(unknown(code));
  const closed = windowError(promo, now);
  if (closed !== undefined) return err(closed);
  const earlier = await loadRedemption(ctx.store, freelancerId, code);
  if (earlier !== undefined) return err(alreadyRedeemed(code, earlier));
  try {
    return ok(await redeemInTransaction(ctx, promo, freelancer.value, now));
  } catch (error) {
    if (error instanceof ConnectsFailure) return err(error.toError());
    throw error;
  }
}

function grantFor(ctx: AppContext, promo: PromoCodeRow, freelancer: Freelancer, now: Instant): GrantOp {
  const policy = policyAt(ctx.timeline, now);
  const expiresAt =
    promo.lot_lifetime_days === null
      ? lotExpiresAt(policy.lotLifetime, now, freelancer.registeredAt)
      : now + promo.lot_lifetime_days * MS_PER_DAY;
  return {
    kind: 'grant',
    amount: promo.connects,
    source: 'promo',
    category: 'free',
    expiresAt,
    ref: promoRef(promo.code),
    reason: 'promo code',
    // Free Connects respect the holding cap of the freelancer's plan (older policies).
    holdingCap: policy.plans[freelancer.plan].holdingCap,
  };
}

/** Throws ConnectsFailure (rolling everything back) when the code is exhausted or already redeemed. */
async function redeemInTransaction(
  ctx: AppContext,
  promo: PromoCodeRow,
  freelancer: Freelancer,
  now: Instant,
): Promise<PromoRedemption> {
  const grant = grantFor(ctx, promo, freelancer, now);
  return ctx.store.transaction(async (tx) => {
    // The primary key (freelancer, code) settles a race between two requests of one freelancer.
    const claimed = await tx.query(
      `INSERT INTO promo_redemptions (freelancer_id, code, connects, expires_at, redeemed_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (freelancer_id, code) DO NOTHING RETURNING code`,
      [freelancer.id, promo.code, promo.connects, grant.expiresAt, now],
    );
    if (claimed.rows.length === 0) throw new ConnectsFailure(alreadyRedeemed(promo.code));
    // The guard in the WHERE clause is what keeps redemptions within the maximum.
    const counted = await tx.query(
      `UPDATE promo_codes SET redeemed = redeemed + 1
       WHERE code = $1 AND redeemed < max_redemptions RETURNING redeemed`,
      [promo.code],
    );
    if (counted.rows.length === 0) {
      throw new ConnectsFailure(
        connectsError('promo_code_exhausted', `Promo code ${promo.code} has no redemptions left.`, {
          code: promo.code,
          maxRedemptions: promo.max_redemptions,
        }),
      );
    }
    const applied = await tx.applyOps(freelancer.id, [grant], now, promoRef(promo.code));
    if (!applied.ok) throw new ConnectsFailure(applied.error);
    const lot = applied.value.entries.find((entry) => entry.lot !== undefined)?.lot;
    const stored = await tx.query<RedemptionRow>(
      `UPDATE promo_redemptions SET credited = $3, lot_no = $4
       WHERE freelancer_id = $1 AND code = $2 RETURNING ${redemptionColumns}`,
      [freelancer.id, promo.code, lot?.amount ?? 0, lot?.lotNo ?? null],
    );
    const row = stored.rows[0];
    if (row === undefined) throw new Error('a redemption row vanished');
    return redemptionFromRow(row);
  });
}
