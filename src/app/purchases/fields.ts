import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { parseInstant, type Instant } from '../../core/time.ts';

/**
 * Input fields shared by the purchase, promo code and admin use cases. They
 * match the HTTP layer's wire formats (ids of a URL- and log-safe alphabet,
 * instants as ISO-8601 text with a zone), so a route can pass a body through.
 */

/** Freelancer and purchase ids: 1-64 characters of A-Z a-z 0-9 _ . : - */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 characters of A-Z a-z 0-9 _ . : -');

/** An ISO-8601 date or date-time with an explicit zone, parsed to integer milliseconds. */
export const instantSchema = z
  .string()
  .max(40)
  .transform((text, ctx): Instant => {
    const t = parseInstant(text);
    if (t === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or date-time with a zone' });
      return z.NEVER;
    }
    return t;
  });

/** A caller's idempotency key (the HTTP Idempotency-Key header): printable ASCII, no spaces. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,100}$/, 'must be 1 to 100 visible ASCII characters');

/** A human reason recorded on ledger entries; the ledger keeps at most 200 characters. */
export const reasonSchema = z
  .string()
  .trim()
  .min(1, 'a reason is required')
  .max(200, 'must be at most 200 characters');

/** Validates a use case's input; every problem is listed in `details.issues`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const summary = first === undefined ? 'invalid input' : `${first.path || '(input)'}: ${first.message}`;
  return err(connectsError('validation_failed', `Invalid request: ${summary}`, { issues }));
}
