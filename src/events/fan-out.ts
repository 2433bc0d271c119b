import type { Instant } from '../core/time.ts';
import type { EventsDb } from './types.ts';

/** Arbitrary constant: the lock that lets one process at a time fan events out. */
const FAN_OUT_LOCK_KEY = 4_120_650;
export const MAX_FAN_OUT = 5_000;

export interface FanOutReport {
  /** Outbox events handled (including those no endpoint wanted). */
  readonly events: number;
  /** Deliveries created. */
  readonly deliveries: number;
}

/**
 * Turns outbox events into one pending delivery per active endpoint whose
 * filter matches, oldest event first, at most `limit` events. Events are
 * taken by a flag, not a cursor, so one whose transaction committed late is
 * never skipped. One process at a time (advisory lock): fanning out in outbox
 * order keeps each account's deliveries in its history order.
 */
export async function fanOut(db: EventsDb, now: Instant, limit: number): Promise<FanOutReport> {
  const capped = Math.max(1, Math.min(MAX_FAN_OUT, Math.trunc(limit)));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FAN_OUT_LOCK_KEY]);
    const rows = await tx.query<{ events: number; deliveries: number }>(
      `WITH batch AS (
         SELECT account, id, type FROM event_outbox WHERE fanned_out_at IS NULL ORDER BY id LIMIT $2
       ), made AS (
         INSERT INTO webhook_deliveries (account, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
         SELECT b.account, e.id, b.id, 'pending', 0, $1::int8, $1::int8
         FROM batch b JOIN webhook_endpoints e
           ON e.active AND (e.event_types IS NULL OR b.type = ANY (e.event_types))
         ON CONFLICT DO NOTHING
         RETURNING 1
       ), marked AS (
         UPDATE event_outbox o SET fanned_out_at = $1::int8
         FROM batch b WHERE o.account = b.account AND o.id = b.id
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM marked)::int AS events, (SELECT count(*) FROM made)::int AS deliveries`,
      [now, capped],
    );
    return rows.rows[0] ?? { events: 0, deliveries: 0 };
  });
}
