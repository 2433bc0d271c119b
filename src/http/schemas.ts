import { z } from '@hono/zod-openapi';
import { errorCodes, type ErrorCode } from '../core/errors.ts';
import { ID_PATTERN, idSchema as appIdSchema } from '../app/input/ids.ts';
import { instantSchema } from '../app/input/instants.ts';

/**
 * Schemas shared by every route file. Request objects are strict (an unknown
 * field is a 400, not silently ignored), strings and numbers are bounded, and
 * instants travel as ISO-8601 strings with an explicit zone.
 */

/** Ids of freelancers, jobs, proposals...: the one rule of src/app/input/ids.ts. */
export { ID_PATTERN };

export const idSchema = appIdSchema.openapi({ example: 'fl_ada' });

export const freelancerIdParams = z.strictObject({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, description: 'The freelancer id.' }),
});

/**
 * A whole number in [min, max]: refuses fractions, negatives below min, and
 * values beyond max (so 1e308 or 2^60 never reach the ledger). Use for
 * Connects and cents in request bodies.
 */
export const wholeNumber = (min: number, max: number) =>
  z.int(`must be a whole number from ${min} to ${max}`).min(min).max(max);

/** Connects in one request: the ledger's amounts stay far below 2^53. */
export const MAX_CONNECTS_PER_REQUEST = 1_000_000;
export const connectsAmountSchema = wholeNumber(1, MAX_CONNECTS_PER_REQUEST);
/** Money in one request, in cents ($10 million). */
export const MAX_CENTS_PER_REQUEST = 1_000_000_000;
export const centsSchema = wholeNumber(0, MAX_CENTS_PER_REQUEST);

/** Page size in a query string (`?limit=50`), 1..500. */
export const limitQuerySchema = z.coerce
  .number()
  .pipe(wholeNumber(1, 500))
  .optional()
  .openapi({ type: 'integer', minimum: 1, maximum: 500, example: 50 });

/** An instant as it appears on the wire, e.g. 2024-03-10T12:00:00.000Z. */
export const isoInstantSchema = z.string().openapi({
  format: 'date-time',
  example: '2024-03-10T12:00:00.000Z',
});

/** Accepts an ISO date or date-time with a zone and yields integer milliseconds (src/app/input/instants.ts). */
export const instantInputSchema = instantSchema.openapi({
  type: 'string',
  format: 'date-time',
  example: '2024-03-10T12:00:00.000Z',
});

const errorCodeList = Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodeList).openapi({ description: 'Stable machine-readable code (see docs/api.md).' }),
      message: z
        .string()
        .openapi({ description: 'Human-readable explanation; may change between versions.' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Response entries for the error statuses a route can return, for the OpenAPI document. */
export function errorResponses(...statuses: readonly number[]) {
  const descriptions: Record<number, string> = {
    400: 'Malformed request (validation_failed).',
    401: 'Missing or invalid bearer token (unauthorized).',
    403: 'The token does not allow this action (forbidden).',
    404: 'The resource does not exist.',
    409: 'The request conflicts with the current state.',
    413: 'The request body is too large (payload_too_large).',
    415: 'The body is not JSON (unsupported_media_type).',
    422: 'The business rules refuse the request.',
    503: 'A transient failure; retry after the Retry-After delay.',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error.',
        content: { 'application/json': { schema: errorBodySchema } },
      },
    ]),
  );
}
