import { balanceAt } from '../core/ledger/balance.ts';
import { replay } from '../core/ledger/replay.ts';
import type { AccountState, Entry, Hold, Lot } from '../core/types.ts';

/**
 * What `connects verify` checks for one account, as a pure function of the
 * rows read in one snapshot: the stored state is what replaying the history
 * through the core gives, the history is gapless and its balances chain,
 * Connects are conserved, and every idempotency row names real entries.
 */

export type DiscrepancyKind =
  | 'sequence_gap'
  | 'replay_failed'
  | 'seq'
  | 'next_lot_no'
  | 'lot'
  | 'hold'
  | 'balance_chain'
  | 'balance_head'
  | 'conservation'
  | 'idempotency'
  | 'orphan_rows'
  | 'total_conservation';

type Shown = string | number | null;

export interface Discrepancy {
  /** null for a finding about the whole ledger (the total conservation). */
  readonly account: string | null;
  readonly kind: DiscrepancyKind;
  /** Which figure: 'lot 3 remaining', 'entry 7 balanceBefore', ... */
  readonly what: string;
  readonly expected: Shown;
  readonly found: Shown;
}

/** The two sides of the conservation identity the core keeps (docs/ledger.md); forfeits apart. */
export interface ConnectsTally {
  credited: number;
  refunded: number;
  remaining: number;
  held: number;
  spent: number;
  expired: number;
  forfeited: number;
}

export const emptyTally = (): ConnectsTally => ({
  credited: 0,
  refunded: 0,
  remaining: 0,
  held: 0,
  spent: 0,
  expired: 0,
  forfeited: 0,
});

export interface StoredAccount {
  readonly account: string;
  readonly seq: number;
  readonly nextLotNo: number;
  /** In seq order. */
  readonly entries: readonly Entry[];
  /** Idempotency key of each keyed entry, by seq. */
  readonly entryKeys: ReadonlyMap<number, string>;
  readonly lots: readonly Lot[];
  readonly holds: readonly Hold[];
  readonly idempotency: readonly { key: string; firstSeq: number | null; lastSeq: number | null }[];
}

export interface AccountCheck {
  readonly discrepancies: Discrepancy[];
  readonly tally: ConnectsTally;
}

export function tallyOf(
  entries: readonly Entry[],
  lots: readonly Lot[],
  holds: readonly Hold[],
): ConnectsTally {
  const t = emptyTally();
  for (const e of entries) {
    if (e.type === 'grant' || (e.type === 'adjustment' && e.lot)) t.credited += e.amount;
    else if (e.type === 'adjustment' || e.type === 'debit' || e.type === 'hold_capture') t.spent += e.amount;
    else if (e.type === 'refund') t.refunded += e.amount;
    else if (e.type === 'expiry') t.expired += e.amount;
    else if (e.type === 'forfeit') t.forfeited += e.amount;
  }
  for (const l of lots) t.remaining += l.remaining;
  for (const h of holds) if (h.status === 'active') t.held += h.amount;
  return t;
}

export const creditedSide = (t: ConnectsTally): number => t.credited + t.refunded;
export const heldSide = (t: ConnectsTally): number => t.remaining + t.held + t.spent + t.expired;

export function checkAccount(stored: StoredAccount): AccountCheck {
  const out: Discrepancy[] = [];
  const add = (kind: DiscrepancyKind, what: string, expected: Shown, found: Shown): void => {
    out.push({ account: stored.account, kind, what, expected, found });
  };
  const tally = tallyOf(stored.entries, stored.lots, stored.holds);
  if (creditedSide(tally) !== heldSide(tally)) {
    add(
      'conservation',
      'credited + refunded vs remaining + held + spent + expired',
      creditedSide(tally),
      heldSide(tally),
    );
  }
  checkSequence(stored, add);
  checkIdempotency(stored, add);
  const gapless = stored.entries.every((e, i) => e.seq === i + 1);
  if (!gapless) return { discrepancies: out, tally };
  let state: AccountState;
  try {
    state = replay(stored.account, stored.entries);
  } catch (error) {
    add('replay_failed', 'replay of the entries', 'a state', (error as Error).message);
    return { discrepancies: out, tally };
  }
  if (state.seq !== stored.seq) add('seq', 'accounts.seq', state.seq, stored.seq);
  if (state.nextLotNo !== stored.nextLotNo)
    add('next_lot_no', 'accounts.next_lot_no', state.nextLotNo, stored.nextLotNo);
  compareLots(state.lots, stored.lots, add);
  compareHolds(state.holds, stored.holds, add);
  checkHead(stored, add);
  return { discrepancies: out, tally };
}

