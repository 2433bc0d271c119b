import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ok, type Result } from '../../core/errors.ts';
import type { Balance } from '../../core/ledger/balance.ts';
import type { LotCorrectionOp } from '../../core/ledger/operations.ts';
import type { Instant } from '../../core/time.ts';
import type { Entry } from '../../core/types.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';
import type { AppContext } from '../context.ts';
import { idSchema } from '../input/ids.ts';
import { idempotencyKeySchema } from '../input/keys.ts';
import { parseInput } from '../input/parse-input.ts';
import { reasonSchema } from '../purchases/fields.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { adjustKey } from './adjust-connects.ts';

/** Lot numbers are per account, from 1; the store keeps them in a 32-bit integer. */
export const MAX_LOT_NO = 2_147_483_647;

/** The input of every correction of one lot of one freelancer. */
export const lotCorrectionInputSchema = z.strictObject({
  freelancerId: idSchema,
  lotNo: z.int().min(1).max(MAX_LOT_NO),
  /** Required: every correction says why (recorded on the entry). */
  reason: reasonSchema,
  /** The request's Idempotency-Key: a retry replays the original result. */
  idempotencyKey: idempotencyKeySchema,
});
export type LotCorrectionInput = z.input<typeof lotCorrectionInputSchema>;

export interface LotCorrectionResult {
  readonly freelancerId: string;
  readonly lotNo: number;
  /** The entry that emptied the lot: an `adjustment` for a void, an `expiry` for expire-now. */
  readonly entry: Entry;
  readonly balance: Balance;
  /** True when this answers a retry with the result stored the first time. */
  readonly replayed: boolean;
}

/**
 * Voids or expires one lot through the ledger, which refuses an unknown,
 * paid, held or empty lot in the same transaction that would write the entry
 * (so a hold placed meanwhile cannot slip past the check). Keys share the
 * admin namespace with adjustConnects: one key is one operator action.
 */
export async function runLotCorrection(
  action: LotCorrectionOp['action'],
  ctx: AppContext,
  input: LotCorrectionInput,
  now: Instant,
): Promise<Result<LotCorrectionResult>> {
  const parsed = parseInput(lotCorrectionInputSchema, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const freelancer = await requireFreelancer(ctx.store, request.freelancerId);
  if (!freelancer.ok) return freelancer;
  await renewCappedFirst(ctx, request.freelancerId, now);
  const key = adjustKey(request.idempotencyKey);
  const op: LotCorrectionOp = {
    kind: 'correct_lot',
    action,
    lotNo: request.lotNo,
    reason: request.reason,
    ref: key,
  };
  const hash = createHash('sha256')
    .update(JSON.stringify([`${action}_lot`, request.freelancerId, request.lotNo, request.reason]))
    .digest('base64url');
  const done = await ctx.store.execute({
    account: request.freelancerId,
    op,
    now,
    idempotencyKey: key,
    requestHash: hash,
  });
  if (!done.ok) return done;
  const type = action === 'void' ? 'adjustment' : 'expiry';
  const entry = done.value.entries.find((e) => e.type === type && e.postings[0]?.lotNo === request.lotNo);
  if (entry === undefined) throw new Error(`a lot correction wrote no ${type} entry`);
  return ok({
    freelancerId: request.freelancerId,
    lotNo: request.lotNo,
    entry,
    balance: done.value.balance,
    replayed: done.value.replayed,
  });
}
