import type { Instant } from '../../core/time.ts';
import type { LedgerStore } from '../../store/store.ts';

/**
 * The answers the HTTP layer stores for idempotent writes (table
 * http_idempotency) are kept this long in service time, then the scheduler
 * prunes them with the rest of its periodic work.
 */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Removes stored answers older than the retention, at most `limit` per call; returns how many. */
export async function pruneStoredAnswers(store: LedgerStore, now: Instant, limit: number): Promise<number> {
  const rows = await store.query<{ n: number }>(
    `WITH old AS (
       SELECT scope, key FROM http_idempotency WHERE created_at < $1 ORDER BY created_at LIMIT $2
     ), gone AS (
       DELETE FROM http_idempotency h USING old WHERE h.scope = old.scope AND h.key = old.key RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [now - IDEMPOTENCY_RETENTION_MS, limit],
  );
  return rows.rows[0]?.n ?? 0;
}
