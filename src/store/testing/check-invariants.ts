import { replay } from '../../core/ledger/replay.ts';
import type { Entry, Hold, Lot } from '../../core/types.ts';
import {
  entryColumns,
  entryFromRow,
  holdFromRow,
  lotFromRow,
  type EntryRow,
  type HoldRow,
  type LotRow,
} from '../rows.ts';
import { holdColumns, lotColumns } from '../rows.ts';
import type { SqlQueryable } from '../sql-client.ts';

function byAccount<T>(rows: readonly { account: string }[], map: (row: never) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) out.set(row.account, [...(out.get(row.account) ?? []), map(row as never)]);
  return out;
}

/** Field lists in a fixed order: rows read back from jsonb do not keep key order. */
const lotTuples = (list: readonly Lot[]) =>
  [...list]
    .sort((a, b) => a.lotNo - b.lotNo)
    .map((l) => [l.lotNo, l.source, l.category, l.amount, l.remaining, l.issuedAt, l.expiresAt, l.ref]);

const holdTuples = (list: readonly Hold[]) =>
  [...list]
    .sort((a, b) => (a.holdId < b.holdId ? -1 : 1))
    .map((h) => [
      h.holdId,
      h.amount,
      h.draws.map((d) => [d.lotNo, d.amount]),
      h.placedAt,
      h.ref,
      h.status,
      h.settledAt,
    ]);

/**
 * Checks that the stored state is exactly what the history says: for every
 * account, replaying its entries gives the stored lots, holds, seq and next
 * lot number; no balance is negative; every idempotency row's effect is
 * present and every keyed entry has its idempotency row. Returns the
 * problems found (empty when consistent).
 */
export async function checkInvariants(db: Pick<SqlQueryable, 'query'>): Promise<string[]> {
  const problems: string[] = [];
  const accounts = await db.query<{ account: string; seq: number; next_lot_no: number }>(
    'SELECT account, seq, next_lot_no FROM accounts ORDER BY account',
  );
  const entries = byAccount<Entry>(
    (await db.query<EntryRow>(`SELECT ${entryColumns} FROM entries ORDER BY account, seq`)).rows,
    entryFromRow,
  );
  const lots = byAccount<Lot>((await db.query<LotRow>(`SELECT ${lotColumns} FROM lots`)).rows, lotFromRow);
  const holds = byAccount<Hold>(
    (await db.query<HoldRow>(`SELECT ${holdColumns} FROM holds`)).rows,
    holdFromRow,
  );
  for (const row of accounts.rows) {
    let state;
    try {
      state = replay(row.account, entries.get(row.account) ?? []);
    } catch (error) {
      problems.push(`${row.account}: ${String(error)}`);
      continue;
    }
    const same = (what: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${row.account}: ${what} differ`);
    };
    same('seq', state.seq, row.seq);
    same('next lot number', state.nextLotNo, row.next_lot_no);
    same('lots', lotTuples(state.lots), lotTuples(lots.get(row.account) ?? []));
    same('holds', holdTuples(state.holds), holdTuples(holds.get(row.account) ?? []));
  }
  const orphans = await db.query<{ account: string }>(
    `SELECT DISTINCT account FROM entries WHERE account NOT IN (SELECT account FROM accounts)
     UNION SELECT DISTINCT account FROM lots WHERE account NOT IN (SELECT account FROM accounts)`,
  );
  for (const row of orphans.rows) problems.push(`${row.account}: rows without an account`);
  const negative = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM entries WHERE balance_after < 0 OR available_after < 0',
  );
  if ((negative.rows[0]?.n ?? 0) > 0) problems.push('an entry has a negative balance');
  const unkeyed = await db.query<{ scope: string; key: string }>(
    `SELECT i.scope, i.key FROM idempotency i
     WHERE i.result->>'firstSeq' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.account = i.scope AND e.idempotency_key = i.key)`,
  );
  for (const row of unkeyed.rows) problems.push(`${row.scope}: key ${row.key} stored without its entries`);
  const missing = await db.query<{ account: string; key: string }>(
    `SELECT DISTINCT e.account, e.idempotency_key AS key FROM entries e
     WHERE e.idempotency_key IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM idempotency i WHERE i.scope = e.account AND i.key = e.idempotency_key)`,
  );
  for (const row of missing.rows)
    problems.push(`${row.account}: entries of key ${row.key} without its result`);
  return problems;
}
