import { z } from 'zod';
import { connectsError, err, ok, type Result } from '../../core/errors.ts';
import { parseInstant, type Instant } from '../../core/time.ts';

/**
 * Input fields of the accounts, plans and scheduler use cases, in the HTTP
 * layer's wire formats so a route can pass a body straight through.
 */

/** Freelancer ids: 1-64 characters of A-Z a-z 0-9 _ . : - (the ledger account name). */
export const freelancerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 characters of A-Z a-z 0-9 _ . : -');

/** An instant: integer milliseconds since the epoch, or ISO-8601 text with a zone. */
export const instantSchema = z.union([
  z.int().min(0).max(8_640_000_000_000_000),
  z
    .string()
    .max(40)
    .transform((text, ctx): Instant => {
      const t = parseInstant(text);
      if (t === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or date-time with a zone' });
        return z.NEVER;
      }
      return t;
    }),
]);

/** A card token or, with the test provider, a test card number. */
export const cardSchema = z
  .string()
  .regex(/^[A-Za-z0-9_ -]{4,100}$/, 'must be a card token or number (4 to 100 characters)');

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
