import { emptyAccount, type AccountState, type Hold, type Lot } from '../core/types.ts';
import type { Operation } from '../core/ledger/operations.ts';
import { scopedKey, type LedgerCommand } from './command.ts';
import type { PayloadRef } from './payload.ts';
import {
  entryColumns,
  entryFromRow,
  holdColumns,
  holdFromRow,
  lotColumns,
  lotFromRow,
  type EntryRow,
  type HoldRow,
  type LotRow,
} from './rows.ts';
import type { StoredResult, StoredResultRow } from './stored-result.ts';

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
  /** Effective time of the account's last entry (null without entries). */
  last_effective_at: number | null;
}

export interface StoredRow {
  scope: string;
  key: string;
  request_hash: string;
  result: StoredResultRow;
  /** The entries the result names, read back from the ledger. */
  entries: EntryRow[];
}

/** The rows the load statements return, in statement order. */
export interface LoadRows {
  readonly accounts: readonly AccountRow[];
  readonly holds: readonly HoldRow[];
  readonly lots: readonly LotRow[];
  readonly stored: readonly StoredRow[];
}

/** The one lot an adjustment (a chargeback takes from the purchased lot only) or a lot correction names. */
export function namedLotNo(op: Operation): number | undefined {
  if (op.kind === 'correct_lot' || op.kind === 'extend_lot')
    return Number.isSafeInteger(op.lotNo) ? op.lotNo : undefined;
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

const accountsOf = (j: string) => `ANY(ARRAY(SELECT jsonb_array_elements_text(${j}->'accounts')))`;

/** Wraps a query so it returns one row with all its rows as JSON text: PGlite pays per result row, not per byte. */
const asJson = (sql: string, alias = 'r') =>
  `(SELECT coalesce(json_agg(${alias}), '[]')::text FROM (${sql}) ${alias})`;

const named = (j: string, field: string, second: 'hold_id' | 'lot_no') =>
  `SELECT account, ${second} FROM jsonb_to_recordset(${j}->'${field}')
     AS n(account text, ${second} ${second === 'lot_no' ? 'int' : 'text'})`;

/**
 * The two load statements. The first locks every account of the batch
 * (FOR UPDATE, sorted, so concurrent batches queue instead of deadlocking);
 * the second runs after it, in one snapshot, so it sees the latest committed
 * state: lots still holding Connects plus drained lots an operation names
 * (refund draws, an adjustment's lot, draws of a hold being released),
 * active holds plus settled holds an operation names, and the stored
 * results of the batch's idempotency keys with the entries they name. Each
 * returns one row of JSON text; the payload is parsed once per statement.
 */
export function loadStatements(p: PayloadRef): [lock: string, data: string] {
  const j = '(SELECT j FROM p)';
  const lock = `SELECT account, seq, next_lot_no,
      (SELECT effective_at FROM entries e WHERE e.account = a.account AND e.seq = a.seq) AS last_effective_at
    FROM accounts a WHERE account = ${accountsOf(p)}
    ORDER BY account FOR UPDATE`;
  const holds = `SELECT ${holdColumns} FROM holds WHERE account = ${accountsOf(j)}
    AND (status = 'active' OR (account, hold_id) IN (${named(j, 'holds', 'hold_id')}))`;
  const lots = `SELECT ${lotColumns} FROM lots WHERE account = ${accountsOf(j)}
    AND (remaining > 0 OR (account, lot_no) IN (${named(j, 'lots', 'lot_no')}
      UNION ALL SELECT h.account, (d->>'lotNo')::int FROM holds h, jsonb_array_elements(h.draws) d
        WHERE h.status = 'active' AND (h.account, h.hold_id) IN (${named(j, 'released', 'hold_id')})))`;
  const replayed = `SELECT ${entryColumns} FROM entries WHERE account = i.scope
    AND seq BETWEEN (i.result->>'firstSeq')::int8 AND (i.result->>'lastSeq')::int8 ORDER BY seq`;
  // One index probe per key (LIMIT keeps the planner from turning it into a scan of the table).
  const stored = `SELECT i.*, ${asJson(replayed, 'e')}::json AS entries
    FROM jsonb_to_recordset(${j}->'keys') AS k(scope text, key text),
    LATERAL (SELECT scope, key, request_hash, result FROM idempotency
      WHERE scope = k.scope AND key = k.key LIMIT 1) i`;
  return [
    `SELECT ${asJson(lock)} AS accounts`,
    `WITH p AS (SELECT ${p} AS j)
     SELECT ${asJson(holds)} AS holds, ${asJson(lots)} AS lots, ${asJson(stored)} AS stored`,
  ];
}

/** Reads the JSON the load statements return. */
export function parseLoadRows(lock: readonly unknown[], data: readonly unknown[]): LoadRows {
  const cell = (rows: readonly unknown[], column: string): unknown[] => {
    const row = rows[0] as Record<string, unknown> | undefined;
    const text = row?.[column];
    if (typeof text !== 'string') throw new Error(`load statement returned no ${column}`);
    return JSON.parse(text) as unknown[];
  };
  return {
    accounts: cell(lock, 'accounts') as AccountRow[],
    holds: cell(data, 'holds') as HoldRow[],
    lots: cell(data, 'lots') as LotRow[],
    stored: cell(data, 'stored') as StoredRow[],
  };
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
      ...(row.last_effective_at === null ? {} : { lastEffectiveAt: Number(row.last_effective_at) }),
    };
    accounts.set(row.account, { state, exists: true });
  }
  const stored = new Map<string, StoredResult>();
  for (const row of rows.stored) {
    const result = { entries: row.entries.map(entryFromRow), balance: row.result.balance };
    stored.set(scopedKey(row.scope, row.key), { hash: row.request_hash, result });
  }
  return { accounts, stored };
}
