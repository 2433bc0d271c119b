import { MS_PER_SECOND, type Instant } from '../core/time.ts';
import { RETRY_DELAYS_MS, nextAttemptAt } from './backoff.ts';
import { claimDue, recordAttempts, type AttemptOutcome, type ClaimedDelivery } from './deliveries.ts';
import { fanOut } from './fan-out.ts';
import { loadEvents, type WebhookEvent } from './payload.ts';
import { DEFAULT_TIMEOUT_MS, postWebhook, type FetchLike } from './send.ts';
import { webhookHeaders } from './signing.ts';
import { internalTarget, type Resolver } from './target-address.ts';
import type { EventsDb } from './types.ts';

export interface DispatcherOptions {
  /** Scheduling time: when deliveries are due and when retries come due. */
  readonly clock: () => Instant;
  /** Real time for the webhook-timestamp header (receivers check it against theirs). Default Date.now. */
  readonly wallClock?: () => Instant;
  /** Deliveries attempted per round (default 100). */
  readonly batchSize?: number;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  /** Sleep between rounds that found nothing to do (default 1 s). */
  readonly pollIntervalMs?: number;
  /** Per request, body included (default 10 s). */
  readonly timeoutMs?: number;
  readonly retryDelaysMs?: readonly number[];
  readonly fetch?: FetchLike;
  /**
   * Deliver to receivers whose name resolves to a loopback, link-local or
   * private address (CONNECTS_WEBHOOK_ALLOW_PRIVATE=1). Default false: such a
   * delivery fails (and is retried) without a request being sent.
   */
  readonly allowInternalTargets?: boolean;
  /** Resolves a receiver's host name to its addresses (default: the system resolver). */
  readonly resolve?: Resolver;
  /** Told about a round that threw (database down...); the loop carries on. */
  readonly onError?: (error: unknown) => void;
}

export interface DispatchReport {
  readonly fannedOut: number;
  readonly attempted: number;
  readonly delivered: number;
  /** Failed attempts that will be retried. */
  readonly retrying: number;
  /** Failed attempts that were the last: the delivery is now `failed`. */
  readonly failed: number;
}

interface EndpointRow {
  id: string;
  url: string;
  secret: string;
}

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Delivers outbox events to the registered endpoints: at least once, signed,
 * retried with backoff, in order per account and endpoint. `dispatchOnce`
 * does one round (tests and manual-clock mode drive it directly); `start`
 * runs rounds until `stop`.
 */
export class WebhookDispatcher {
  readonly #db: EventsDb;
  readonly #options: DispatcherOptions;
  #running: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;

  constructor(db: EventsDb, options: DispatcherOptions) {
    this.#db = db;
    this.#options = options;
  }

  get #batchSize(): number {
    return Math.max(1, Math.min(1000, this.#options.batchSize ?? 100));
  }

  async dispatchOnce(now: Instant): Promise<DispatchReport> {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const fanned = await fanOut(this.#db, now, this.#batchSize * 10);
    // The lease outlasts any attempt, so a slow receiver is never sent the same event twice at once.
    const lease = now + timeoutMs + 60 * MS_PER_SECOND;
    const claimed = await claimDue(this.#db, now, this.#batchSize, lease);
    const report = {
      fannedOut: fanned.events,
      attempted: claimed.length,
      delivered: 0,
      retrying: 0,
      failed: 0,
    };
    if (claimed.length === 0) return report;
    const events = await loadEvents(
      this.#db,
      claimed.map((d) => ({ account: d.account, eventId: d.eventId })),
    );
    const endpoints = await this.#endpoints(claimed);
    const outcomes = await pool(claimed, Math.max(1, this.#options.concurrency ?? 8), (delivery) =>
      this.#attempt(delivery, events.get(delivery.eventId), endpoints.get(delivery.endpointId), now),
    );
    await recordAttempts(this.#db, now, outcomes);
    for (const o of outcomes) {
      if (o.delivered) report.delivered += 1;
      else if (o.nextAttemptAt === null) report.failed += 1;
      else report.retrying += 1;
    }
    return report;
  }

  async #endpoints(claimed: readonly ClaimedDelivery[]): Promise<Map<string, EndpointRow>> {
    const ids = [...new Set(claimed.map((d) => d.endpointId))];
    const rows = await this.#db.query<EndpointRow>(
      'SELECT id, url, secret FROM webhook_endpoints WHERE id = ANY($1::text[]) AND active',
      [ids],
    );
    return new Map(rows.rows.map((row) => [row.id, row]));
  }

  async #attempt(
    delivery: ClaimedDelivery,
    event: WebhookEvent | undefined,
    endpoint: EndpointRow | undefined,
    now: Instant,
  ): Promise<AttemptOutcome> {
    const attempts = delivery.attempts + 1;
    const retryAt = nextAttemptAt(attempts, now, this.#options.retryDelaysMs ?? RETRY_DELAYS_MS);
    if (event === undefined || endpoint === undefined) {
      // Deleted meanwhile (the delete cancels the row) or pruned: nothing left to send.
      const error = event === undefined ? 'event not found' : 'endpoint deleted';
      return { delivery, delivered: false, httpStatus: null, error, nextAttemptAt: null };
    }
    if (this.#options.allowInternalTargets !== true) {
      const refused = await internalTarget(endpoint.url, this.#options.resolve).catch(
        (error: unknown) =>
          `cannot resolve the receiver: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (refused !== undefined) {
        return {
          delivery,
          delivered: false,
          httpStatus: null,
          error: `not sent: ${refused}`,
          nextAttemptAt: retryAt,
        };
      }
    }
    const body = JSON.stringify(event);
    const wallNow = (this.#options.wallClock ?? Date.now)();
    const headers = webhookHeaders(endpoint.secret, event.id, wallNow, body);
    const sent = await postWebhook(endpoint.url, headers, body, this.#options.timeoutMs, this.#options.fetch);
    return {
      delivery,
      delivered: sent.delivered,
      httpStatus: sent.status,
      error: sent.error,
      nextAttemptAt: sent.delivered ? null : retryAt,
    };
  }

  /** Starts the loop; rounds follow each other at once while there is work, else every pollIntervalMs. */
  start(): void {
    if (this.#running !== null) return;
    this.#stopping = false;
    this.#running = this.#loop();
  }

  /** Stops the loop after the round in progress (its attempts are recorded). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    this.#running = null;
  }

  async #loop(): Promise<void> {
    const pollMs = this.#options.pollIntervalMs ?? MS_PER_SECOND;
    let failures = 0;
    while (!this.#stopping) {
      let busy = false;
      try {
        const report = await this.dispatchOnce(this.#options.clock());
        busy = report.attempted > 0 || report.fannedOut > 0;
        failures = 0;
      } catch (error) {
        // A store outage fails every round: back off (doubling, at most MAX_FAILURE_BACKOFF_MS) so
        // the log gets a line per back-off step, not one a second.
        failures += 1;
        this.#options.onError?.(error);
      }
      if (busy || this.#stopping) continue;
      await this.#sleep(failures === 0 ? pollMs : failureBackoffMs(pollMs, failures));
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = wake;
    });
  }
}

/** The longest pause between rounds while the store keeps failing. */
export const MAX_FAILURE_BACKOFF_MS = 30_000;

/** Pause after `failures` failed rounds in a row: the poll interval doubled per failure, capped. */
export function failureBackoffMs(pollMs: number, failures: number): number {
  return Math.min(MAX_FAILURE_BACKOFF_MS, pollMs * 2 ** Math.min(failures - 1, 16));
}
