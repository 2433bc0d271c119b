import { createRoute, z } from '@hono/zod-openapi';
import { operatorPrices, priceAt } from '../../app/badge/badge-price.ts';
import { readBadge } from '../../app/badge/badge-rows.ts';
import { badgeView, type BadgeView } from '../../app/badge/badge-view.ts';
import {
  setAvailabilityBadge,
  setAvailabilityBadgeInputSchema,
} from '../../app/badge/set-availability-badge.ts';
import type { AppContext } from '../../app/context.ts';
import { ok, type Result } from '../../core/errors.ts';
import { toIso, type Instant } from '../../core/time.ts';
import { bearerSecurity, requireAdminOr, requireRoleOr } from '../auth.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, freelancerIdParams, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';

/**
 * The "Available now" badge (rules.md 5.4): the freelancer switches it on or off
 * and sets the most it will pay per week. While on, the scheduler charges one
 * Connect at a time, evenly over the week; the badge switches off when the
 * operator's price rises above the maximum or the Connects run out. Setting
 * the same state again changes nothing.
 */
const badgeBody = setAvailabilityBadgeInputSchema
  .omit({ freelancerId: true })
  .openapi('SetAvailabilityBadge');

const badgeSchema = z
  .object({
    freelancerId: z.string(),
    on: z.boolean(),
    weeklyMaxConnects: z.int(),
    weeklyPriceConnects: z.int().openapi({ description: 'The weekly price in force now.' }),
    since: isoInstantSchema
      .nullable()
      .openapi({ description: 'Start of the running schedule; null while off.' }),
    nextChargeAt: isoInstantSchema
      .nullable()
      .openapi({ description: 'When the next Connect falls due; null while off or free.' }),
    offAt: isoInstantSchema.nullable(),
    offReason: z.enum(['freelancer', 'price_above_max', 'insufficient_connects']).nullable(),
  })
  .openapi('AvailabilityBadge');

const route = createRoute({
  method: 'put',
  path: '/v1/freelancers/{id}/availability-badge',
  operationId: 'setAvailabilityBadge',
  tags: ['freelancers'],
  summary: 'Switches the availability badge on or off with a weekly maximum (admin or the freelancer).',
  description:
    'Switching on is refused with badge_price_above_max when the price is above the maximum, and with ' +
    'insufficient_connects without an available Connect. Whatever the running schedule owes is charged first.',
  security: bearerSecurity,
  middleware: [requireAdminOr('id')] as const,
  request: {
    params: freelancerIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: badgeBody } } },
  },
  responses: {
    200: { description: 'The badge now.', content: { 'application/json': { schema: badgeSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/availability-badge',
  operationId: 'getAvailabilityBadge',
  tags: ['freelancers'],
  summary: 'The availability badge and the weekly price in force (admin or the freelancer).',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support')] as const,
  request: { params: freelancerIdParams },
  responses: {
    200: { description: 'The badge now.', content: { 'application/json': { schema: badgeSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const isoOrNull = (t: Instant | null): string | null => (t === null ? null : toIso(t));

const wire = (badge: BadgeView) => ({
  ...badge,
  since: isoOrNull(badge.since),
  nextChargeAt: isoOrNull(badge.nextChargeAt),
  offAt: isoOrNull(badge.offAt),
});

/** The badge as stored (never switched on: off, maximum 0) with the price in force now. A read. */
async function currentBadge(ctx: AppContext, freelancerId: string, now: Instant): Promise<Result<BadgeView>> {
  const freelancer = await requireFreelancer(ctx.store, freelancerId);
  if (!freelancer.ok) return freelancer;
  const price = priceAt(await operatorPrices(ctx.store, now, now), ctx.timeline, now);
  const badge = await readBadge(ctx.store, freelancerId);
  if (badge !== undefined) return ok(badgeView(badge, price));
  return ok({
    freelancerId,
    on: false,
    weeklyMaxConnects: 0,
    weeklyPriceConnects: price,
    since: null,
    nextChargeAt: null,
    offAt: null,
    offReason: null,
  });
}

export const availabilityBadgeRoutes: RouteModule = (app, { app: ctx, store, clock, metrics }) => {
  app.openapi(route, async (c) => {
    const input = { freelancerId: c.req.valid('param').id, ...c.req.valid('json') };
    const now = clock.now();
    const out = await idempotentWrite(
      c,
      { store, now, scope: input.freelancerId, request: input },
      async () => {
        const badge = await runUseCase(metrics, 'badge_set', () => setAvailabilityBadge(ctx, input, now));
        return { status: 200 as const, body: wire(badge) };
      },
    );
    return c.json(out.body, out.status);
  });

  app.openapi(getRoute, async (c) => {
    const id = c.req.valid('param').id;
    const badge = await runUseCase(metrics, 'badge_get', () => currentBadge(ctx, id, clock.now()));
    return c.json(wire(badge), 200);
  });
};
