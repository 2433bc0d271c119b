import type {
  Entry,
  EntryType,
  Hold,
  HoldStatus,
  Lot,
  LotCategory,
  LotSource,
  Posting,
} from '../core/types.ts';

/** Row shapes as the drivers return them (int8 already parsed to number, jsonb to objects). */
export interface LotRow {
  account: string;
  lot_no: number;
  source: string;
  category: string;
  amount: number;
  remaining: number;
  issued_at: number;
  expires_at: number;
  ref: string | null;
}

export interface HoldRow {
  account: string;
  hold_id: string;
  amount: number;
  draws: Posting[];
  placed_at: number;
  ref: string | null;
  status: string;
  settled_at: number | null;
}

export interface EntryRow {
  account: string;
  seq: number;
  type: string;
  amount: number;
  postings: Posting[];
  balance_before: number;
  balance_after: number;
  available_before: number;
  available_after: number;
  effective_at: number;
  recorded_at: number;
  ref: string | null;
  reason: string | null;
  lot: Lot | null;
  hold_id: string | null;
}

export const lotColumns = 'account, lot_no, source, category, amount, remaining, issued_at, expires_at, ref';
export const holdColumns = 'account, hold_id, amount, draws, placed_at, ref, status, settled_at';
export const entryColumns =
  'account, seq, type, amount, postings, balance_before, balance_after, available_before, available_after, ' +
  'effective_at, recorded_at, ref, reason, lot, hold_id';

export function lotFromRow(row: LotRow): Lot {
  return {
    lotNo: row.lot_no,
    source: row.source as LotSource,
    category: row.category as LotCategory,
    amount: row.amount,
    remaining: row.remaining,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    ref: row.ref,
  };
}

export function holdFromRow(row: HoldRow): Hold {
  return {
    holdId: row.hold_id,
    amount: row.amount,
    draws: row.draws,
    placedAt: row.placed_at,
    ref: row.ref,
    status: row.status as HoldStatus,
    settledAt: row.settled_at,
  };
}

export function entryFromRow(row: EntryRow): Entry {
  return {
    seq: row.seq,
    type: row.type as EntryType,
    amount: row.amount,
    postings: row.postings,
    balanceBefore: row.balance_before,
    balanceAfter: row.balance_after,
    availableBefore: row.available_before,
    availableAfter: row.available_after,
    effectiveAt: row.effective_at,
    recordedAt: row.recorded_at,
    ref: row.ref,
    reason: row.reason,
    ...(row.lot === null ? {} : { lot: row.lot }),
    ...(row.hold_id === null ? {} : { holdId: row.hold_id }),
  };
}
