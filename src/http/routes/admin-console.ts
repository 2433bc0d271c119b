import { createRoute, z } from '@hono/zod-openapi';
import { getStats, type StatsPoint } from '../../app/admin/get-stats.ts';
import { listFreelancers, MAX_FREELANCERS_PAGE } from '../../app/admin/list-freelancers.ts';
import { planNames } from '../../core/policy/schema.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { errorResponses, instantInputSchema, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { iso } from './freelancers-wire.ts';

/** What the operator console reads: the freelancers, and the economy's figures over time. */

const freelancerSummarySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    registeredAt: isoInstantSchema,
    plan: z.enum(planNames),
    pendingPlan: z.enum(planNames).nullable(),
    nextCycleAt: isoInstantSchema,
    balance: z.int(),
    available: z.int(),
    held: z.int(),
  })
  .openapi('FreelancerSummary');

const listRoute = createRoute({
  method: 'get',
  path: '/v1/admin/freelancers',
  operationId: 'listFreelancers',
  tags: ['admin'],
  summary: 'Freelancers by id with their balance now, a page at a time (admin).',
  security: bearerSecurity,
  middleware: [requireRole('support', 'finance')] as const,
  request: {
    query: z.object({
      prefix: z.string().min(1).max(64).optional().openapi({ description: 'Only ids starting with this.' }),
      cursor: z.string().min(1).max(64).optional(),
      limit: z.coerce
        .number()
        .pipe(z.int().min(1).max(MAX_FREELANCERS_PAGE))
        .optional()
        .openapi({ type: 'integer', minimum: 1, maximum: MAX_FREELANCERS_PAGE }),
    }),
  },
  responses: {
    200: {
      description: 'A page of freelancers.',
      content: {
        'application/json': {
          schema: z
            .object({ freelancers: z.array(freelancerSummarySchema), nextCursor: z.string().nullable() })
            .openapi('FreelancerPage'),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

const figures = {
  issued: z.int().openapi({ description: 'Credited to lots: grants and positive adjustments.' }),
  spent: z.int().openapi({ description: 'Debited: proposals, captured boosts, badge charges.' }),
  refunded: z.int().openapi({ description: 'Returned to lots by refunds.' }),
  expired: z.int().openapi({ description: 'Expired (as swept by the scheduler).' }),
  purchaseRevenueCents: z.int().openapi({ description: 'Completed, unrefunded purchases, before tax.' }),
  planRevenueCents: z.int().openapi({ description: 'Freelancer Plus upgrades and renewals charged.' }),
};

const statsSchema = z
  .object({
    asOf: isoInstantSchema,
    bucket: z.enum(['day', 'month']),
    from: isoInstantSchema,
    until: isoInstantSchema,
    totals: z.object({
      ...figures,
      removed: z.int().openapi({ description: 'Removed by admin adjustments.' }),
      forfeited: z.int().openapi({ description: 'Above a holding cap, never credited.' }),
      outstanding: z.int().openapi({ description: 'All balances now (spendable plus held).' }),
      purchases: z.int(),
      purchaseRefundedCents: z.int(),
    }),
    series: z.array(z.object({ at: isoInstantSchema, ...figures })),
  })
  .openapi('Stats');

const statsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stats',
  operationId: 'getStats',
  tags: ['admin'],
  summary:
    'Totals issued, spent, expired and outstanding, revenue, and a per-day or per-month series (admin).',
  description:
    'Totals cover all time up to now. The series covers [from, until) in UTC days (default: the last 30) ' +
    'or months (default: the last 12), at most 400 points, one per bucket including empty ones.',
  security: bearerSecurity,
  middleware: [requireRole('finance')] as const,
  request: {
    query: z.object({
      bucket: z.enum(['day', 'month']).optional(),
      from: instantInputSchema.optional(),
      until: instantInputSchema.optional(),
    }),
  },
  responses: {
    200: { description: 'The figures.', content: { 'application/json': { schema: statsSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const wirePoint = (p: StatsPoint) => ({ ...p, at: iso(p.at) });

export const adminConsoleRoutes: RouteModule = (app, { reads, clock }) => {
  app.openapi(listRoute, async (c) => {
    const page = unwrap(await listFreelancers(reads.app, c.req.valid('query'), clock.now()));
    const freelancers = page.freelancers.map((f) => ({
      ...f,
      registeredAt: iso(f.registeredAt),
      nextCycleAt: iso(f.nextCycleAt),
      balance: f.available + f.held,
    }));
    return c.json({ freelancers, nextCursor: page.nextCursor }, 200);
  });

  app.openapi(statsRoute, async (c) => {
    const s = unwrap(await getStats(reads.app, c.req.valid('query'), clock.now()));
    return c.json(
      {
        asOf: iso(s.asOf),
        bucket: s.bucket,
        from: iso(s.from),
        until: iso(s.until),
        totals: s.totals,
        series: s.series.map(wirePoint),
      },
      200,
    );
  });
};
