import type { Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import {
  lotCorrectionInputSchema,
  runLotCorrection,
  type LotCorrectionInput,
  type LotCorrectionResult,
} from './lot-correction.ts';

export const voidLotInputSchema = lotCorrectionInputSchema;
export type VoidLotInput = LotCorrectionInput;

/**
 * Removes what is left of one free lot (a promo granted by mistake) with an
 * `adjustment` entry carrying the operator's reason. Paid lots are refunded
 * through their purchase instead (lot_is_paid).
 */
export function voidLot(
  ctx: AppContext,
  input: VoidLotInput,
  now: Instant,
): Promise<Result<LotCorrectionResult>> {
  return runLotCorrection('void', ctx, input, now);
}
