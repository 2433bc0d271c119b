import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';
import type { AppContext } from '../context.ts';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { loadPurchase, purchaseFromRow, type Purchase } from './purchase-rows.ts';

export const getPurchaseInputSchema = z.strictObject({ freelancerId: idSchema, purchaseId: idSchema });
export type GetPurchaseInput = z.input<typeof getPurchaseInputSchema>;

/**
 * One purchase of one freelancer (what a receipt shows). Another
 * freelancer's purchase id is purchase_not_found, exactly as an unknown one.
 */
export async function getPurchase(
  ctx: AppContext,
  input: GetPurchaseInput,
  _now: Instant,
): Promise<Result<Purchase>> {
  const parsed = parseInput(getPurchaseInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId, purchaseId } = parsed.value;
  const freelancer = await requireFreelancer(ctx.store, freelancerId);
  if (!freelancer.ok) return freelancer;
  const row = await loadPurchase(ctx.store, freelancerId, purchaseId);
  if (row === undefined) {
    const message = `No purchase ${purchaseId} for freelancer ${freelancerId}.`;
    return err(connectsError('purchase_not_found', message, { freelancerId, purchaseId }));
  }
  return ok(purchaseFromRow(row));
}
