import type { Instant } from '../time.ts';
import type { Lot } from '../types.ts';

/** A lot is spendable at t iff issuedAt <= t < expiresAt (rules.md 1.2). */
export function isSpendable(lot: Lot, t: Instant): boolean {
  return lot.issuedAt <= t && t < lot.expiresAt;
}

/**
 * Consumption order (rules.md 1.3): soonest expiry, then oldest issue, then lot
 * number. With a uniform lifetime this is first-in first-out; when lifetimes
 * differ it spends first what would otherwise be lost.
 */
export function compareConsumption(a: Lot, b: Lot): number {
  return a.expiresAt - b.expiresAt || a.issuedAt - b.issuedAt || a.lotNo - b.lotNo;
}
