import type { Entry, Hold, Lot } from '../core/types.ts';
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
import type { LedgerStore, StoreTx } from './store.ts';
import type { StoredResultRow } from './stored-result.ts';
import {
  checkAccount,
  creditedSide,
  emptyTally,
  heldSide,
  type ConnectsTally,
  type Discrepancy,
  type StoredAccount,
} from './verify-account.ts';

/**
 * Verifies the whole ledger while it runs: accounts in id order, a bounded
 * batch at a time, each batch read in one REPEATABLE READ, READ ONLY
 * transaction, so a write landing between two of its statements cannot look
 * like a discrepancy. Memory holds one batch and the first `maxListed`
 * discrepancies; the rest are only counted.
 */

export const DEFAULT_VERIFY_BATCH = 2_000;
export const MAX_VERIFY_BATCH = 20_000;
export const DEFAULT_MAX_LISTED = 1_000;

export interface VerifyOptions {
  readonly batchSize?: number;
  readonly maxListed?: number;
  /** Called after each batch with the accounts checked so far and the total counted at the start. */
  readonly onProgress?: (checked: number, total: number) => void;
}

export interface VerifyReport {
  readonly accounts: number;
  readonly entries: number;
  /** Every discrepancy found (the listing may be shorter). */
  readonly discrepancyCount: number;
  /** The first `maxListed` discrepancies, in account order. */
  readonly discrepancies: readonly Discrepancy[];
  readonly totals: ConnectsTally;
}

interface AccountRow {
  account: string;
  seq: number;
  next_lot_no: number;
}

interface Batch {
  readonly accounts: AccountRow[];
  readonly stored: StoredAccount[];
  readonly entries: number;
  /** Rows in this batch's range that belong to no account (idempotency rows, entries, lots, holds). */
  readonly strays: readonly Discrepancy[];
}

export async function verifyLedger(
  store: Pick<LedgerStore, 'query' | 'transaction'>,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const batchSize = Math.min(options.batchSize ?? DEFAULT_VERIFY_BATCH, MAX_VERIFY_BATCH);
  const maxListed = options.maxListed ?? DEFAULT_MAX_LISTED;
  const counted = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  const total = counted.rows[0]?.n ?? 0;
  const listed: Discrepancy[] = [];
  let count = 0;
  const report = (d: Discrepancy): void => {
    count += 1;
    if (listed.length < maxListed) listed.push(d);
  };
  const totals = emptyTally();
  let accounts = 0;
  let entries = 0;
  let after = '';
  for (;;) {
    const batch = await store.transaction((tx) => readBatch(tx, after, batchSize));
    for (const stored of batch.stored) {
      const check = checkAccount(stored);
      check.discrepancies.forEach(report);
      for (const key of Object.keys(totals) as (keyof ConnectsTally)[]) totals[key] += check.tally[key];
    }
    batch.strays.forEach(report);
    accounts += batch.accounts.length;
    entries += batch.entries;
    options.onProgress?.(accounts, Math.max(total, accounts));
    const last = batch.accounts[batch.accounts.length - 1];
    if (last === undefined || batch.accounts.length < batchSize) break;
    after = last.account;
  }
  if (creditedSide(totals) !== heldSide(totals)) {
    report({
      account: null,
      kind: 'total_conservation',
      what: 'credited + refunded vs remaining + held + spent + expired, all accounts',
      expected: creditedSide(totals),
      found: heldSide(totals),
    });
  }
  return { accounts, entries, discrepancyCount: count, discrepancies: listed, totals };
}

