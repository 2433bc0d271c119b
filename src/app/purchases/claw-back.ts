import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { compareConsumption, isSpendable } from '../../core/ledger/lot-order.ts';
import type { AdjustOp } from '../../core/ledger/operations.ts';
import type { Instant } from '../../core/time.ts';
import type { Entry, Lot } from '../../core/types.ts';

export interface ClawBack {
  /** Purchased Connects still unspent in the purchase's lot at `now`: what a refund removes. */
  readonly connects: number;
  /** The ledger operation that removes them; null when nothing is left. */
  readonly op: AdjustOp | null;
}

/**
 * Plans the removal of a purchase lot's unspent Connects (SPEC 3.3). Spent,
 * held or expired Connects are not unspent: a refund leaves them alone.
 *
 * The core cannot yet take Connects from a named lot: a negative `adjust`
 * draws in consumption order. It takes exactly this lot only when no other
 * spendable lot with Connects comes before it, so that is required here;
 * otherwise the refund is refused (`conflict`) rather than removing other
 * Connects in its place. A lot-targeted adjustment in the core lifts this.
 */
export function planClawBack(
  lots: readonly Lot[],
  lotNo: number,
  now: Instant,
  reason: string,
  ref: string,
): Result<ClawBack> {
  const lot = lots.find((candidate) => candidate.lotNo === lotNo);
  if (lot === undefined || lot.remaining === 0 || !isSpendable(lot, now))
    return ok({ connects: 0, op: null });
  const first = lots
    .filter((candidate) => candidate.remaining > 0 && isSpendable(candidate, now))
    .sort(compareConsumption)[0];
  if (first !== undefined && first.lotNo !== lotNo) {
    return err(
      connectsError(
        'conflict',
        `The purchase's ${lot.remaining} unspent Connects cannot be removed on their own yet: ` +
          `lot ${first.lotNo} is drawn before them.`,
        {
          lotNo,
          unspent: lot.remaining,
          drawnFirst: first.lotNo,
          reason: 'lot_not_first_in_consumption_order',
        },
      ),
    );
  }
  const op: AdjustOp = { kind: 'adjust', delta: -lot.remaining, expiresAt: lot.expiresAt, reason, ref };
  return ok({ connects: lot.remaining, op });
}

/** True when the entries removed exactly `connects` from lot `lotNo` and from no other lot. */
export function drewOnly(entries: readonly Entry[], lotNo: number, connects: number): boolean {
  const removals = entries.filter((entry) => entry.type === 'adjustment');
  if (removals.length !== 1) return false;
  const postings = removals[0]?.postings ?? [];
  return postings.length === 1 && postings[0]?.lotNo === lotNo && postings[0].amount === -connects;
}
