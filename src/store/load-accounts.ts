import { emptyAccount, type AccountState, type Hold, type Lot } from '../core/types.ts';
import { scopedKey, type LedgerCommand } from './command.ts';
import { holdColumns, holdFromRow, lotColumns, lotFromRow, type HoldRow, type LotRow } from './rows.ts';
import type { SqlTx } from './sql-client.ts';
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

interface AccountRow {
  account: string;
  seq: number;
  next_lot_no: number;
}

/** (account, holdId) of every hold an operation of the batch names. */
function namedHolds(commands: readonly LedgerCommand[]): [string[], string[]] {
  const accounts: string[] = [];
  const ids: string[] = [];
  for (const cmd of commands) {
    for (const op of cmd.ops) {
      if (op.kind !== 'hold' && op.kind !== 'capture' && op.kind !== 'release') continue;
      accounts.push(cmd.account);
      ids.push(op.holdId);
    }
  }
  return [accounts, ids];
}

/** (account, lotNo) of drained lots a refund or release may put Connects back into. */
function namedLots(commands: readonly LedgerCommand[], holds: readonly HoldRow[]): [string[], number[]] {
  const accounts: string[] = [];
  const lotNos: number[] = [];
  const released = new Set<string>();
  for (const cmd of commands) {
    for (const op of cmd.ops) {
      if (op.kind === 'release') released.add(scopedKey(cmd.account, op.holdId));
      if (op.kind !== 'refund') continue;
      for (const draw of op.draws) {
        accounts.push(cmd.account);
        lotNos.push(draw.lotNo);
      }
    }
  }
  for (const hold of holds) {
    if (hold.status !== 'active' || !released.has(scopedKey(hold.account, hold.hold_id))) continue;
    for (const draw of hold.draws) {
      accounts.push(hold.account);
      lotNos.push(draw.lotNo);
    }
  }
  return [accounts, lotNos];
}

function group<T>(rows: readonly { account: string }[], map: (row: never) => T): Map<string, T[]> {
  const byAccount = new Map<string, T[]>();
  for (const row of rows) {
    const list = byAccount.get(row.account) ?? [];
    list.push(map(row as never));
    byAccount.set(row.account, list);
  }
  return byAccount;
}

/**
 * Locks every account the batch touches (FOR UPDATE, in one fixed order, so
 * concurrent batches queue instead of deadlocking) and loads what the core
 * needs, one query per table: lots still holding Connects plus drained lots
 * an operation names, active holds plus settled holds an operation names, and
 * the stored results of the batch's idempotency keys.
 */
export async function loadAccounts(tx: SqlTx, commands: readonly LedgerCommand[]): Promise<LoadedBatch> {
  const names = [...new Set(commands.map((cmd) => cmd.account))];
  const locked = await tx.query<AccountRow>(
    'SELECT account, seq, next_lot_no FROM accounts WHERE account = ANY($1::text[]) ORDER BY account FOR UPDATE',
    [names],
    'connects_lock_accounts',
  );
  const [holdAccounts, holdIds] = namedHolds(commands);
  const holds = await tx.query<HoldRow>(
    `SELECT ${holdColumns} FROM holds WHERE account = ANY($1::text[]) AND (status = 'active'
       OR (account, hold_id) IN (SELECT * FROM unnest($2::text[], $3::text[])))`,
    [names, holdAccounts, holdIds],
    'connects_load_holds',
  );
  const [lotAccounts, lotNos] = namedLots(commands, holds.rows);
  const lots = await tx.query<LotRow>(
    `SELECT ${lotColumns} FROM lots WHERE account = ANY($1::text[]) AND (remaining > 0
       OR (account, lot_no) IN (SELECT * FROM unnest($2::text[], $3::int[])))`,
    [names, lotAccounts, lotNos],
    'connects_load_lots',
  );
  const lotsOf = group<Lot>(lots.rows, lotFromRow);
  const holdsOf = group<Hold>(holds.rows, holdFromRow);
  const accounts = new Map<string, LoadedAccount>();
  for (const name of names) accounts.set(name, { state: emptyAccount(name), exists: false });
  for (const row of locked.rows) {
    const state: AccountState = {
      account: row.account,
      seq: row.seq,
      nextLotNo: row.next_lot_no,
      lots: lotsOf.get(row.account) ?? [],
      holds: holdsOf.get(row.account) ?? [],
    };
    accounts.set(row.account, { state, exists: true });
  }
  return { accounts, stored: await loadStoredResults(tx, commands) };
}

async function loadStoredResults(
  tx: SqlTx,
  commands: readonly LedgerCommand[],
): Promise<Map<string, StoredResult>> {
  const keyed = commands.filter((cmd) => cmd.key !== null);
  const stored = new Map<string, StoredResult>();
  if (keyed.length === 0) return stored;
  const rows = await tx.query<{
    scope: string;
    key: string;
    request_hash: string;
    result: StoredResult['result'];
  }>(
    `SELECT scope, key, request_hash, result FROM idempotency
     WHERE (scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keyed.map((cmd) => cmd.account), keyed.map((cmd) => cmd.key)],
    'connects_load_idempotency',
  );
  for (const row of rows.rows) {
    stored.set(scopedKey(row.scope, row.key), { hash: row.request_hash, result: row.result });
  }
  return stored;
}