/** One batch of accounts after `after`, with everything they own, in one snapshot. */
async function readBatch(tx: StoreTx, after: string, limit: number): Promise<Batch> {
  await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  const accounts = (
    await tx.query<AccountRow>(
      'SELECT account, seq, next_lot_no FROM accounts WHERE account > $1 ORDER BY account LIMIT $2',
      [after, limit],
    )
  ).rows;
  // The last batch also reads rows beyond the last account: they belong to no account.
  const upper = accounts.length < limit ? null : (accounts[accounts.length - 1]?.account ?? null);
  const within = (column: string): string =>
    upper === null ? `${column} > $1` : `${column} > $1 AND ${column} <= $2`;
  const range = upper === null ? [after] : [after, upper];
  const keyRows = (
    await tx.query<KeyRow>(
      `SELECT scope, key, result FROM idempotency WHERE ${within('scope')} AND result->>'firstSeq' IS NOT NULL`,
      range,
    )
  ).rows;
  const entryRows = (
    await tx.query<EntryRow & { idempotency_key: string | null }>(
      `SELECT ${entryColumns}, idempotency_key FROM entries WHERE ${within('account')} ORDER BY account, seq`,
      range,
    )
  ).rows;
  const lotRows = (await tx.query<LotRow>(`SELECT ${lotColumns} FROM lots WHERE ${within('account')}`, range))
    .rows;
  const holdRows = (
    await tx.query<HoldRow>(`SELECT ${holdColumns} FROM holds WHERE ${within('account')}`, range)
  ).rows;
  const known = new Set(accounts.map((a) => a.account));
  return {
    accounts,
    stored: assemble(accounts, entryRows, lotRows, holdRows, keyRows),
    entries: entryRows.length,
    strays: [
      ...strayKeys(known, keyRows),
      ...orphans(known, 'entries', entryRows),
      ...orphans(known, 'lots', lotRows),
      ...orphans(known, 'holds', holdRows),
    ],
  };
}

type KeyRow = { scope: string; key: string; result: StoredResultRow };

/** Idempotency rows whose scope is no account: their entries cannot exist. */
function strayKeys(known: ReadonlySet<string>, keyRows: readonly KeyRow[]): Discrepancy[] {
  return keyRows
    .filter((k) => !known.has(k.scope))
    .map((k) => ({
      account: k.scope,
      kind: 'idempotency' as const,
      what: `key ${k.key}: no such account`,
      expected: 'an account',
      found: 'none',
    }));
}

/** Rows of a table whose account has no account row: one finding per account and table. */
function orphans(
  known: ReadonlySet<string>,
  table: string,
  rows: readonly { account: string }[],
): Discrepancy[] {
  const counts = new Map<string, number>();
  for (const row of rows)
    if (!known.has(row.account)) counts.set(row.account, (counts.get(row.account) ?? 0) + 1);
  return [...counts].map(([account, n]) => ({
    account,
    kind: 'orphan_rows' as const,
    what: `${table} rows without an account row`,
    expected: 0,
    found: n,
  }));
}

function group<R extends { account: string }>(rows: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const row of rows) {
    const list = out.get(row.account);
    if (list === undefined) out.set(row.account, [row]);
    else list.push(row);
  }
  return out;
}

function assemble(
  accounts: readonly AccountRow[],
  entryRows: readonly (EntryRow & { idempotency_key: string | null })[],
  lotRows: readonly LotRow[],
  holdRows: readonly HoldRow[],
  keyRows: readonly { scope: string; key: string; result: StoredResultRow }[],
): StoredAccount[] {
  const entries = group(entryRows);
  const lots = group(lotRows);
  const holds = group(holdRows);
  const keys = group(keyRows.map((r) => ({ ...r, account: r.scope })));
  return accounts.map((row) => {
    const own = entries.get(row.account) ?? [];
    const entryKeys = new Map<number, string>();
    for (const e of own) if (e.idempotency_key !== null) entryKeys.set(e.seq, e.idempotency_key);
    return {
      account: row.account,
      seq: row.seq,
      nextLotNo: row.next_lot_no,
      entries: own.map((e): Entry => entryFromRow(e)),
      entryKeys,
      lots: (lots.get(row.account) ?? []).map((l): Lot => lotFromRow(l)),
      holds: (holds.get(row.account) ?? []).map((h): Hold => holdFromRow(h)),
      idempotency: (keys.get(row.account) ?? []).map((k) => ({
        key: k.key,
        firstSeq: k.result.firstSeq ?? null,
        lastSeq: k.result.lastSeq ?? null,
      })),
    };
  });
}
