import { MS_PER_DAY, type Instant } from '../core/time.ts';
import type { EventsQueryable } from './types.ts';

/** Default age after which finished events are removed (receivers deduplicate within it). */
export const DEFAULT_EVENT_RETENTION_MS = 30 * MS_PER_DAY;
export const MAX_PRUNE = 50_000;

export interface PruneReport {
  readonly deliveries: number;
  readonly events: number;
  readonly notices: number;
}

/**
 * Keeps the event tables from growing forever; at most `limit` rows of each
 * per call, so the scheduler can run it often without long transactions.
 * Removes delivered and cancelled deliveries created before `before`, then
 * outbox events fanned out before `before` that have no delivery left (a
 * failed or pending delivery keeps its event), and expiry notices of lots
 * that expired before `before`. The ledger itself is never touched.
 */
export async function pruneEvents(db: EventsQueryable, before: Instant, limit: number): Promise<PruneReport> {
  const capped = Math.max(1, Math.min(MAX_PRUNE, Math.trunc(limit)));
  const deliveries = await db.query<{ n: number }>(
    `WITH old AS (
       SELECT account, endpoint_id, event_id FROM webhook_deliveries
       WHERE status IN ('delivered', 'cancelled') AND created_at < $1::int8 LIMIT $2
     ), gone AS (
       DELETE FROM webhook_deliveries d USING old
       WHERE d.account = old.account AND d.endpoint_id = old.endpoint_id AND d.event_id = old.event_id
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [before, capped],
  );
  const events = await db.query<{ n: number }>(
    `WITH old AS (
       SELECT o.account, o.id FROM event_outbox o
       WHERE o.fanned_out_at < $1::int8
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.account = o.account AND d.event_id = o.id)
       LIMIT $2
     ), gone AS (
       DELETE FROM event_outbox o USING old WHERE o.account = old.account AND o.id = old.id RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [before, capped],
  );
  const notices = await db.query<{ n: number }>(
    `WITH old AS (
       SELECT n.account, n.lot_no FROM expiry_notices n
       JOIN lots l ON l.account = n.account AND l.lot_no = n.lot_no
       WHERE l.expires_at < $1::int8 LIMIT $2
     ), gone AS (
       DELETE FROM expiry_notices n USING old
       WHERE n.account = old.account AND n.lot_no = old.lot_no RETURNING 1
     )
     SELECT count(*)::int AS n FROM gone`,
    [before, capped],
  );
  return {
    deliveries: deliveries.rows[0]?.n ?? 0,
    events: events.rows[0]?.n ?? 0,
    notices: notices.rows[0]?.n ?? 0,
  };
}

/**
 * The scheduler's hook shape: prunes what is older than `retentionMs` and
 * reports the largest count of one table, so the tick calls again while any
 * table still filled its `limit`.
 */
export function pruneEventsHook(
  db: EventsQueryable,
  retentionMs: number = DEFAULT_EVENT_RETENTION_MS,
): (now: Instant, limit: number) => Promise<number> {
  return async (now, limit) => {
    const report = await pruneEvents(db, now - retentionMs, limit);
    return Math.max(report.deliveries, report.events, report.notices);
  };
}
