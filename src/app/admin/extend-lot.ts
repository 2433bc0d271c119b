import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ok, type Result } from '../../core/errors.ts';
import type { ExtendLotOp } from '../../core/ledger/operations.ts';
import type { Instant } from '../../core/time.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';
import type { AppContext } from '../context.ts';
import { instantOrMillisSchema } from '../input/instants.ts';
import { parseInput } from '../input/parse-input.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { adjustKey } from './adjust-connects.ts';
import { lotCorrectionInputSchema, type LotCorrectionResult } from './lot-correction.ts';

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
  const freelancer = await requireFreelancer(ctx.store, request.freelancerId);
  if (!freelancer.ok) return freelancer;
  await renewCappedFirst(ctx, request.freelancerId, now);
  const key = adjustKey(request.idempotencyKey);
  const op: ExtendLotOp = {
    kind: 'extend_lot',
    lotNo: request.lotNo,
    expiresAt: request.expiresAt,
    reason: request.reason,
    ref: key,
  };
  const hash = createHash('sha256')
    .update(
      JSON.stringify(['extend_lot', request.freelancerId, request.lotNo, request.reason, request.expiresAt]),
    )
    .digest('base64url');
  const done = await ctx.store.execute({
    account: request.freelancerId,
    op,
    now,
    idempotencyKey: key,
    requestHash: hash,
  });
  if (!done.ok) return done;
  const entry = done.value.entries.find((e) => e.type === 'adjustment' && e.lot?.lotNo === request.lotNo);
  if (entry === undefined) throw new Error('a lot extension wrote no adjustment entry');
  return ok({
    freelancerId: request.freelancerId,
    lotNo: request.lotNo,
    entry,
    balance: done.value.balance,
    replayed: done.value.replayed,
  });
}
