import { balanceAsOf, balanceAt, type Balance } from '../core/ledger/balance.ts';
import type { Instant } from '../core/time.ts';
import type { Hold, Lot } from '../core/types.ts';
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
import type { SqlQueryable } from './sql-client.ts';

export async function readLots(db: SqlQueryable, account: string, withRemaining = false): Promise<Lot[]> {
  const filter = withRemaining ? ' AND remaining > 0' : '';
  const rows = await db.query<LotRow>(
    `SELECT ${lotColumns} FROM lots WHERE account = $1${filter} ORDER BY lot_no`,
    [account],
  );
  return rows.rows.map(lotFromRow);
}

export async function readHolds(db: SqlQueryable, account: string, includeSettled = false): Promise<Hold[]> {
  const filter = includeSettled ? '' : " AND status = 'active'";
  const rows = await db.query<HoldRow>(
    `SELECT ${holdColumns} FROM holds WHERE account = $1${filter} ORDER BY placed_at, hold_id`,
    [account],
  );
  return rows.rows.map(holdFromRow);
}

/**
 * Lazy balance at t: spendable lots' remaining plus active holds, whether or
 * not expiries were swept. Lots and holds come from one statement, so one
 * snapshot: a hold placed meanwhile is counted once, never twice or not at all.
 */
export async function readBalance(db: SqlQueryable, account: string, t: Instant): Promise<Balance> {
  const result = await db.query<{ lots: LotRow[]; holds: HoldRow[] }>(
    `SELECT
       (SELECT coalesce(jsonb_agg(l), '[]') FROM (SELECT ${lotColumns} FROM lots
          WHERE account = $1 AND remaining > 0) l) AS lots,
       (SELECT coalesce(jsonb_agg(h), '[]') FROM (SELECT ${holdColumns} FROM holds
          WHERE account = $1 AND status = 'active') h) AS holds`,
    [account],
    'connects_read_balance',
  );
  const row = result.rows[0];
  const lots = (row?.lots ?? []).map(lotFromRow);
  const holds = (row?.holds ?? []).map(holdFromRow);
  return balanceAt({ account, seq: 0, nextLotNo: 1, lots, holds }, t);
}

/** The balance at a past instant, rebuilt from the entries effective by then. */
export async function readBalanceAsOf(db: SqlQueryable, account: string, t: Instant): Promise<Balance> {
  const lots = await readLots(db, account);
  const rows = await db.query<EntryRow>(
    `SELECT ${entryColumns} FROM entries WHERE account = $1 AND effective_at <= $2 ORDER BY seq`,
    [account, t],
  );
  return balanceAsOf(lots, rows.rows.map(entryFromRow), t);
}
