import { assert } from '../errors.ts';
import type { AccountState, Entry, Hold, Lot } from '../types.ts';

/**
 * Rebuilds an account's full state (every lot and hold, settled or not)
 * from its entries. Entries are self-describing: a crediting entry carries
 * the lot it created and postings say exactly which lots moved, so replaying
 * the same entries always gives the same state.
 */
export function replay(account: string, entries: readonly Entry[]): AccountState {
  const lots = new Map<number, Lot>();
  const holds = new Map<string, Hold>();
  let seq = 0;
  let nextLotNo = 1;
  let lastEffectiveAt: number | undefined;
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    assert(entry.seq === seq + 1, `entries of ${account} have a gap before ${entry.seq}`);
    seq = entry.seq;
    lastEffectiveAt = entry.effectiveAt;
    // A lot's first entry creates it; a later one (an extension) carries its new expiry.
    const known = entry.lot === undefined ? undefined : lots.get(entry.lot.lotNo);
    if (entry.lot && known !== undefined) {
      lots.set(known.lotNo, { ...known, expiresAt: entry.lot.expiresAt });
    } else if (entry.lot) {
      lots.set(entry.lot.lotNo, { ...entry.lot, remaining: 0 });
      nextLotNo = Math.max(nextLotNo, entry.lot.lotNo + 1);
    }
    for (const p of entry.postings) {
      const lot = lots.get(p.lotNo);
      assert(lot !== undefined, `entry ${entry.seq} posts to unknown lot ${p.lotNo}`);
      lots.set(p.lotNo, { ...lot, remaining: lot.remaining + p.amount });
    }
    if (entry.holdId !== undefined) applyHoldEntry(holds, entry, entry.holdId);
  }
  return {
    account,
    seq,
    nextLotNo,
    lots: [...lots.values()].sort((a, b) => a.lotNo - b.lotNo),
    holds: [...holds.values()].sort((a, b) => (a.holdId < b.holdId ? -1 : a.holdId > b.holdId ? 1 : 0)),
    ...(lastEffectiveAt === undefined ? {} : { lastEffectiveAt }),
  };
}

function applyHoldEntry(holds: Map<string, Hold>, entry: Entry, holdId: string): void {
  if (entry.type === 'hold') {
    holds.set(holdId, {
      holdId,
      amount: entry.amount,
      draws: entry.postings,
      placedAt: entry.effectiveAt,
      ref: entry.ref,
      status: 'active',
      settledAt: null,
    });
    return;
  }
  const hold = holds.get(holdId);
  assert(hold !== undefined, `entry ${entry.seq} settles unknown hold ${holdId}`);
  const status = entry.type === 'hold_capture' ? 'captured' : 'released';
  holds.set(holdId, { ...hold, status, settledAt: entry.effectiveAt });
}
