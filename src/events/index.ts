/**
 * Events: a transactional outbox (written by a trigger on ledger entries, so
 * every write that commits has its events and none that rolls back does) and
 * a webhook dispatcher signing per Standard Webhooks. See docs/events.md.
 */
export { eventTypes, isEventType, type EventType, type EventsDb, type EventsQueryable } from './types.ts';
export {
  eventId,
  listAccountEvents,
  loadEvents,
  type ExpiringSoonData,
  type LedgerEventData,
  type WebhookEvent,
} from './payload.ts';
export {
  EXPIRING_SOON_DAYS,
  notifyExpiringHook,
  notifyExpiringSoon,
  type ExpiringSoonReport,
} from './expiring-soon.ts';
export {
  DEFAULT_LOW_BALANCE_THRESHOLD,
  MAX_LOW_BALANCE_THRESHOLD,
  getLowBalanceThreshold,
  setLowBalanceThreshold,
} from './settings.ts';
export {
  MAX_ENDPOINTS,
  checkEndpointUrl,
  deleteEndpoint,
  endpointSecret,
  listEndpoints,
  registerEndpoint,
  type RegisterEndpointInput,
  type RegisteredEndpoint,
  type WebhookEndpoint,
} from './endpoints.ts';
export {
  deliveryStatuses,
  listDeliveries,
  retryFailedDeliveries,
  type Delivery,
  type DeliveryQuery,
  type DeliveryStatus,
} from './delivery-admin.ts';
export { RETRY_DELAYS_MS } from './backoff.ts';
export { WebhookDispatcher, type DispatchReport, type DispatcherOptions } from './dispatcher.ts';
export { fanOut, type FanOutReport } from './fan-out.ts';
export { DEFAULT_EVENT_RETENTION_MS, pruneEvents, pruneEventsHook, type PruneReport } from './prune.ts';
export {
  DEFAULT_TOLERANCE_MS,
  generateSecret,
  sign,
  verifyWebhook,
  webhookHeaders,
  type HeaderSource,
  type VerifyOptions,
  type VerifyOutcome,
} from './signing.ts';
