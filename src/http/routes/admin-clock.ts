import { createRoute, z } from '@hono/zod-openapi';
import { isManualClock } from '../../clock.ts';
import { toIso } from '../../core/time.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { fail, unwrap } from '../errors.ts';
import { errorResponses, instantInputSchema, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/**
 * The service's clock. With CONNECTS_MANUAL_CLOCK=1 (tests and demos) the
 * admin moves time forward here and whole timelines (allotments, expiry,
 * auctions) can be driven deterministically from outside.
 */
const clockSchema = z
  .object({
    now: isoInstantSchema,
    manual: z.boolean().openapi({ description: 'Whether the clock only moves through PUT /v1/admin/clock.' }),
  })
  .openapi('Clock');

const getRoute = createRoute({
  method: 'get',
  path: '/v1/admin/clock',
  operationId: 'getClock',
  tags: ['admin'],
  summary: "The service's current time and whether it is manual.",
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  responses: {
    200: { description: 'The clock.', content: { 'application/json': { schema: clockSchema } } },
    ...errorResponses(401, 403),
  },
});

const putRoute = createRoute({
  method: 'put',
  path: '/v1/admin/clock',
  operationId: 'setClock',
  tags: ['admin'],
  summary: 'Sets the manual clock (forward only).',
  description:
    'Only when the server runs with CONNECTS_MANUAL_CLOCK=1 (otherwise manual_clock_disabled). ' +
    'Setting an earlier time is refused with clock_backwards; setting the current time again changes nothing.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.strictObject({ now: instantInputSchema }) } },
    },
  },
  responses: {
    200: {
      description: 'The clock after the change.',
      content: { 'application/json': { schema: clockSchema } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

export const adminClockRoutes: RouteModule = (app, { clock }) => {
  app.openapi(getRoute, (c) => c.json({ now: toIso(clock.now()), manual: isManualClock(clock) }, 200));

  app.openapi(putRoute, (c) => {
    if (!isManualClock(clock)) {
      fail(
        'manual_clock_disabled',
        'The server runs on the system clock; start it with CONNECTS_MANUAL_CLOCK=1.',
      );
    }
    const now = unwrap(clock.set(c.req.valid('json').now));
    return c.json({ now: toIso(now), manual: true }, 200);
  });
};
