import { createRoute, z } from '@hono/zod-openapi';
import { completeCertification } from '../../app/accounts/complete-certification.ts';
import { reportFacts } from '../../app/accounts/report-facts.ts';
import type { Reward } from '../../app/accounts/rewards.ts';
import { risingTalentCriteria } from '../../core/policy/rising-talent.ts';
import { bearerSecurity, requireRoleOr } from '../auth.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import {
  errorResponses,
  freelancerIdParams,
  idSchema,
  instantInputSchema,
  isoInstantSchema,
} from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { iso } from './freelancers-wire.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';

/**
 * One-time rewards the marketplace reports (rules.md 2.2, 2.4, 2.8): Rising
 * Talent facts, evaluated and rewarded once, and a completed certification.
 */

/** An instant or null; a union, because the instant schema's own OpenAPI type would hide the null. */
const instantOrNull = z.union([instantInputSchema, z.null()]);

const factsBody = z
  .strictObject({
    profileCompletenessPct: z.int().min(0).max(100),
    availabilityUpdatedAt: instantOrNull,
    proposalsMatchingSkills: z.boolean(),
    tosViolationAt: z
      .array(instantInputSchema)
      .max(1000)
      .openapi({ description: 'Terms-of-service violations, when they happened.' }),
    hasJobSuccessScore: z.boolean(),
    lastActiveAt: instantOrNull,
  })
  .openapi('RisingTalentFacts');

const rewardSchema = z
  .object({
    reward: z.enum(['rising_talent', 'certification']),
    ref: z
      .string()
      .nullable()
      .openapi({ description: 'What earned it: the certification id; null for the badge.' }),
    connects: z.int(),
    grantedAt: isoInstantSchema,
  })
  .openapi('Reward');

const certificationResultSchema = rewardSchema
  .extend({
    replayed: z
      .boolean()
      .openapi({ description: 'True when this answers a repeat of the same certification.' }),
  })
  .openapi('CertificationResult');

const wireReward = (r: Reward) => ({
  reward: r.reward,
  ref: r.ref,
  connects: r.connects,
  grantedAt: iso(r.grantedAt),
});

const verdictSchema = z
  .object({
    eligible: z
      .boolean()
      .openapi({ description: 'Whether the facts meet every Rising Talent criterion now.' }),
    missing: z
      .array(z.enum(risingTalentCriteria))
      .openapi({ description: 'Unmet criteria; empty when eligible.' }),
    granted: z.boolean().openapi({ description: 'True when this report earned the badge and its Connects.' }),
    badge: rewardSchema.nullable(),
  })
  .openapi('RisingTalentVerdict');

const factsRoute = createRoute({
  method: 'post',
  path: '/v1/freelancers/{id}/facts',
  operationId: 'reportFacts',
  tags: ['freelancers'],
  summary: 'Reports Rising Talent facts; the first eligible report grants the badge and its Connects.',
  description: 'Not being eligible is an answer (with the missing criteria), not an error.',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'marketplace')] as const,
  request: {
    params: freelancerIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: factsBody } } },
  },
  responses: {
    200: { description: 'The verdict.', content: { 'application/json': { schema: verdictSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const certificationRoute = createRoute({
  method: 'post',
  path: '/v1/freelancers/{id}/certifications',
  operationId: 'completeCertification',
  tags: ['freelancers'],
  summary: 'Records a completed skill certification: a one-time bonus per account.',
  description:
    'The same certification again returns the original reward; another certification after the bonus ' +
    'was granted is already_granted (409).',
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'marketplace')] as const,
  request: {
    params: freelancerIdParams,
    headers: idempotencyHeaders,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({ certificationId: idSchema }).openapi('CompleteCertification'),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'The reward.',
      content: { 'application/json': { schema: certificationResultSchema } },
    },
    200: {
      description: 'A repeat of the same certification: the original reward.',
      content: { 'application/json': { schema: certificationResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

export const freelancerRewardRoutes: RouteModule = (app, { app: ctx, clock, store, metrics }) => {
  app.openapi(factsRoute, async (c) => {
    const { id } = c.req.valid('param');
    const facts = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: id, request: { id, facts } }, async () => {
      const r = await runUseCase(metrics, 'report_facts', () =>
        reportFacts(ctx, { freelancerId: id, facts }, now),
      );
      const badge = r.badge === null ? null : wireReward(r.badge);
      return {
        status: 200 as const,
        body: { eligible: r.eligible, missing: [...r.missing], granted: r.granted, badge },
      };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(certificationRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { certificationId } = c.req.valid('json');
    const now = clock.now();
    const request = { id, certificationId };
    const out = await idempotentWrite(c, { store, now, scope: id, request }, async () => {
      const r = await runUseCase(metrics, 'complete_certification', () =>
        completeCertification(ctx, { freelancerId: id, certificationId }, now),
      );
      const body = { ...wireReward(r.reward), replayed: r.replayed };
      return r.replayed ? { status: 200 as const, body } : { status: 201 as const, body };
    });
    return c.json(out.body, out.status);
  });
};
