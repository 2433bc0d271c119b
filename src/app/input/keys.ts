import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Idempotency keys (rules.md 1.6): the HTTP Idempotency-Key header and the
 * `idempotencyKey` of use cases that take one. 1 to 200 printable ASCII
 * characters, spaces included.
 */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;
const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]+$/;

export const idempotencyKeySchema = z
  .string()
  .min(1, `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters`)
  .max(IDEMPOTENCY_KEY_MAX_LENGTH, `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters`)
  .regex(IDEMPOTENCY_KEY_PATTERN, 'must be printable ASCII');

/**
 * A caller's key as part of a ledger key: kept as is when it is at most 100
 * visible characters, else its digest, so a prefix (`admin:`) still fits the
 * ledger's 200-character keys.
 */
export function ledgerKeyPart(key: string): string {
  if (/^[\x21-\x7e]{1,100}$/.test(key)) return key;
  return `sha256-${createHash('sha256').update(key).digest('base64url')}`;
}
