import { randomBytes } from 'node:crypto';
import { connectsError, err, ok, type Result } from '../core/errors.ts';
import type { Instant } from '../core/time.ts';
import { generateSecret } from './signing.ts';
import { internalLiteral } from './target-address.ts';
import { isEventType, type EventType, type EventsDb, type EventsQueryable } from './types.ts';

/** Operator-registered receivers; a handful per deployment, so a small hard limit. */
export const MAX_ENDPOINTS = 50;
export const MAX_URL_LENGTH = 2048;
export const ENDPOINT_ID_PATTERN = /^wh_[0-9a-f]{24}$/;

export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  /** The event types it receives; null means every type. */
  readonly events: readonly EventType[] | null;
  readonly createdAt: Instant;
}

/** Returned once, at registration: the only time the secret is shown. */
export interface RegisteredEndpoint extends WebhookEndpoint {
  readonly secret: string;
}

export interface RegisterEndpointInput {
  readonly url: string;
  readonly events?: readonly string[] | undefined;
}

const invalid = (message: string, details?: Record<string, unknown>) =>
  err<never>(connectsError('validation_failed', message, details));

export interface EndpointOptions {
  /** Accept loopback, link-local and private targets (CONNECTS_WEBHOOK_ALLOW_PRIVATE=1). */
  readonly allowInternalTargets?: boolean;
}

/**
 * http(s) only, no credentials in the URL (they would leak into logs), and
 * no internal target (loopback, link-local, private, localhost) unless the
 * operator allows them.
 */
export function checkEndpointUrl(url: string, options: EndpointOptions = {}): Result<string> {
  if (url.length === 0 || url.length > MAX_URL_LENGTH) {
    return invalid(`The webhook URL must be 1 to ${MAX_URL_LENGTH} characters.`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid('The webhook URL is not a valid absolute URL.', { url });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return invalid('The webhook URL must use https (or http).', { url });
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.hash !== '') {
    return invalid('The webhook URL must not carry credentials or a fragment.', { url });
  }
  const internal = options.allowInternalTargets === true ? undefined : internalLiteral(parsed);
  if (internal !== undefined) {
    return invalid(
      `The webhook URL must reach a public address: ${internal} (an operator may allow internal receivers with CONNECTS_WEBHOOK_ALLOW_PRIVATE=1).`,
      { url },
    );
  }
  return ok(parsed.toString());
}

function checkEventTypes(events: readonly string[] | undefined): Result<EventType[] | null> {
  if (events === undefined) return ok(null);
  const unknown = events.filter((type) => !isEventType(type));
  if (events.length === 0 || unknown.length > 0) {
    return invalid('events lists one or more known event types.', { unknown });
  }
  return ok([...new Set(events as EventType[])].sort());
}

interface EndpointRow {
  id: string;
  url: string;
  event_types: EventType[] | null;
  created_at: number;
}

const fromRow = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  events: row.event_types,
  createdAt: row.created_at,
});

export async function registerEndpoint(
  db: EventsDb,
  input: RegisterEndpointInput,
  now: Instant,
  options: EndpointOptions = {},
): Promise<Result<RegisteredEndpoint>> {
  const url = checkEndpointUrl(input.url, options);
  if (!url.ok) return url;
  const events = checkEventTypes(input.events);
  if (!events.ok) return events;
  const id = `wh_${randomBytes(12).toString('hex')}`;
  const secret = generateSecret();
  const inserted = await db.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, url, secret, event_types, active, created_at)
     SELECT $1, $2, $3, $4::text[], true, $5
     WHERE (SELECT count(*) FROM webhook_endpoints WHERE active) < $6
     RETURNING id, url, event_types, created_at`,
    [id, url.value, secret, events.value, now, MAX_ENDPOINTS],
  );
  const row = inserted.rows[0];
  if (row === undefined) {
    return err(
      connectsError(
        'conflict',
        `At most ${MAX_ENDPOINTS} webhook endpoints can be active; delete one first.`,
      ),
    );
  }
  return ok({ ...fromRow(row), secret });
}

export async function listEndpoints(db: EventsQueryable): Promise<WebhookEndpoint[]> {
  const rows = await db.query<EndpointRow>(
    'SELECT id, url, event_types, created_at FROM webhook_endpoints WHERE active ORDER BY created_at, id',
  );
  return rows.rows.map(fromRow);
}

/** The secret of an active endpoint, for the operator who lost it. */
export async function endpointSecret(db: EventsQueryable, id: string): Promise<Result<string>> {
  const rows = await db.query<{ secret: string }>(
    'SELECT secret FROM webhook_endpoints WHERE id = $1 AND active',
    [id],
  );
  const row = rows.rows[0];
  return row === undefined ? notFound(id) : ok(row.secret);
}

const notFound = (id: string) =>
  err<never>(connectsError('not_found', 'No active webhook endpoint has this id.', { id }));

/**
 * Stops deliveries to the endpoint: it is deactivated (kept, with its
 * delivery history) and its pending deliveries are cancelled.
 */
export async function deleteEndpoint(db: EventsDb, id: string, now: Instant): Promise<Result<void>> {
  return db.transaction(async (tx) => {
    const updated = await tx.query<{ id: string }>(
      'UPDATE webhook_endpoints SET active = false, deleted_at = $2 WHERE id = $1 AND active RETURNING id',
      [id, now],
    );
    if (updated.rows.length === 0) return notFound(id);
    await tx.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', last_error = 'endpoint deleted'
       WHERE endpoint_id = $1 AND status = 'pending'`,
      [id],
    );
    return ok(undefined);
  });
}
