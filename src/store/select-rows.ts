import type { SqlQueryable, SqlValue } from './sql-client.ts';

/**
 * Runs a query and returns its rows through one JSON value: PGlite pays a
 * fixed cost per result row (tens of microseconds), so any read that may
 * return many rows comes back as a single row of JSON text, parsed here.
 * `orderBy` orders the aggregate (columns of the query, prefixed `r.`).
 * Int8 values arrive as JSON numbers, exact for safe integers.
 */
export async function selectRows<R>(
  db: Pick<SqlQueryable, 'query'>,
  sql: string,
  params: readonly SqlValue[],
  orderBy: string,
): Promise<R[]> {
  const result = await db.query<{ rows: string }>(
    `SELECT coalesce(json_agg(r ORDER BY ${orderBy}), '[]')::text AS rows FROM (${sql}) r`,
    params,
  );
  return JSON.parse(result.rows[0]?.rows ?? '[]') as R[];
}
