import type { Instant } from '../core/time.ts';
import type { EventsQueryable } from './types.ts';

/** One delivery the dispatcher has claimed: (account, endpoint, event) and its attempts so far. */
export interface ClaimedDelivery {
  readonly account: string;
  readonly endpointId: string;
  readonly eventId: number;
  readonly attempts: number;
}

/**
 * Claims up to `limit` due deliveries, each the head of its (endpoint,
 * account) chain: a delivery is never attempted while an earlier event of the
 * same account is still pending for the same endpoint. Claiming moves
 * next_attempt_at to `leaseUntil`, so another dispatcher does not send it too;
 * if this process dies mid-attempt, the delivery comes due again then.
 */
export async function claimDue(
  db: EventsQueryable,
  now: Instant,
  limit: number,
  leaseUntil: Instant,
): Promise<ClaimedDelivery[]> {
  const rows = await db.query<{ account: string; endpoint_id: string; event_id: number; attempts: number }>(
    `WITH pick AS (
       SELECT d.account, d.endpoint_id, d.event_id FROM webhook_deliveries d
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1::int8
         AND NOT EXISTS (
           SELECT 1 FROM webhook_deliveries p
           WHERE p.endpoint_id = d.endpoint_id AND p.account = d.account
             AND p.status = 'pending' AND p.event_id < d.event_id)
       ORDER BY d.next_attempt_at, d.event_id
       LIMIT $2
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_deliveries d SET next_attempt_at = $3::int8
     FROM pick
     WHERE d.account = pick.account AND d.endpoint_id = pick.endpoint_id AND d.event_id = pick.event_id
     RETURNING d.account, d.endpoint_id, d.event_id, d.attempts`,
    [now, limit, leaseUntil],
  );
  return rows.rows
    .map((r) => ({
      account: r.account,
      endpointId: r.endpoint_id,
      eventId: r.event_id,
      attempts: r.attempts,
    }))
    .sort((a, b) => a.eventId - b.eventId);
}

/** What one attempt came to. `nextAttemptAt` null on a failure means no retry is left. */
export interface AttemptOutcome {
  readonly delivery: ClaimedDelivery;
  readonly delivered: boolean;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly nextAttemptAt: Instant | null;
}

/** Records a round of attempts in one statement. A delivery cancelled meanwhile stays cancelled. */
export async function recordAttempts(db: EventsQueryable, now: Instant, outcomes: readonly AttemptOutcome[]) {
  if (outcomes.length === 0) return;
  const status = (o: AttemptOutcome) =>
    o.delivered ? 'delivered' : o.nextAttemptAt === null ? 'failed' : 'pending';
  await db.query(
    `UPDATE webhook_deliveries d SET
       status = u.status, attempts = d.attempts + 1, last_attempt_at = $1::int8,
       next_attempt_at = COALESCE(u.next_at, d.next_attempt_at), last_status = u.http_status,
       last_error = u.error, delivered_at = CASE WHEN u.status = 'delivered' THEN $1::int8 END
     FROM unnest($2::text[], $3::text[], $4::int8[], $5::text[], $6::int8[], $7::int4[], $8::text[])
       AS u(account, endpoint_id, event_id, status, next_at, http_status, error)
     WHERE d.account = u.account AND d.endpoint_id = u.endpoint_id AND d.event_id = u.event_id
       AND d.status = 'pending'`,
    [
      now,
      outcomes.map((o) => o.delivery.account),
      outcomes.map((o) => o.delivery.endpointId),
      outcomes.map((o) => o.delivery.eventId),
      outcomes.map(status),
      outcomes.map((o) => (o.delivered ? null : o.nextAttemptAt)),
      outcomes.map((o) => o.httpStatus),
      outcomes.map((o) => o.error),
    ],
  );
}
