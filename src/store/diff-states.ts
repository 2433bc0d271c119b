import type { Balance } from '../core/ledger/balance.ts';
import type { Instant } from '../core/time.ts';
import type { AccountState, Entry, Hold, HoldStatus, Lot } from '../core/types.ts';
import type { LoadedBatch } from './load-accounts.ts';

/** Everything a batch writes, as rows; each row is written once however many commands touched it. */
export interface BatchWrites {
  readonly entries: { account: string; entry: Entry; key: string | null }[];
  readonly newLots: { account: string; lot: Lot }[];
  readonly changedLots: { account: string; lotNo: number; remaining: number; expiresAt: Instant }[];
  readonly newHolds: { account: string; hold: Hold }[];
  readonly settledHolds: { account: string; holdId: string; status: HoldStatus; settledAt: Instant | null }[];
  readonly newAccounts: { account: string; seq: number; nextLotNo: number; createdAt: Instant }[];
  readonly changedAccounts: { account: string; seq: number; nextLotNo: number }[];
  readonly results: {
    scope: string;
    key: string;
    hash: string;
    result: { entries: readonly Entry[]; balance: Balance };
    createdAt: Instant;
  }[];
}

/** Compares each account's final state with the loaded one to find the rows to insert or update. */
export function diffStates(
  loaded: LoadedBatch,
  finals: ReadonlyMap<string, AccountState>,
  createdAt: ReadonlyMap<string, Instant>,
  entries: BatchWrites['entries'],
  results: BatchWrites['results'],
): BatchWrites {
  const writes: BatchWrites = {
    entries,
    newLots: [],
    changedLots: [],
    newHolds: [],
    settledHolds: [],
    newAccounts: [],
    changedAccounts: [],
    results,
  };
  for (const [account, final] of finals) {
    const initial = loaded.accounts.get(account);
    if (initial === undefined) throw new Error(`account ${account} was not loaded`);
    const lotsBefore = new Map(initial.state.lots.map((lot) => [lot.lotNo, lot]));
    for (const lot of final.lots) {
      const before = lotsBefore.get(lot.lotNo);
      if (before === undefined) writes.newLots.push({ account, lot });
      else if (before.remaining !== lot.remaining || before.expiresAt !== lot.expiresAt) {
        writes.changedLots.push({
          account,
          lotNo: lot.lotNo,
          remaining: lot.remaining,
          expiresAt: lot.expiresAt,
        });
      }
    }
    const holdsBefore = new Map(initial.state.holds.map((hold) => [hold.holdId, hold]));
    for (const hold of final.holds) {
      const before = holdsBefore.get(hold.holdId);
      if (before === undefined) writes.newHolds.push({ account, hold });
      else if (before.status !== hold.status) {
        writes.settledHolds.push({
          account,
          holdId: hold.holdId,
          status: hold.status,
          settledAt: hold.settledAt,
        });
      }
    }
    if (!initial.exists) {
      if (final.seq > 0) {
        const at = createdAt.get(account) ?? 0;
        writes.newAccounts.push({ account, seq: final.seq, nextLotNo: final.nextLotNo, createdAt: at });
      }
    } else if (final.seq !== initial.state.seq || final.nextLotNo !== initial.state.nextLotNo) {
      writes.changedAccounts.push({ account, seq: final.seq, nextLotNo: final.nextLotNo });
    }
  }
  return writes;
}
