import type { Entry } from '../types.ts';

/** What refunds did to a balance, read from the entries they wrote (rules.md 1.8). */
export interface RefundOutcome {
  /** Connects the refund entries returned. */
  readonly refundedConnects: number;
  /** Of those, Connects that went back into a lot already expired and so expired at once. */
  readonly expiredAtOnce: number;
}

/**
 * Sums the refund entries and the expiries they caused. A refund into an
 * expired lot is followed, in the same operation, by an expiry of that lot;
 * the core materialises every other due expiry before the operation, so an
 * expiry right after a refund (recorded with it, before any other kind of
 * entry) of a lot the refund posted to is that refund's part expiring at once.
 */
export function refundOutcome(entries: readonly Entry[]): RefundOutcome {
  let refundedConnects = 0;
  let expiredAtOnce = 0;
  let refundedLots = new Map<number, number>();
  let refundedAt: number | null = null;
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (entry.type === 'refund') {
      refundedConnects += entry.amount;
      refundedLots = new Map(entry.postings.map((p) => [p.lotNo, p.amount]));
      refundedAt = entry.recordedAt;
      continue;
    }
    if (entry.type !== 'expiry' || entry.recordedAt !== refundedAt) {
      refundedLots = new Map();
      continue;
    }
    for (const p of entry.postings) {
      const room = refundedLots.get(p.lotNo) ?? 0;
      const part = Math.min(room, -p.amount);
      if (part <= 0) continue;
      expiredAtOnce += part;
      refundedLots.set(p.lotNo, room - part);
    }
  }
  return { refundedConnects, expiredAtOnce };
}
