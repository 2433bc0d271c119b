import { ok, type Result } from '../../core/errors.ts';
import { isSpendable } from '../../core/ledger/lot-order.ts';
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
 * Plans the removal of a purchase lot's unspent Connects (rules.md 3.3). Spent,
 * held or expired Connects are not unspent: a refund leaves them alone. The
 * removal names the purchase lot, so it never takes other Connects instead.
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
  const op: AdjustOp = {
    kind: 'adjust',
    delta: -lot.remaining,
    expiresAt: lot.expiresAt,
    reason,
    ref,
    lotNo,
  };
  return ok({ connects: lot.remaining, op });
}

/** True when the entries removed exactly `connects` from lot `lotNo` and from no other lot. */
export function drewOnly(entries: readonly Entry[], lotNo: number, connects: number): boolean {
  const removals = entries.filter((entry) => entry.type === 'adjustment');
  if (removals.length !== 1) return false;
  const postings = removals[0]?.postings ?? [];
  return postings.length === 1 && postings[0]?.lotNo === lotNo && postings[0].amount === -connects;
}
