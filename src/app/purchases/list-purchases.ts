import { z } from 'zod';
import { idSchema } from '../input/ids.ts';
import { parseInput } from '../input/parse-input.ts';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import type { AppContext } from '../context.ts';
import {
  purchaseColumns,
  purchaseFromRow,
  purchaseStatuses,
  type Purchase,
  type PurchaseRow,
} from './purchase-rows.ts';
import { requireFreelancer } from '../accounts/freelancer-rows.ts';

export const MAX_PURCHASES_PAGE = 100;

export const listPurchasesInputSchema = z.strictObject({
  freelancerId: idSchema,
  /** Only purchases in this state (a declined attempt has status `declined`). */
  status: z.enum(purchaseStatuses).optional(),
  limit: z.int().min(1).max(MAX_PURCHASES_PAGE).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type ListPurchasesInput = z.input<typeof listPurchasesInputSchema>;

export interface PurchasePage {
  /** Newest first. */
  readonly purchases: readonly Purchase[];
  readonly nextCursor: string | null;
}

type Position = readonly [createdAt: Instant, purchaseId: string];

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): Position | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAt, purchaseId] = value as unknown[];
    if (!Number.isSafeInteger(createdAt) || typeof purchaseId !== 'string') return undefined;
    return [createdAt as Instant, purchaseId];
  } catch {
    return undefined;
  }
}

/** A freelancer's purchases and declined attempts, newest first, a bounded page at a time. */
export async function listPurchases(
  ctx: AppContext,
  input: ListPurchasesInput,
  _now: Instant,
): Promise<Result<PurchasePage>> {
  const parsed = parseInput(listPurchasesInputSchema, input);
  if (!parsed.ok) return parsed;
  const { freelancerId, status, cursor } = parsed.value;
  const limit = parsed.value.limit ?? 50;
  const after = cursor === undefined ? null : decodeCursor(cursor);
  if (after === undefined)
    return err(connectsError('validation_failed', 'The cursor is not one this list issued.'));
  const freelancer = await requireFreelancer(ctx.store, freelancerId);
  if (!freelancer.ok) return freelancer;
  // One row more than the page tells whether another page follows.
  const rows = await ctx.store.query<PurchaseRow>(
    `SELECT ${purchaseColumns} FROM purchases
     WHERE freelancer_id = $1 AND ($2::text IS NULL OR status = $2)
       AND ($3::bigint IS NULL OR (created_at, purchase_id) < ($3::bigint, $4::text))
     ORDER BY created_at DESC, purchase_id DESC LIMIT $5`,
    [freelancerId, status ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  const page = rows.rows.slice(0, limit).map(purchaseFromRow);
  const last = page[page.length - 1];
  const nextCursor =
    rows.rows.length > limit && last !== undefined ? encodeCursor([last.createdAt, last.purchaseId]) : null;
  return ok({ purchases: page, nextCursor });
}
