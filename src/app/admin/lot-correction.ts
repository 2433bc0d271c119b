import { z } from 'zod';
import { ok, type Result } from '../../core/errors.ts';
import type { Balance } from '../../core/ledger/balance.ts';
import type { ExtendLotOp, LotCorrectionOp, Operation } from '../../core/ledger/operations.ts';
import type { Instant } from '../../core/time.ts';
import type { Entry } from '../../core/types.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';
import type { AppContext } from '../context.ts';
import { idSchema } from '../input/ids.ts';
import { idempotencyKeySchema } from '../input/keys.ts';
import { parseInput } from '../input/parse-input.ts';
import { reasonSchema } from '../purchases/fields.ts';
import { renewCappedFirst } from '../scheduler/renew-first.ts';
import { requestHash } from '../../store/request-hash.ts';
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

/** The parts of a lot operation the caller names; the key becomes its `ref`. */
type LotOp = Omit<LotCorrectionOp, 'ref'> | Omit<ExtendLotOp, 'ref'>;

/**
 * Runs one operator action on one lot: the freelancer must exist, a due
 * capped renewal is written first, then the ledger applies `op` under the
 * admin key namespace, refusing an unknown, paid, held or empty lot in the
 * same transaction that would write the entry (so a hold placed meanwhile
 * cannot slip past the check). `hashParts` name the request for the key;
 * `written` picks the entry the answer shows.
 */
export async function executeLotOp(
  ctx: AppContext,
  lot: { readonly freelancerId: string; readonly lotNo: number; readonly idempotencyKey: string },
  op: LotOp,
  hashParts: readonly unknown[],
  now: Instant,
  written: (entry: Entry) => boolean,
): Promise<Result<LotCorrectionResult>> {
  const freelancer = await requireFreelancer(ctx.store, lot.freelancerId);
  if (!freelancer.ok) return freelancer;
  await renewCappedFirst(ctx, lot.freelancerId, now);
  const key = adjustKey(lot.idempotencyKey);
  const done = await ctx.store.execute({
    account: lot.freelancerId,
    op: { ...op, ref: key } as Operation,
    now,
    idempotencyKey: key,
    requestHash: requestHash(hashParts),
  });
  if (!done.ok) return done;
  const entry = done.value.entries.find(written);
  if (entry === undefined)
    throw new Error(`the lot operation ${op.kind} wrote no entry for lot ${lot.lotNo}`);
  return ok({
    freelancerId: lot.freelancerId,
    lotNo: lot.lotNo,
    entry,
    balance: done.value.balance,
    replayed: done.value.replayed,
  });
}

/** Voids or expires one lot (see executeLotOp for what is refused). Keys share the admin namespace with adjustConnects. */
export async function runLotCorrection(
  action: LotCorrectionOp['action'],
  ctx: AppContext,
  input: LotCorrectionInput,
  now: Instant,
): Promise<Result<LotCorrectionResult>> {
  const parsed = parseInput(lotCorrectionInputSchema, input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const type = action === 'void' ? 'adjustment' : 'expiry';
  return executeLotOp(
    ctx,
    request,
    { kind: 'correct_lot', action, lotNo: request.lotNo, reason: request.reason },
    [`${action}_lot`, request.freelancerId, request.lotNo, request.reason],
    now,
    (e) => e.type === type && e.postings[0]?.lotNo === request.lotNo,
  );
}
