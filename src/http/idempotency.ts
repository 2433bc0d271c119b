import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyKeySchema as appKeySchema } from '../app/input/keys.ts';
import { connectsError } from '../core/errors.ts';
import { errorResponse } from './errors.ts';
import type { ApiEnv } from './services.ts';

/**
 * The Idempotency-Key header (rules.md 1.6), parsed and validated once for every
 * request and left in `c.var.idempotencyKey` for write routes to pass to
 * their use case. What a key means (scope, request hash, stored result) is
 * the economy layer's business; this layer only guarantees a sane value.
 */
export { IDEMPOTENCY_KEY_MAX_LENGTH };

export const idempotencyKeySchema = appKeySchema.openapi({
  description:
    'Makes the write safe to retry: the same key with the same request returns the original result; ' +
    'with a different request it is refused with idempotency_conflict (409).',
  example: 'purchase-2024-03-10-0001',
});

/** Add to a write route's `request.headers` so the header appears in the OpenAPI document. */
export const idempotencyHeaders = z.object({ 'idempotency-key': idempotencyKeySchema.optional() });

export const idempotencyKey: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const raw = c.req.header('idempotency-key');
  if (raw === undefined) {
    c.set('idempotencyKey', undefined);
    return next();
  }
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) {
    return errorResponse(
      c,
      connectsError(
        'validation_failed',
        `Invalid Idempotency-Key header: must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters.`,
        {
          issues: [
            {
              in: 'header',
              path: 'idempotency-key',
              message: `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters`,
            },
          ],
        },
      ),
    );
  }
  c.set('idempotencyKey', parsed.data);
  return next();
};
