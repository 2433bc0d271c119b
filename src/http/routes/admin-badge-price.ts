import { createRoute, z } from '@hono/zod-openapi';
import { operatorPrices, priceAt } from '../../app/badge/badge-price.ts';
import { setBadgePrice } from '../../app/badge/set-badge-price.ts';
import { bearerSecurity, requireAdmin, requireToken } from '../auth.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, isoInstantSchema, wholeNumber } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { isoOrNull } from './freelancers-wire.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/**
 * The availability badge's weekly price (rules.md 5.4, 7): the operator sets it,
 * in force from now; until then the policy's default applies. Anyone with a
 * token may read it, so a freelancer UI can show it before switching on.
 */

const priceSchema = z
  .object({
    weeklyPriceConnects: z.int(),
    effectiveAt: isoInstantSchema
      .nullable()
      .openapi({ description: "When the operator's price took effect; null: the policy default applies." }),
  })
  .openapi('BadgePrice');

const priceChangeSchema = priceSchema
  .extend({ changed: z.boolean().openapi({ description: 'False when the price was already this.' }) })
  .openapi('BadgePriceChange');

const putRoute = createRoute({
  method: 'put',
  path: '/v1/admin/badge-price',
  operationId: 'setBadgePrice',
  tags: ['admin'],
  summary: "Sets the availability badge's weekly price in Connects, from now (admin).",
  description:
    'Running badges are charged what was due under the old price at the next tick and switch off if ' +
    'the new price is above their maximum. Setting the price in force again changes nothing.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: {
    headers: idempotencyHeaders,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({ weeklyPriceConnects: wholeNumber(0, 1000) }).openapi('SetBadgePrice'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The price in force.',
      content: { 'application/json': { schema: priceChangeSchema } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/badge-price',
  operationId: 'getBadgePrice',
  tags: ['freelancers'],
  summary: "The availability badge's weekly price now (any token).",
  security: bearerSecurity,
  middleware: [requireToken] as const,
  responses: {
    200: { description: 'The price in force.', content: { 'application/json': { schema: priceSchema } } },
    ...errorResponses(401),
  },
});

export const adminBadgePriceRoutes: RouteModule = (app, { app: ctx, clock, store, timeline, metrics }) => {
  app.openapi(putRoute, async (c) => {
    const body = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: 'admin', request: body }, async () => {
      const r = await runUseCase(metrics, 'set_badge_price', () => setBadgePrice(ctx, body, now));
      return {
        status: 200 as const,
        body: {
          weeklyPriceConnects: r.weeklyPriceConnects,
          effectiveAt: isoOrNull(r.effectiveAt),
          changed: r.changed,
        },
      };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(getRoute, async (c) => {
    const now = clock.now();
    const prices = await operatorPrices(store, now, now);
    const last = prices.filter((p) => p.at <= now).pop();
    const weeklyPriceConnects = priceAt(prices, timeline, now);
    return c.json({ weeklyPriceConnects, effectiveAt: isoOrNull(last?.at ?? null) }, 200);
  });
};
