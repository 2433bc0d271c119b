import { describe, expect, it } from 'vitest';
import type { Entry, Lot } from '../core/types.ts';
import { checkAccount, type StoredAccount } from './verify-account.ts';

const lot: Lot = {
  lotNo: 1,
  source: 'purchase',
  category: 'paid',
  amount: 10,
  remaining: 10,
  issuedAt: 1_000,
  expiresAt: 1_000_000,
  ref: null,
};
const base = { ref: null, reason: null, recordedAt: 1_000 };
const grant: Entry = {
  ...base,
  seq: 1,
  type: 'grant',
  amount: 10,
  postings: [{ lotNo: 1, amount: 10 }],
  balanceBefore: 0,
  balanceAfter: 10,
  availableBefore: 0,
  availableAfter: 10,
  effectiveAt: 1_000,
  lot,
};
const hold: Entry = {
  ...base,
  seq: 2,
  type: 'hold',
  amount: 4,
  postings: [{ lotNo: 1, amount: -4 }],
  balanceBefore: 10,
  balanceAfter: 10,
  availableBefore: 10,
  availableAfter: 6,
  effectiveAt: 2_000,
  holdId: 'h1',
};
const clean: StoredAccount = {
  account: 'ada',
  seq: 2,
  nextLotNo: 2,
  entries: [grant, hold],
  entryKeys: new Map([[2, 'k-2']]),
  lots: [{ ...lot, remaining: 6 }],
  holds: [
    {
      holdId: 'h1',
      amount: 4,
      draws: hold.postings,
      placedAt: 2_000,
      ref: null,
      status: 'active',
      settledAt: null,
    },
  ],
  idempotency: [{ key: 'k-2', firstSeq: 2, lastSeq: 2 }],
};
const kinds = (stored: StoredAccount) =>
  checkAccount(stored).discrepancies.map((d) => `${d.kind}: ${d.what}`);

describe('checkAccount', () => {
  it('finds nothing in a consistent account, and tallies both sides of conservation', () => {
    const check = checkAccount(clean);
    expect(check.discrepancies).toEqual([]);
    expect(check.tally).toMatchObject({ credited: 10, remaining: 6, held: 4, spent: 0 });
  });

  it('names each stored figure that differs from the replayed state', () => {
    expect(kinds({ ...clean, seq: 3 })).toEqual(['sequence_gap: entries after seq 2', 'seq: accounts.seq']);
    expect(kinds({ ...clean, nextLotNo: 5 })).toEqual(['next_lot_no: accounts.next_lot_no']);
    const released = clean.holds.map((h) => ({ ...h, status: 'released' as const }));
    expect(kinds({ ...clean, holds: released })).toEqual([
      'conservation: credited + refunded vs remaining + held + spent + expired',
      'hold: hold h1 status',
      'balance_head: entry 2 balanceAfter',
    ]);
    expect(kinds({ ...clean, lots: [] })).toContain('lot: lot 1');
  });

  it('reports a history the core cannot replay, and keys naming other entries', () => {
    const stray = { ...hold, postings: [{ lotNo: 9, amount: -4 }] };
    expect(kinds({ ...clean, entries: [grant, stray] })).toContain('replay_failed: replay of the entries');
    expect(kinds({ ...clean, entryKeys: new Map([[2, 'other']]) })).toEqual([
      'idempotency: key k-2 entry 2 idempotency_key',
    ]);
  });
});
