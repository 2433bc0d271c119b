import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { adjustConnects, adjustConnectsInputSchema } from '../../app/admin/adjust-connects.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { auditFreelancer } from '../request-scope.ts';
import { withinSupportLimits } from '../support-limits.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, idSchema, instantInputSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { balanceSchema, entrySchema, iso, wireBalance, wireEntry } from './freelancers-wire.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/**
 * The operator's grant or removal of Connects with a reason (rules.md 7 admin),
 * recorded as an `adjustment` entry. Send an Idempotency-Key to make a retry
 * safe: without one, every call is a new adjustment.
 */

/** The use case's fields; its idempotency key comes from the Idempotency-Key header. */
const adjustFields = adjustConnectsInputSchema.shape;
const grantBody = z
  .strictObject({
    freelancerId: idSchema,
    connects: adjustFields.connects.openapi({
      description: 'Positive grants a lot (source admin); negative removes Connects.',
      example: 25,
    }),
    reason: adjustFields.reason,
    expiresAt: instantInputSchema.optional().openapi({
      description: "Expiry of granted Connects; absent: the policy's lot lifetime. Grants only.",
    }),
  })
  .openapi('AdminGrant');

const adjustmentSchema = z
  .object({
    freelancerId: z.string(),
    connects: z.int(),
    entry: entrySchema.openapi({
      description: 'The adjustment entry (with the lot it created, for a grant).',
    }),
    balance: balanceSchema.openapi({ description: 'The balance after the adjustment.' }),
  })
  .openapi('AdminAdjustment');

const route = createRoute({
  method: 'post',
  path: '/v1/admin/grants',
  operationId: 'adjustConnects',
  tags: ['admin'],
  summary: 'Grants (positive) or removes (negative) Connects with a reason (owner, support within limits).',
  description:
    'Removal draws in consumption order and cannot overdraw (insufficient_connects). With an ' +
    'Idempotency-Key a retry returns the original adjustment; without one each call adjusts again. A support ' +
    'operator is refused with limit_exceeded (403) above its per-action or daily limit, and nothing is written.',
  security: bearerSecurity,
  middleware: [requireRole('support')] as const,
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: grantBody } } },
  },
  responses: {
    201: { description: 'The adjustment.', content: { 'application/json': { schema: adjustmentSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const adminGrantRoutes: RouteModule = (app, { app: ctx, clock, store, metrics, config }) => {
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    const now = clock.now();
    const scope = body.freelancerId;
    auditFreelancer(body.freelancerId);
    const out = await idempotentWrite(c, { store, now, scope, request: body }, async () => {
      const input = {
        freelancerId: body.freelancerId,
        connects: body.connects,
        reason: body.reason,
        idempotencyKey: c.var.idempotencyKey ?? `auto-${randomUUID()}`,
        ...(body.expiresAt === undefined ? {} : { expiresAt: iso(body.expiresAt) }),
      };
      const r = await withinSupportLimits(c, {
        store,
        limits: config.supportLimits,
        now,
        connects: Math.abs(body.connects),
        write: () => runUseCase(metrics, 'adjust_connects', () => adjustConnects(ctx, input, now)),
        moved: (done) => (done.replayed ? 0 : Math.abs(done.connects)),
      });
      return {
        status: 201 as const,
        body: {
          freelancerId: r.freelancerId,
          connects: r.connects,
          entry: wireEntry(r.entry),
          balance: wireBalance(r.balance),
        },
      };
    });
    return c.json(out.body, out.status);
  });
};
