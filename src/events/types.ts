import type { SqlRows, SqlValue } from '../store/sql-client.ts';

/** Every event type a webhook can carry; part of the public contract (only add). */
export const eventTypes = [
  'connects.granted',
  'connects.spent',
  'connects.refunded',
  'connects.expired',
  'connects.expiring_soon',
  'balance.low',
  'policy.scheduled',
  'policy.withdrawn',
  'policy.effective',
] as const;
export type EventType = (typeof eventTypes)[number];

export function isEventType(value: string): value is EventType {
  return (eventTypes as readonly string[]).includes(value);
}

/** Runs statements: a SqlClient, a LedgerStore, or an open transaction of either. */
export interface EventsQueryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<SqlRows<R>>;
}

/** A SqlClient or a LedgerStore: statements plus transactions. */
export interface EventsDb extends EventsQueryable {
  transaction<T>(fn: (tx: EventsQueryable) => Promise<T>): Promise<T>;
}
