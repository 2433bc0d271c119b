import { emptyAccount, type AccountState, type Hold, type Lot } from '../core/types.ts';
import type { Operation } from '../core/ledger/operations.ts';
import { scopedKey, type LedgerCommand } from './command.ts';
import type { PayloadRef } from './payload.ts';
import { holdColumns, holdFromRow, lotColumns, lotFromRow, type HoldRow, type LotRow } from './rows.ts';
import type { StoredResult } from './stored-result.ts';

export interface LoadedAccount {
  readonly state: AccountState;
  /** False when the account has no row yet; the write creates it. */
  readonly exists: boolean;
}

export interface LoadedBatch {
  readonly accounts: ReadonlyMap<string, LoadedAccount>;
  /** Stored results by scopedKey(account, key), for the keys the batch carries. */
  readonly stored: ReadonlyMap<string, StoredResult>;
}

export interface AccountRow {
  account: string;
  seq: number;
  next_lot_no: number;
}

export interface StoredRow {
  scope: string;
  key: string;
  request_hash: string;
  result: StoredResult['result'];
}

/** The rows the load statements return, in statement order. */
export interface LoadRows {
  readonly accounts: readonly AccountRow[];
  readonly holds: readonly HoldRow[];
  readonly lots: readonly LotRow[];
  readonly stored: readonly StoredRow[];
}

/** The one lot an adjustment may name (a chargeback takes from the purchased lot only). */
export function namedLotNo(op: Operation): number | undefined {
  if (op.kind !== 'adjust' || !('lotNo' in op)) return undefined;
  return typeof op.lotNo === 'number' ? op.lotNo : undefined;
}

/** What the load statements need to know about a batch: its accounts and the holds, lots and keys it names. */
export function loadPayload(commands: readonly LedgerCommand[]): string {
  const accounts = [...new Set(commands.map((cmd) => cmd.account))];
  const holds: { account: string; hold_id: string }[] = [];
  const released: { account: string; hold_id: string }[] = [];
  const lots: { account: string; lot_no: number }[] = [];
  const keys: { scope: string; key: string }[] = [];
  for (const cmd of commands) {
    if (cmd.key !== null) keys.push({ scope: cmd.account, key: cmd.key });
    for (const op of cmd.ops) {
      if (op.kind === 'hold' || op.kind === 'capture' || op.kind === 'release') {
        holds.push({ account: cmd.account, hold_id: op.holdId });
      }
      if (op.kind === 'release') released.push({ account: cmd.account, hold_id: op.holdId });
      if (op.kind === 'refund')
        for (const d of op.draws) lots.push({ account: cmd.account, lot_no: d.lotNo });
      const lotNo = namedLotNo(op);
      if (lotNo !== undefined) lots.push({ account: cmd.account, lot_no: lotNo });
    }
  }
  return JSON.stringify({ accounts, holds, released, lots, keys });
}

const accountsOf = (p: PayloadRef) => `ANY(ARRAY(SELECT jsonb_array_elements_text(${p}->'accounts')))`;

/**
 * The load statements, in order. The first locks every account of the batch
 * (FOR UPDATE, sorted, so concurrent batches queue instead of deadlocking);
 * the others run after it and so see the latest committed state. One
 * statement per table: lots still holding Connects plus drained lots an
 * operation names (refund draws, draws of a hold being released), active
 * holds plus settled holds an operation names, and the stored results of
 * the batch's idempotency keys.
 */
export function loadStatements(p: PayloadRef): string[] {
  const named = (field: string, alias: string, second: string) =>
    `SELECT account, ${second} FROM jsonb_to_recordset(${p}->'${field}') AS ${alias}(account text, ${second} ${
      second === 'lot_no' ? 'int' : 'text'
    })`;
  return [
    `SELECT account, seq, next_lot_no FROM accounts WHERE account = ${accountsOf(p)} ORDER BY account FOR UPDATE`,
    `SELECT ${holdColumns} FROM holds WHERE account = ${accountsOf(p)}
       AND (status = 'active' OR (account, hold_id) IN (${named('holds', 'n', 'hold_id')}))`,
    `SELECT ${lotColumns} FROM lots WHERE account = ${accountsOf(p)}
       AND (remaining > 0 OR (account, lot_no) IN (${named('lots', 'n', 'lot_no')}
         UNION ALL SELECT h.account, (d->>'lotNo')::int FROM holds h, jsonb_array_elements(h.draws) d
           WHERE h.status = 'active' AND (h.account, h.hold_id) IN (${named('released', 'r', 'hold_id')})))`,
    `SELECT scope, key, request_hash, result FROM idempotency
       WHERE (scope, key) IN (SELECT scope, key FROM jsonb_to_recordset(${p}->'keys') AS k(scope text, key text))`,
  ];
}

function group<T>(rows: readonly { account: string }[], map: (row: never) => T): Map<string, T[]> {
  const byAccount = new Map<string, T[]>();
  for (const row of rows) {
    const list = byAccount.get(row.account);
    if (list === undefined) byAccount.set(row.account, [map(row as never)]);
    else list.push(map(row as never));
  }
  return byAccount;
}

/** Builds each account's state from the loaded rows; an account without a row starts empty. */
export function loadedBatch(commands: readonly LedgerCommand[], rows: LoadRows): LoadedBatch {
  const lotsOf = group<Lot>(rows.lots, lotFromRow);
  const holdsOf = group<Hold>(rows.holds, holdFromRow);
  const accounts = new Map<string, LoadedAccount>();
  for (const cmd of commands) accounts.set(cmd.account, { state: emptyAccount(cmd.account), exists: false });
  for (const row of rows.accounts) {
    const state: AccountState = {
      account: row.account,
      seq: row.seq,
      nextLotNo: row.next_lot_no,
      lots: lotsOf.get(row.account) ?? [],
      holds: holdsOf.get(row.account) ?? [],
    };
    accounts.set(row.account, { state, exists: true });
  }
  const stored = new Map<string, StoredResult>();
  for (const row of rows.stored) {
    stored.set(scopedKey(row.scope, row.key), { hash: row.request_hash, result: row.result });
  }
  return { accounts, stored };
}
