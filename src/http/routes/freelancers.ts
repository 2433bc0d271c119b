import { createRoute, z } from '@hono/zod-openapi';
import { getFreelancer, type FreelancerView } from '../../app/accounts/get-freelancer.ts';
import { registerFreelancer, registerFreelancerInputSchema } from '../../app/accounts/register-freelancer.ts';
import { planNames } from '../../core/policy/schema.ts';
import { bearerSecurity, requireRole, requireRoleOr } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import {
  errorResponses,
  freelancerIdParams,
  idSchema,
  instantInputSchema,
  isoInstantSchema,
} from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import {
  balanceSchema,
  cycleSchema,
  entrySchema,
  iso,
  wireBalance,
  wireCycle,
  wireEntry,
} from './freelancers-wire.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/** Registering a freelancer (the marketplace's back end, so admin only) and reading one. */

const registerBody = z
  .strictObject({
    id: idSchema.openapi({
      description: "The marketplace's id for the freelancer; also the ledger account.",
    }),
    name: registerFreelancerInputSchema.shape.name,
    registeredAt: instantInputSchema.optional().openapi({
      description:
        'Defaults to now. An earlier instant imports an existing member; the scheduler catches up.',
    }),
  })
  .openapi('RegisterFreelancer');

const registrationSchema = z
  .object({
    freelancer: z.object({
      id: z.string(),
      name: z.string().nullable(),
      registeredAt: isoInstantSchema,
      anchorDay: z.int().openapi({ description: 'Day of month on which later cycles start (1-28).' }),
    }),
    firstCycle: cycleSchema,
    entries: z.array(entrySchema).openapi({ description: 'The signup grant and the first allotment.' }),
    balance: balanceSchema.openapi({ description: 'The balance right after registration.' }),
    replayed: z
      .boolean()
      .openapi({ description: 'True when this answers a repeat of the same registration.' }),
  })
  .openapi('FreelancerRegistration');

const freelancerSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    registeredAt: isoInstantSchema,
    plan: z.enum(planNames),
    pendingPlanChange: z
      .object({ plan: z.enum(planNames), requestedAt: isoInstantSchema, effectiveAt: isoInstantSchema })
      .nullable()
      .openapi({ description: 'A downgrade waiting for the next renewal.' }),
    anchorDay: z.int(),
    cycle: cycleSchema.openapi({ description: 'The billing cycle containing now.' }),
    lastAllottedCycle: z.int(),
    nextAllotmentAt: isoInstantSchema,
    badges: z.array(z.object({ badge: z.literal('rising_talent'), grantedAt: isoInstantSchema })),
    certification: z
      .object({ certificationId: z.string().nullable(), grantedAt: isoInstantSchema })
      .nullable(),
    balance: balanceSchema,
  })
  .openapi('Freelancer');

const registerRoute = createRoute({
  method: 'post',
  path: '/v1/freelancers',
  operationId: 'registerFreelancer',
  tags: ['freelancers'],
  summary: 'Registers a freelancer on Freelancer Basic: signup grant and first allotment (admin).',
  description:
    'Idempotent by id: the same details again return the original registration with 200 and replayed: ' +
    'true (201 and replayed: false the first time); other details for a registered id are ' +
    'freelancer_exists (409).',
  security: bearerSecurity,
  middleware: [requireRole('marketplace')] as const,
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: registerBody } } },
  },
  responses: {
    201: { description: 'Registered.', content: { 'application/json': { schema: registrationSchema } } },
    200: {
      description: 'A repeat: the original registration.',
      content: { 'application/json': { schema: registrationSchema } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}',
  operationId: 'getFreelancer',
  tags: ['freelancers'],
  summary: "A freelancer's profile, plan, billing cycle, badges and balance (admin or the freelancer).",
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support', 'finance', 'marketplace')] as const,
  request: { params: freelancerIdParams },
  responses: {
    200: { description: 'The freelancer.', content: { 'application/json': { schema: freelancerSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const wireFreelancer = (f: FreelancerView) => ({
  id: f.id,
  name: f.name,
  registeredAt: iso(f.registeredAt),
  plan: f.plan,
  pendingPlanChange:
    f.pendingPlanChange === null
      ? null
      : {
          plan: f.pendingPlanChange.plan,
          requestedAt: iso(f.pendingPlanChange.requestedAt),
          effectiveAt: iso(f.pendingPlanChange.effectiveAt),
        },
  anchorDay: f.anchorDay,
  cycle: wireCycle(f.cycle),
  lastAllottedCycle: f.lastAllottedCycle,
  nextAllotmentAt: iso(f.nextAllotmentAt),
  badges: f.badges.map((b) => ({ badge: b.badge, grantedAt: iso(b.grantedAt) })),
  certification:
    f.certification === null
      ? null
      : { certificationId: f.certification.certificationId, grantedAt: iso(f.certification.grantedAt) },
  balance: wireBalance(f.balance),
});

export const freelancerRoutes: RouteModule = (app, { app: ctx, clock, store, metrics }) => {
  app.openapi(registerRoute, async (c) => {
    const body = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: body.id, request: body }, async () => {
      const r = await runUseCase(metrics, 'register_freelancer', () => registerFreelancer(ctx, body, now));
      const f = r.freelancer;
      const answer = {
        freelancer: { id: f.id, name: f.name, registeredAt: iso(f.registeredAt), anchorDay: f.anchorDay },
        firstCycle: wireCycle(r.firstCycle),
        entries: r.entries.map(wireEntry),
        balance: wireBalance(r.balance),
        replayed: r.replayed,
      };
      return r.replayed ? { status: 200 as const, body: answer } : { status: 201 as const, body: answer };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(getRoute, async (c) => {
    const view = unwrap(await getFreelancer(ctx, { freelancerId: c.req.valid('param').id }, clock.now()));
    return c.json(wireFreelancer(view), 200);
  });
};
