import { connectsError, err, ok, type Result } from '../core/errors.ts';
import { entryTypes } from '../core/types.ts';
import { entryColumns, entryFromRow, type EntryRow } from './rows.ts';
import { selectRows } from './select-rows.ts';
import type { SqlQueryable, SqlValue } from './sql-client.ts';
import { MAX_ENTRIES_PAGE, type EntryPage, type EntryQuery } from './store.ts';

const DEFAULT_PAGE = 50;

type Order = 'asc' | 'desc';

/** A cursor is the last seq a page returned and the order it was read in; opaque to callers. */
export function encodeCursor(order: Order, seq: number): string {
  return Buffer.from(`${order}:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): { order: Order; seq: number } | undefined {
  const match = /^(asc|desc):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (match === null) return undefined;
  return { order: match[1] as Order, seq: Number(match[2]) };
}

const invalid = (message: string) => err<EntryPage>(connectsError('validation_failed', message));

/**
 * One page of an account's history. Entries are ordered by seq (the order
 * they were written), so a cursor stays valid while new entries arrive:
 * newest-first pages never repeat or skip an entry. `since`/`until` filter on
 * the effective time.
 */
export async function readEntries(
  db: SqlQueryable,
  account: string,
  q: EntryQuery = {},
): Promise<Result<EntryPage>> {
  const limit = q.limit ?? DEFAULT_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_ENTRIES_PAGE) {
    return invalid(`A page holds 1 to ${MAX_ENTRIES_PAGE} entries.`);
  }
  const order = q.order ?? 'desc';
  const params: SqlValue[] = [account];
  const where = ['account = $1'];
  const add = (clause: string, value: SqlValue) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (q.cursor !== undefined) {
    const cursor = decodeCursor(q.cursor);
    if (cursor === undefined || cursor.order !== order)
      return invalid('The cursor is not valid for this query.');
    add(order === 'desc' ? 'seq < ?' : 'seq > ?', cursor.seq);
  }
  if (q.since !== undefined) add('effective_at >= ?', q.since);
  if (q.until !== undefined) add('effective_at < ?', q.until);
  if (q.types !== undefined) {
    const known: readonly string[] = entryTypes;
    if (!q.types.every((type) => known.includes(type))) return invalid('Unknown entry type.');
    add('type = ANY(?::text[])', [...q.types]);
  }
  if (q.ref !== undefined) add('ref = ?', q.ref);
  const direction = order === 'desc' ? 'DESC' : 'ASC';
  const sql = `SELECT ${entryColumns} FROM entries WHERE ${where.join(' AND ')}
     ORDER BY seq ${direction} LIMIT ${limit + 1}`;
  const rows = await selectRows<EntryRow>(db, sql, params, `r.seq ${direction}`);
  const page = rows.slice(0, limit).map(entryFromRow);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(order, last.seq) : null;
  return ok({ entries: page, nextCursor });
}
