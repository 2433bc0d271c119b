import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import type { RefundOutcome } from '../payments/payment-provider.ts';
import { purchaseRef } from './buy-connects.ts';
import { drewOnly, planClawBack } from './claw-back.ts';
import { reasonSchema } from './fields.ts';
import {
  loadPurchase,
  purchaseColumns,
  purchaseFromRow,
  type Purchase,
  type PurchaseRow,
} from './purchase-rows.ts';

export const refundPurchaseInputSchema = z.strictObject({
  freelancerId: idSchema,
  purchaseId: idSchema,
  /** Why (a chargeback, a support case); recorded on the purchase and the ledger entry. */
  reason: reasonSchema,
});
export type RefundPurchaseInput = z.input<typeof refundPurchaseInputSchema>;

/** Attempts to claw back while the lot keeps changing under concurrent spends; then the caller retries. */
const MAX_ATTEMPTS = 3;

export const refundKey = (freelancerId: string, purchaseId: string): string =>
  `purchase-refund:${freelancerId}:${purchaseId}`;

/**
 * Refunds a purchase (an operator's action, e.g. on a chargeback): removes the
 * purchased Connects still unspent in its lot, then returns the money charged
 * (price and tax) through the payment provider.
 *
 * Two steps, because a provider call cannot sit inside a transaction that may
 * run twice. First, in one transaction, the Connects are removed and the
 * purchase is marked `refunding`. Then the money is refunded, keyed by the
 * purchase, and the purchase marked `refunded`. If the provider fails, the
 * purchase stays `refunding` and repeating the request only retries the
 * money. A refunded purchase answers `purchase_already_refunded`.
 */
export async function refundPurchase(
  ctx: AppContext,
  input: RefundPurchaseInput,
  now: Instant,
): Promise<Result<Purchase>> {
  const parsed = parseInput(refundPurchaseInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId, purchaseId, reason } = parsed.value;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const row = await loadPurchase(ctx.store, freelancerId, purchaseId);
    if (row === undefined || row.status === 'declined') {
      return err(
        connectsError(
          'purchase_not_found',
          `No completed purchase ${purchaseId} for freelancer ${freelancerId}.`,
          {
            freelancerId,
            purchaseId,
            ...(row === undefined ? {} : { status: row.status }),
          },
        ),
      );
    }
    if (row.status === 'refunded') {
      return err(
        connectsError('purchase_already_refunded', `Purchase ${purchaseId} was already refunded.`, {
          purchaseId,
          refundedAt: row.refunded_at,
        }),
      );
    }
    if (row.status === 'refunding') return refundMoney(ctx, row, now);
    const marked = await clawBack(ctx, row, reason, now);
    if (!marked.ok) return marked;
    if (marked.value !== undefined) return refundMoney(ctx, marked.value, now);
    // The purchase or its lot changed meanwhile: look again.
  }
  return err(
    connectsError('conflict', 'The purchase changed while it was being refunded; retry the request.', {
      purchaseId,
    }),
  );
}

/** Thrown inside the transaction to roll it back when what it read has changed. */
class Changed extends Error {}

/**
 * Removes the unspent Connects and marks the purchase `refunding`, together.
 * Undefined when the purchase or its lot changed under it (nothing written).
 */
async function clawBack(
  ctx: AppContext,
  row: PurchaseRow,
  reason: string,
  now: Instant,
): Promise<Result<PurchaseRow | undefined>> {
  const lotNo = row.lot_no ?? 0;
  const lots = await ctx.store.lots(row.freelancer_id, { withRemaining: true });
  const plan = planClawBack(lots, lotNo, now, reason, purchaseRef(row.purchase_id));
  if (!plan.ok) return plan;
  const { connects, op } = plan.value;
  try {
    const marked = await ctx.store.transaction(async (tx) => {
      const updated = await tx.query<PurchaseRow>(
        `UPDATE purchases SET status = 'refunding', refund_reason = $3, clawed_back = $4, refund_requested_at = $5
         WHERE freelancer_id = $1 AND purchase_id = $2 AND status = 'succeeded' RETURNING ${purchaseColumns}`,
        [row.freelancer_id, row.purchase_id, reason, connects, now],
      );
      if (updated.rows[0] === undefined) throw new Changed();
      if (op !== null) {
        const applied = await tx.applyOps(
          row.freelancer_id,
          [op],
          now,
          refundKey(row.freelancer_id, row.purchase_id),
        );
        // A spend between reading the lot and now drew from it: the plan no longer holds.
        if (!applied.ok || !drewOnly(applied.value.entries, lotNo, connects)) throw new Changed();
      }
      return updated.rows[0];
    });
    return ok(marked);
  } catch (error) {
    if (error instanceof Changed) return ok(undefined);
    throw error;
  }
}

async function callRefund(ctx: AppContext, row: PurchaseRow): Promise<RefundOutcome> {
  if (row.total_cents === 0 || row.charge_id === null) return { status: 'succeeded', refundId: '' };
  try {
    return await ctx.payments.refund({
      idempotencyKey: refundKey(row.freelancer_id, row.purchase_id),
      chargeId: row.charge_id,
      amountCents: row.total_cents,
    });
  } catch (error) {
    return { status: 'failed', reason: error instanceof Error ? error.message : 'payment error' };
  }
}

async function refundMoney(ctx: AppContext, row: PurchaseRow, now: Instant): Promise<Result<Purchase>> {
  const outcome = await callRefund(ctx, row);
  if (outcome.status === 'failed') {
    return err(
      connectsError(
        'payment_unavailable',
        'The unspent Connects were removed but the money refund failed; repeat the request to retry it.',
        { purchaseId: row.purchase_id, reason: outcome.reason, status: 'refunding' },
      ),
    );
  }
  const updated = await ctx.store.query<PurchaseRow>(
    `UPDATE purchases SET status = 'refunded', refund_id = $3, refunded_at = $4
     WHERE freelancer_id = $1 AND purchase_id = $2 AND status = 'refunding' RETURNING ${purchaseColumns}`,
    [row.freelancer_id, row.purchase_id, outcome.refundId || null, now],
  );
  // Nothing updated: a concurrent request for the same refund finished it first.
  const done = updated.rows[0] ?? (await loadPurchase(ctx.store, row.freelancer_id, row.purchase_id));
  if (done === undefined) throw new Error('a purchase row vanished');
  return ok(purchaseFromRow(done));
}
