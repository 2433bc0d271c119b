import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MS_PER_MINUTE, MS_PER_SECOND, type Instant } from '../core/time.ts';

/**
 * Webhook signing per the Standard Webhooks convention: the signed content
 * is `${id}.${timestamp}.${body}`, the key is the base64 part of a
 * `whsec_...` secret, and `webhook-signature` carries one or more
 * space-separated `v1,<base64 HMAC-SHA256>` values (several during a rotation).
 */

export const SECRET_PREFIX = 'whsec_';
/** Key length of generated secrets; the convention asks for 24 to 64 bytes. */
const SECRET_BYTES = 32;
/** How far a delivery's timestamp may be from the receiver's clock. */
export const DEFAULT_TOLERANCE_MS = 5 * MS_PER_MINUTE;

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('a webhook secret must be whsec_ followed by base64');
  return key;
}

/** The base64 signature of one message, without the `v1,` prefix. */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
}

/** The three headers a delivery carries; `now` gives the timestamp (whole seconds). */
export function webhookHeaders(
  secret: string,
  id: string,
  now: Instant,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(now / MS_PER_SECOND);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${sign(secret, id, timestamp, body)}`,
  };
}

export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : value?.[0];
}

export type VerifyOutcome =
  | { readonly ok: true; readonly id: string; readonly timestampSeconds: number }
  | { readonly ok: false; readonly reason: string };

export interface VerifyOptions {
  readonly toleranceMs?: number;
}

/**
 * For operators' receivers: checks that a delivery was signed with `secret`
 * and is recent. `body` must be the raw request body, byte for byte, before
 * any JSON parsing. `now` is the receiver's clock in milliseconds.
 */
export function verifyWebhook(
  secret: string,
  headers: HeaderSource,
  body: string,
  now: Instant,
  options: VerifyOptions = {},
): VerifyOutcome {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (id === undefined || timestampText === undefined || signatures === undefined) {
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  }
  if (!/^\d{1,15}$/.test(timestampText)) return { ok: false, reason: 'malformed webhook-timestamp' };
  const timestampSeconds = Number(timestampText);
  const tolerance = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  if (Math.abs(now - timestampSeconds * MS_PER_SECOND) > tolerance) {
    return { ok: false, reason: 'timestamp outside the tolerance' };
  }
  const expected = Buffer.from(sign(secret, id, timestampSeconds, body), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || value === undefined) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { ok: true, id, timestampSeconds };
    }
  }
  return { ok: false, reason: 'no matching signature' };
}
