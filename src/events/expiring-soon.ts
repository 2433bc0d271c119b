import { MS_PER_DAY, type Instant } from '../core/time.ts';
import type { EventsQueryable } from './types.ts';

/** connects.expiring_soon goes out this many days before a lot expires (rules.md 7). */
export const EXPIRING_SOON_DAYS: readonly number[] = [30, 7];
/** Most notices one call writes; the scheduler calls again on its next tick. */
export const MAX_NOTICES_PER_CALL = 10_000;

export interface ExpiringSoonReport {
  /** connects.expiring_soon events written. */
  readonly notified: number;
}

/**
 * Writes connects.expiring_soon for lots that still hold Connects and expire
 * within one of the thresholds, once per lot and threshold (expiry_notices
 * remembers). A lot seen for the first time already inside 7 days gets only
 * the 7-day notice: the nearest threshold it is within, never a stale
 * 30-day one. Idempotent and safe to run from several processes at once
 * (the notice's primary key decides who writes the event). At most `limit`
 * notices per call, soonest expiry first.
 */
export async function notifyExpiringSoon(
  db: EventsQueryable,
  now: Instant,
  limit: number,
  thresholdsDays: readonly number[] = EXPIRING_SOON_DAYS,
): Promise<ExpiringSoonReport> {
  const days = [...new Set(thresholdsDays.map((d) => Math.trunc(d)))].filter((d) => d > 0 && d <= 366);
  if (days.length === 0) return { notified: 0 };
  const capped = Math.max(1, Math.min(MAX_NOTICES_PER_CALL, Math.trunc(limit)));
  const horizon = Math.max(...days) * MS_PER_DAY;
  const rows = await db.query<{ n: number }>(
    `WITH due AS (
       SELECT l.account, l.lot_no, l.source, l.category, l.remaining, l.expires_at,
         (SELECT min(t.d) FROM unnest($2::int4[]) AS t(d) WHERE l.expires_at <= $1::int8 + t.d::int8 * $5::int8) AS days
       FROM lots l
       WHERE l.remaining > 0 AND l.expires_at > $1::int8 AND l.expires_at <= $1::int8 + $3::int8
         AND l.issued_at <= $1::int8
     ), todo AS (
       SELECT * FROM due
       WHERE NOT EXISTS (SELECT 1 FROM expiry_notices n
                         WHERE n.account = due.account AND n.lot_no = due.lot_no AND n.days <= due.days)
       ORDER BY expires_at, account, lot_no
       LIMIT $4
     ), noted AS (
       INSERT INTO expiry_notices (account, lot_no, days, notified_at)
       SELECT account, lot_no, days, $1::int8 FROM todo
       ON CONFLICT DO NOTHING
       RETURNING account, lot_no, days
     ), written AS (
       INSERT INTO event_outbox (account, type, occurred_at, data)
       SELECT t.account, 'connects.expiring_soon', $1::int8, jsonb_build_object(
         'lotNo', t.lot_no, 'source', t.source, 'category', t.category,
         'remaining', t.remaining, 'expiresAt', t.expires_at, 'daysAhead', t.days)
       FROM todo t JOIN noted n ON n.account = t.account AND n.lot_no = t.lot_no AND n.days = t.days
       ORDER BY t.account, t.expires_at, t.lot_no
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM written`,
    [now, days, horizon, capped, MS_PER_DAY],
  );
  return { notified: rows.rows[0]?.n ?? 0 };
}

/** The scheduler's hook shape, `(now, limit) => items done`: notices written this call. */
export function notifyExpiringHook(db: EventsQueryable): (now: Instant, limit: number) => Promise<number> {
  return async (now, limit) => (await notifyExpiringSoon(db, now, limit)).notified;
}
