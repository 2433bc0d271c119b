import { toIso } from '../core/time.ts';
import type { EntryType, Lot, LotCategory, LotSource, Posting } from '../core/types.ts';
import type { EventType, EventsQueryable } from './types.ts';

/** The ledger entry behind connects.granted/spent/refunded/expired and balance.low. */
export interface LedgerEventData {
  readonly freelancerId: string;
  /** The entry's per-account sequence number: the order of the account's history. */
  readonly seq: number;
  readonly entryType: EntryType;
  /** Connects moved, always >= 0; the direction is in the event type. */
  readonly amount: number;
  readonly balanceBefore: number;
  readonly balanceAfter: number;
  readonly availableAfter: number;
  /** The lots the entry touched: negative amounts left a lot, positive ones entered it. */
  readonly lots: readonly Posting[];
  /** The lot the entry created (grants, positive adjustments, fresh-lot refunds). */
  readonly lot?: {
    readonly lotNo: number;
    readonly source: LotSource;
    readonly category: LotCategory;
    readonly amount: number;
    readonly issuedAt: string;
    readonly expiresAt: string;
  };
  readonly holdId?: string;
  readonly ref: string | null;
  readonly reason: string | null;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  /** balance.low only: the operator's threshold the balance fell below. */
  readonly threshold?: number;
  /**
   * connects.refunded only: Connects of this refund that went back into a lot already expired and so
   * expired at once (a connects.expired event follows): the balance grew by amount - expiredAtOnce.
   */
  readonly expiredAtOnce?: number;
}

export interface ExpiringSoonData {
  readonly freelancerId: string;
  readonly lotNo: number;
  readonly source: LotSource;
  readonly category: LotCategory;
  /** Connects of the lot still unspent when the notice was made. */
  readonly remaining: number;
  readonly expiresAt: string;
  /** The notice threshold: 30 or 7 days ahead. */
  readonly daysAhead: number;
}

/**
 * policy.scheduled, policy.withdrawn and policy.effective: the deployment's
 * timeline changed, or a scheduled policy took effect (docs/policy.md).
 */
export interface PolicyEventData {
  readonly policyId: string;
  readonly name: string;
  readonly effectiveFrom: string;
  /** scheduled and withdrawn: the operator's note and who did it. */
  readonly note?: string | null;
  readonly actor?: string;
  /** scheduled: true when it replaced a scheduled policy with the same id. */
  readonly replaced?: boolean;
}

/** The JSON body of a delivery (Standard Webhooks shape: type, timestamp, data; plus the id). */
export interface WebhookEvent {
  /** Stable across retries; also sent as the webhook-id header. Receivers deduplicate on it. */
  readonly id: string;
  readonly type: EventType;
  /** When it happened (an entry's effective time; a notice's creation time), ISO-8601 UTC. */
  readonly timestamp: string;
  readonly data: LedgerEventData | ExpiringSoonData | PolicyEventData;
}

/** An outbox row joined with its entry (entry columns are NULL for expiring_soon). */
export interface OutboxRow {
  id: number;
  account: string;
  type: EventType;
  seq: number | null;
  occurred_at: number;
  data: Record<string, unknown> | null;
  entry_type: EntryType | null;
  amount: number | null;
  postings: Posting[] | null;
  balance_before: number | null;
  balance_after: number | null;
  available_after: number | null;
  effective_at: number | null;
  recorded_at: number | null;
  ref: string | null;
  reason: string | null;
  lot: Lot | null;
  hold_id: string | null;
  expired_at_once: number | string | null;
}

export const eventId = (outboxId: number): string => `evt_${outboxId}`;

function ledgerData(row: OutboxRow): LedgerEventData {
  const { lot } = row;
  return {
    freelancerId: row.account,
    seq: row.seq ?? 0,
    entryType: row.entry_type as EntryType,
    amount: row.amount ?? 0,
    balanceBefore: row.balance_before ?? 0,
    balanceAfter: row.balance_after ?? 0,
    availableAfter: row.available_after ?? 0,
    lots: row.postings ?? [],
    ...(lot === null
      ? {}
      : {
          lot: {
            lotNo: lot.lotNo,
            source: lot.source,
            category: lot.category,
            amount: lot.amount,
            issuedAt: toIso(lot.issuedAt),
            expiresAt: toIso(lot.expiresAt),
          },
        }),
    ...(row.hold_id === null ? {} : { holdId: row.hold_id }),
    ref: row.ref,
    reason: row.reason,
    effectiveAt: toIso(row.effective_at ?? row.occurred_at),
    recordedAt: toIso(row.recorded_at ?? row.occurred_at),
    ...(typeof row.data?.['threshold'] === 'number' ? { threshold: row.data['threshold'] } : {}),
    ...(row.expired_at_once === null ? {} : { expiredAtOnce: Number(row.expired_at_once) }),
  };
}