type Add = (kind: DiscrepancyKind, what: string, expected: Shown, found: Shown) => void;

function checkSequence(stored: StoredAccount, add: Add): void {
  let previous: Entry | undefined;
  for (const e of stored.entries) {
    if (e.seq !== (previous?.seq ?? 0) + 1) {
      add('sequence_gap', `entry after seq ${previous?.seq ?? 0}`, (previous?.seq ?? 0) + 1, e.seq);
    }
    if (previous !== undefined) {
      if (e.balanceBefore !== previous.balanceAfter) {
        add('balance_chain', `entry ${e.seq} balanceBefore`, previous.balanceAfter, e.balanceBefore);
      }
      if (e.availableBefore !== previous.availableAfter) {
        add('balance_chain', `entry ${e.seq} availableBefore`, previous.availableAfter, e.availableBefore);
      }
    } else if (e.balanceBefore !== 0) {
      add('balance_chain', `entry ${e.seq} balanceBefore`, 0, e.balanceBefore);
    }
    previous = e;
  }
  const last = stored.entries[stored.entries.length - 1];
  if (last !== undefined && last.seq < stored.seq) {
    add('sequence_gap', `entries after seq ${last.seq}`, stored.seq, last.seq);
  }
}

/** The last entry's balances are the stored lots and holds at its instant (due expiries are written by then). */
function checkHead(stored: StoredAccount, add: Add): void {
  const last = stored.entries[stored.entries.length - 1];
  if (last === undefined) return;
  const state: AccountState = {
    account: stored.account,
    seq: stored.seq,
    nextLotNo: stored.nextLotNo,
    lots: stored.lots,
    holds: stored.holds,
  };
  const now = balanceAt(state, last.effectiveAt);
  if (now.balance !== last.balanceAfter)
    add('balance_head', `entry ${last.seq} balanceAfter`, now.balance, last.balanceAfter);
  if (now.available !== last.availableAfter) {
    add('balance_head', `entry ${last.seq} availableAfter`, now.available, last.availableAfter);
  }
}

function checkIdempotency(stored: StoredAccount, add: Add): void {
  const bySeq = new Map(stored.entries.map((e) => [e.seq, e]));
  for (const row of stored.idempotency) {
    if (row.firstSeq === null || row.lastSeq === null) continue;
    for (let seq = row.firstSeq; seq <= row.lastSeq; seq += 1) {
      if (!bySeq.has(seq)) {
        add('idempotency', `key ${row.key} entry ${seq}`, 'an entry', 'none');
        break;
      }
      const key = stored.entryKeys.get(seq) ?? null;
      if (key !== row.key) {
        add('idempotency', `key ${row.key} entry ${seq} idempotency_key`, row.key, key);
        break;
      }
    }
  }
}

const lotFields = ['source', 'category', 'amount', 'remaining', 'issuedAt', 'expiresAt', 'ref'] as const;

function compareLots(expected: readonly Lot[], found: readonly Lot[], add: Add): void {
  const stored = new Map(found.map((l) => [l.lotNo, l]));
  for (const lot of expected) {
    const row = stored.get(lot.lotNo);
    stored.delete(lot.lotNo);
    if (row === undefined) {
      add('lot', `lot ${lot.lotNo}`, 'present', 'missing');
      continue;
    }
    for (const field of lotFields) {
      if (lot[field] !== row[field]) add('lot', `lot ${lot.lotNo} ${field}`, lot[field], row[field]);
    }
  }
  for (const lotNo of stored.keys()) add('lot', `lot ${lotNo}`, 'absent', 'present');
}

const drawsText = (h: Hold): string => h.draws.map((d) => `${d.lotNo}:${d.amount}`).join(' ');

function compareHolds(expected: readonly Hold[], found: readonly Hold[], add: Add): void {
  const stored = new Map(found.map((h) => [h.holdId, h]));
  for (const hold of expected) {
    const row = stored.get(hold.holdId);
    stored.delete(hold.holdId);
    if (row === undefined) {
      add('hold', `hold ${hold.holdId}`, 'present', 'missing');
      continue;
    }
    for (const field of ['amount', 'placedAt', 'ref', 'status', 'settledAt'] as const) {
      if (hold[field] !== row[field]) add('hold', `hold ${hold.holdId} ${field}`, hold[field], row[field]);
    }
    if (drawsText(hold) !== drawsText(row))
      add('hold', `hold ${hold.holdId} draws`, drawsText(hold), drawsText(row));
  }
  for (const holdId of stored.keys()) add('hold', `hold ${holdId}`, 'absent', 'present');
}
