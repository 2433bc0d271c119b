import { z } from 'zod';
import type { Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import { instantOrMillisSchema } from '../input/instants.ts';
import { parseInput } from '../input/parse-input.ts';
import { executeLotOp, lotCorrectionInputSchema, type LotCorrectionResult } from './lot-correction.ts';

export const extendLotInputSchema = lotCorrectionInputSchema.extend({
  /** The new expiry: after now and after the current one, at most 5 years after the lot's issue. */
  expiresAt: instantOrMillisSchema,
});
export type ExtendLotInput = z.input<typeof extendLotInputSchema>;

/**
 * Moves one free lot's expiry later (support's goodwill after an outage). The
 * history stays append-only: an `adjustment` entry of 0 Connects carries the
 * lot with its new expiry and the operator's reason, and the store moves the
 * lot's expiry in the same transaction. Refused like a void (unknown, paid,
 * held or empty lot) and with lot_expiry_invalid for an earlier, past or
 * too distant expiry.
 */
export async function extendLot(
  ctx: AppContext,
  input: ExtendLotInput,
  now: Instant,
): Promise<Result<LotCorrectionResult>> {
  const parsed = parseInput(extendLotInputSchema, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  return executeLotOp(
    ctx,
    request,
    { kind: 'extend_lot', lotNo: request.lotNo, expiresAt: request.expiresAt, reason: request.reason },
    ['extend_lot', request.freelancerId, request.lotNo, request.reason, request.expiresAt],
    now,
    (e) => e.type === 'adjustment' && e.lot?.lotNo === request.lotNo,
  );
}