function expiringData(row: OutboxRow): ExpiringSoonData {
  const data = row.data ?? {};
  return {
    freelancerId: row.account,
    lotNo: data['lotNo'] as number,
    source: data['source'] as LotSource,
    category: data['category'] as LotCategory,
    remaining: data['remaining'] as number,
    expiresAt: toIso(data['expiresAt'] as number),
    daysAhead: data['daysAhead'] as number,
  };
}

function policyData(row: OutboxRow): PolicyEventData {
  const data = row.data ?? {};
  const effectiveFrom = Number(data['effectiveFrom']);
  return {
    policyId: String(data['policyId']),
    name: String(data['name']),
    effectiveFrom: Number.isSafeInteger(effectiveFrom) ? toIso(effectiveFrom) : '',
    ...('note' in data ? { note: (data['note'] as string | null) ?? null } : {}),
    ...(typeof data['actor'] === 'string' ? { actor: data['actor'] } : {}),
    ...(typeof data['replaced'] === 'boolean' ? { replaced: data['replaced'] } : {}),
  };
}

function eventData(row: OutboxRow): WebhookEvent['data'] {
  if (row.type === 'connects.expiring_soon') return expiringData(row);
  if (row.type.startsWith('policy.')) return policyData(row);
  return ledgerData(row);
}

export function renderEvent(row: OutboxRow): WebhookEvent {
  return {
    id: eventId(row.id),
    type: row.type,
    timestamp: toIso(row.occurred_at),
    data: eventData(row),
  };
}

/**
 * The part of refund entry e that expired at once: the expiries recorded with it, right after it (no
 * other kind of entry between), of the lots it returned Connects to, each counted up to what it returned.
 */
const expiredAtOnceSql = `SELECT coalesce(sum(LEAST((rp->>'amount')::int8, -(xp->>'amount')::int8)), 0)
  FROM entries x
  CROSS JOIN LATERAL jsonb_array_elements(x.postings) xp
  JOIN LATERAL jsonb_array_elements(e.postings) rp ON rp->'lotNo' = xp->'lotNo'
  WHERE x.account = e.account AND x.seq > e.seq AND x.type = 'expiry' AND x.recorded_at = e.recorded_at
    AND NOT EXISTS (SELECT 1 FROM entries y
      WHERE y.account = e.account AND y.seq > e.seq AND y.seq < x.seq AND y.type <> 'expiry')`;

const outboxSelect = `SELECT o.id, o.account, o.type, o.seq, o.occurred_at, o.data,
  e.type AS entry_type, e.amount, e.postings, e.balance_before, e.balance_after, e.available_after,
  e.effective_at, e.recorded_at, e.ref, e.reason, e.lot, e.hold_id,
  CASE WHEN e.type = 'refund' THEN (${expiredAtOnceSql}) END AS expired_at_once
FROM event_outbox o LEFT JOIN entries e ON e.account = o.account AND e.seq = o.seq`;

/** The events with these (account, outbox id) keys, by id. */
export async function loadEvents(
  db: EventsQueryable,
  keys: readonly { account: string; eventId: number }[],
): Promise<Map<number, WebhookEvent>> {
  if (keys.length === 0) return new Map();
  const rows = await db.query<OutboxRow>(
    `${outboxSelect} WHERE (o.account, o.id) IN (SELECT * FROM unnest($1::text[], $2::int8[]))`,
    [keys.map((k) => k.account), keys.map((k) => k.eventId)],
  );
  return new Map(rows.rows.map((row) => [row.id, renderEvent(row)]));
}

/** An account's events in order (newest last), for inspection and tests. */
export async function listAccountEvents(
  db: EventsQueryable,
  account: string,
  limit = 100,
): Promise<WebhookEvent[]> {
  const rows = await db.query<OutboxRow>(`${outboxSelect} WHERE o.account = $1 ORDER BY o.id LIMIT $2`, [
    account,
    Math.max(1, Math.min(1000, Math.trunc(limit))),
  ]);
  return rows.rows.map(renderEvent);
}
