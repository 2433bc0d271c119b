import type { Instant } from '../core/time.ts';
import { eventId } from './payload.ts';
import type { EventType, EventsQueryable } from './types.ts';

export const deliveryStatuses = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const MAX_DELIVERIES_PAGE = 500;

/** One event's delivery to one endpoint, as an operator inspects it. */
export interface Delivery {
  readonly eventId: string;
  readonly type: EventType;
  readonly freelancerId: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** Next try while pending; meaningless otherwise. */
  readonly nextAttemptAt: Instant | null;
  readonly lastAttemptAt: Instant | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Instant | null;
}

interface DeliveryRow {
  event_id: number;
  type: EventType;
  account: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

export interface DeliveryQuery {
  readonly status?: DeliveryStatus;
  /** 1 to 500; default 50. */
  readonly limit?: number;
}

/** An endpoint's deliveries, newest event first. */
export async function listDeliveries(
  db: EventsQueryable,
  endpointId: string,
  query: DeliveryQuery = {},
): Promise<Delivery[]> {
  const limit = Math.max(1, Math.min(MAX_DELIVERIES_PAGE, Math.trunc(query.limit ?? 50)));
  const rows = await db.query<DeliveryRow>(
    `SELECT d.event_id, o.type, d.account, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at,
            d.last_status, d.last_error, d.delivered_at
     FROM webhook_deliveries d JOIN event_outbox o ON o.account = d.account AND o.id = d.event_id
     WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2::text)
     ORDER BY d.event_id DESC LIMIT $3`,
    [endpointId, query.status ?? null, limit],
  );
  return rows.rows.map((r) => ({
    eventId: eventId(r.event_id),
    type: r.type,
    freelancerId: r.account,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastAttemptAt: r.last_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
  }));
}

/** Most failed deliveries one call puts back in the queue. */
export const MAX_RETRY_FAILED = 10_000;

/**
 * Puts an endpoint's failed deliveries back in the queue with a fresh retry
 * schedule (after the operator fixed the receiver). They go out in event
 * order per account, ahead of that account's later events still pending.
 */
export async function retryFailedDeliveries(
  db: EventsQueryable,
  endpointId: string,
  now: Instant,
): Promise<{ requeued: number }> {
  const rows = await db.query<{ n: number }>(
    `WITH failed AS (
       SELECT account, endpoint_id, event_id FROM webhook_deliveries
       WHERE endpoint_id = $1 AND status = 'failed'
       ORDER BY event_id LIMIT $3
     ), requeued AS (
       UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = $2::int8
       FROM failed f
       WHERE d.account = f.account AND d.endpoint_id = f.endpoint_id AND d.event_id = f.event_id
         AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = $1 AND e.active)
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM requeued`,
    [endpointId, now, MAX_RETRY_FAILED],
  );
  return { requeued: rows.rows[0]?.n ?? 0 };
}
