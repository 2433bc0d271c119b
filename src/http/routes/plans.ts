import { createRoute, z } from '@hono/zod-openapi';
import { requireFreelancer, type Freelancer } from '../../app/accounts/freelancer-rows.ts';
import { changePlan, changePlanInputSchema } from '../../app/plans/change-plan.ts';
import { anchoredCycleAt } from '../../core/calendar.ts';
import { upgradeQuote } from '../../core/plan-upgrade.ts';
import { planNames, upgradeBillings, type PlanName } from '../../core/policy/schema.ts';
import type { PolicyTimeline } from '../../core/policy/timeline.ts';
import { policyAt } from '../../core/policy/timeline.ts';
import { MS_PER_DAY, type Instant } from '../../core/time.ts';
import { bearerSecurity, requireAdminOr, requireRoleOr } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, freelancerIdParams, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { cycleSchema, iso, wireCycle } from './freelancers-wire.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/**
 * Membership plans (rules.md 3.1-3.2): change the plan, and preview what an
 * upgrade would grant and cost before the freelancer confirms it.
 */

const planBody = z
  .strictObject({
    plan: changePlanInputSchema.shape.plan,
    card: changePlanInputSchema.shape.card.openapi({
      description: 'Charged now and at each renewal; needed to upgrade unless a card is on file.',
      example: '4242424242424242',
    }),
  })
  .openapi('ChangePlan');

const planChangeSchema = z
  .object({
    freelancerId: z.string(),
    plan: z.enum(planNames).openapi({ description: 'The plan in force now, after the change.' }),
    pendingPlan: z.enum(planNames).nullable().openapi({ description: 'The plan from the next renewal.' }),
    change: z.enum(['upgraded', 'downgrade_scheduled', 'downgrade_cancelled', 'unchanged']),
    effectiveAt: isoInstantSchema.openapi({
      description: 'Now for an upgrade; the next renewal for a downgrade.',
    }),
    prorationConnects: z.int().openapi({
      description:
        'Connects the upgrade granted: the prorated extra, or the full allotment of a restarted cycle.',
    }),
    chargedCents: z.int(),
    chargeId: z.string().nullable(),
    nextCycleAt: isoInstantSchema,
  })
  .openapi('PlanChange');

const previewSchema = z
  .object({
    freelancerId: z.string(),
    currentPlan: z.enum(planNames),
    plan: z.enum(planNames),
    change: z.enum(['upgrade', 'downgrade', 'cancel_downgrade', 'none']),
    effectiveAt: isoInstantSchema,
    upgradeBilling: z.enum(upgradeBillings).openapi({
      description:
        'How an upgrade is billed (policy plans.plus.upgradeBilling): prorate keeps the cycle and charges ' +
        'its days left; restart_cycle starts a new cycle now at the full price.',
    }),
    prorationConnects: z.int().openapi({
      description:
        'Connects an upgrade grants now, before any holding cap: floor(extra x daysLeft / daysInCycle) ' +
        "(prorate), or Plus's full allotment (restart_cycle).",
    }),
    priceCents: z.int().openapi({
      description:
        'Charged now for an upgrade: the price on the same fraction as the Connects, rounded down ' +
        '(prorate), or the full price (restart_cycle); 0 otherwise.',
    }),
    nextCycleAt: isoInstantSchema.openapi({ description: 'The next renewal after the change.' }),
    allotmentPerCycle: z.int().openapi({ description: "The plan's allotment from the next cycle on." }),
    renewalPriceCents: z.int().openapi({ description: "The plan's price at each renewal." }),
    cycle: cycleSchema,
    daysLeft: z.int(),
    daysInCycle: z.int(),
  })
  .openapi('PlanPreview');

const putRoute = createRoute({
  method: 'put',
  path: '/v1/freelancers/{id}/plan',
  operationId: 'changePlan',
  tags: ['plans'],
  summary: 'Upgrades at once (charged, prorated extra allotment) or downgrades at the next renewal.',
  description:
    'Asking for the plan already in force changes nothing; asking for Plus while a downgrade is pending ' +
    'cancels the downgrade. An upgrade needs a card unless one is on file (test cards: docs/api.md).',
  security: bearerSecurity,
  middleware: [requireAdminOr('id')] as const,
  request: {
    params: freelancerIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: planBody } } },
  },
  responses: {
    200: {
      description: 'The plan after the request.',
      content: { 'application/json': { schema: planChangeSchema } },
    },
    ...errorResponses(400, 401, 402, 403, 404, 409, 413, 415, 503),
  },
});

const previewRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/plan/preview',
  operationId: 'previewPlanChange',
  tags: ['plans'],
  summary: 'What changing to a plan now would grant and cost, without changing anything.',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support')] as const,
  request: { params: freelancerIdParams, query: z.object({ plan: z.enum(planNames) }) },
  responses: {
    200: { description: 'The preview.', content: { 'application/json': { schema: previewSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const days = (ms: number): number => {
  const remainder = ms % MS_PER_DAY;
  return (ms - remainder) / MS_PER_DAY + (remainder > 0 ? 1 : 0);
};

/** The same rules change-plan applies (rules.md 3.2), computed without writing. */
export function previewPlanChange(timeline: PolicyTimeline, f: Freelancer, plan: PlanName, now: Instant) {
  const policy = policyAt(timeline, now);
  const current = anchoredCycleAt(f.cycleAnchor, Math.max(now, f.cycleAnchor.at));
  const upgrade = plan === 'plus' && f.plan === 'basic';
  const change = upgrade
    ? 'upgrade'
    : plan === f.plan
      ? f.pendingPlan !== null && f.pendingPlan !== plan
        ? 'cancel_downgrade'
        : 'none'
      : f.pendingPlan === plan
        ? 'none'
        : 'downgrade';
  const quote = upgradeQuote(policy, current, Math.max(now, current.start));
  const cycle = upgrade ? quote.cycle : current;
  return {
    freelancerId: f.id,
    currentPlan: f.plan,
    plan,
    change,
    effectiveAt: iso(change === 'downgrade' ? current.end : now),
    upgradeBilling: quote.billing,
    prorationConnects: upgrade ? quote.connects : 0,
    priceCents: upgrade ? quote.priceCents : 0,
    nextCycleAt: iso(cycle.end),
    allotmentPerCycle: policy.plans[plan].allotment,
    renewalPriceCents: policy.plans[plan].priceCents,
    cycle: wireCycle(cycle),
    daysLeft: upgrade ? quote.daysLeft : days(cycle.end - now),
    daysInCycle: upgrade ? quote.daysInCycle : days(cycle.end - cycle.start),
  } as const;
}

export const planRoutes: RouteModule = (app, { app: ctx, clock, store, timeline, metrics }) => {
  app.openapi(putRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: id, request: { id, ...body } }, async () => {
      const r = await runUseCase(metrics, 'change_plan', () =>
        changePlan(ctx, { freelancerId: id, ...body }, now),
      );
      return {
        status: 200 as const,
        body: {
          freelancerId: id,
          plan: r.freelancer.plan,
          pendingPlan: r.freelancer.pendingPlan,
          change: r.change,
          effectiveAt: iso(r.effectiveAt),
          prorationConnects: r.prorationConnects,
          chargedCents: r.chargedCents,
          chargeId: r.chargeId,
          nextCycleAt: iso(r.freelancer.nextCycleAt),
        },
      };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(previewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const f = unwrap(await requireFreelancer(store, id));
    return c.json(previewPlanChange(timeline, f, c.req.valid('query').plan, clock.now()), 200);
  });
};
