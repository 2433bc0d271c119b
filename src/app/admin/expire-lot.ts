import type { Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import {
  lotCorrectionInputSchema,
  runLotCorrection,
  type LotCorrectionInput,
  type LotCorrectionResult,
} from './lot-correction.ts';

export const expireLotInputSchema = lotCorrectionInputSchema;
export type ExpireLotInput = LotCorrectionInput;

/**
 * Expires what is left of one free lot now, with an `expiry` entry (as the
 * sweep writes at a lot's own expiry) carrying the operator's reason.
 */
export function expireLot(
  ctx: AppContext,
  input: ExpireLotInput,
  now: Instant,
): Promise<Result<LotCorrectionResult>> {
  return runLotCorrection('expire', ctx, input, now);
}
