import { createRoute, z } from '@hono/zod-openapi';
import { setLowBalanceThreshold } from '../../app/admin/set-low-balance-threshold.ts';
import { MAX_LOW_BALANCE_THRESHOLD } from '../../events/settings.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, freelancerIdParams, wholeNumber } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/** One freelancer's own balance.low threshold, over the operator-wide one (docs/events.md). */

const thresholdBody = z
  .strictObject({
    connects: wholeNumber(0, MAX_LOW_BALANCE_THRESHOLD).nullable().openapi({
      description:
        'balance.low fires below this many Connects (0: never); null: the operator-wide threshold.',
      example: 25,
    }),
  })
  .openapi('FreelancerLowBalanceThreshold');

const thresholdSchema = z
  .object({ freelancerId: z.string(), connects: z.int().nullable() })
  .openapi('FreelancerLowBalanceThresholdResult');

const route = createRoute({
  method: 'put',
  path: '/v1/admin/freelancers/{id}/low-balance-threshold',
  operationId: 'setFreelancerLowBalanceThreshold',
  tags: ['admin'],
  summary: "Sets or clears one freelancer's low-balance threshold for balance.low (admin).",
  description: 'Applies to entries written from now on. Setting the same value again answers the same.',
  security: bearerSecurity,
  middleware: [requireRole('support')] as const,
  request: {
    params: freelancerIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: thresholdBody } } },
  },
  responses: {
    200: { description: 'The threshold now.', content: { 'application/json': { schema: thresholdSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

export const adminLowBalanceRoutes: RouteModule = (app, { app: ctx, clock, store, metrics }) => {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { connects } = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: id, request: { id, connects } }, async () => {
      const r = await runUseCase(metrics, 'set_low_balance_threshold', () =>
        setLowBalanceThreshold(ctx, { freelancerId: id, connects }, now),
      );
      return { status: 200 as const, body: r };
    });
    return c.json(out.body, out.status);
  });
};
