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
import { selectRows } from './select-rows.ts';
import type { SqlQueryable } from './sql-client.ts';

export async function readLots(db: SqlQueryable, account: string, withRemaining = false): Promise<Lot[]> {
  const filter = withRemaining ? ' AND remaining > 0' : '';
  const sql = `SELECT ${lotColumns} FROM lots WHERE account = $1${filter}`;
  return (await selectRows<LotRow>(db, sql, [account], 'r.lot_no')).map(lotFromRow);
}

export async function readHolds(db: SqlQueryable, account: string, includeSettled = false): Promise<Hold[]> {
  const filter = includeSettled ? '' : " AND status = 'active'";
  const sql = `SELECT ${holdColumns} FROM holds WHERE account = $1${filter}`;
  return (await selectRows<HoldRow>(db, sql, [account], 'r.placed_at, r.hold_id')).map(holdFromRow);
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
  const sql = `SELECT ${entryColumns} FROM entries WHERE account = $1 AND effective_at <= $2`;
  const entries = await selectRows<EntryRow>(db, sql, [account, t], 'r.seq');
  return balanceAsOf(lots, entries.map(entryFromRow), t);
}
