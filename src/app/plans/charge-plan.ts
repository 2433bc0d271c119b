import { createHash } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { ChargeOutcome } from '../payments/payment-provider.ts';

/**
 * Charges for Freelancer Plus. Always called before the transaction that
 * records the outcome, keyed so a retry (or a concurrent twin) gets the same
 * outcome and never a second charge.
 */

/** Key of a renewal charge: one per freelancer and cycle, whatever happens. */
export const renewalChargeKey = (freelancerId: string, cycleIndex: number): string =>
  `plus-renewal:${freelancerId}:${cycleIndex}`;

/**
 * Key of an upgrade charge: per freelancer, cycle and card, so a retry with
 * the same card replays its outcome while a declined card can be replaced.
 */
export function upgradeChargeKey(freelancerId: string, cycleIndex: number, card: string | null): string {
  const cardHash = createHash('sha256')
    .update(card ?? '')
    .digest('base64url')
    .slice(0, 12);
  return `plus-upgrade:${freelancerId}:${cycleIndex}:${cardHash}`;
}

export async function chargePlan(
  ctx: AppContext,
  key: string,
  card: string | null,
  amountCents: number,
  description: string,
): Promise<ChargeOutcome> {
  if (amountCents === 0) return { status: 'succeeded', chargeId: '' };
  if (card === null) return { status: 'declined', reason: 'no card on file' };
  try {
    return await ctx.payments.charge({
      idempotencyKey: key,
      amountCents,
      currency: 'USD',
      card,
      description,
    });
  } catch (error) {
    // An adapter that throws did not answer: the same as a transient failure.
    return {
      status: 'failed',
      reason: error instanceof Error ? error.message : 'payment error',
      retryable: true,
    };
  }
}

/**
 * Returns a charge that turned out not to be needed (the plan changed between
 * the charge and the transaction). Keyed by the charge, so it happens once.
 */
export async function refundUnused(ctx: AppContext, key: string, chargeId: string, amountCents: number) {
  if (chargeId === '' || amountCents === 0) return;
  await ctx.payments.refund({ idempotencyKey: `refund:${key}`, chargeId, amountCents });
}
