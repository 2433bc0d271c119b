import { createRoute, z } from '@hono/zod-openapi';
import { policyJsonSchema } from '../../core/policy/json-schema.ts';
import { policySchema } from '../../core/policy/schema.ts';
import { nextPolicyChangeAfter, policyAt } from '../../core/policy/timeline.ts';
import { toIso } from '../../core/time.ts';
import { bearerSecurity, requireToken } from '../auth.ts';
import { errorResponses, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/** The policy document as the OpenAPI document names it; the admin policy routes share it. */
export const policyDocument = policySchema.openapi('Policy');
const policy = policyDocument;

const policyTimelineSchema = z
  .object({
    now: isoInstantSchema.openapi({ description: "The service's current time." }),
    current: policy.openapi({ description: 'The policy in force now.' }),
    nextChangeAt: isoInstantSchema
      .nullable()
      .openapi({ description: 'When the next policy takes effect, or null if none is scheduled.' }),
    timeline: z.array(policy).openapi({ description: 'Every policy of the deployment, by effectiveFrom.' }),
  })
  .openapi('PolicyTimeline');

const route = createRoute({
  method: 'get',
  path: '/v1/policy',
  operationId: 'getPolicy',
  tags: ['policy'],
  summary: 'The policy in force now and the whole policy timeline.',
  description:
    'Each event is judged by the policy in force at its time. Readable with any valid token, ' +
    'so a freelancer UI can show prices and bundles.',
  security: bearerSecurity,
  middleware: [requireToken] as const,
  responses: {
    200: {
      description: 'The policy timeline.',
      content: { 'application/json': { schema: policyTimelineSchema } },
    },
    ...errorResponses(401),
  },
});

const schemaRoute = createRoute({
  method: 'get',
  path: '/v1/policy.schema.json',
  operationId: 'getPolicyJsonSchema',
  tags: ['policy'],
  summary: 'The JSON Schema of a policy file (one policy or a list), for editors. Public.',
  description:
    'Generated from the validation schema the service uses (also committed as docs/policy.schema.json). ' +
    'Public: it describes the format, not the deployment. Cross-field rules are checked by the service.',
  security: [],
  responses: {
    200: {
      description: 'A JSON Schema (draft 2020-12).',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

export const policyRoutes: RouteModule = (app, { clock, timeline }) => {
  const jsonSchema = policyJsonSchema();
  app.openapi(schemaRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(jsonSchema, 200);
  });

  app.openapi(route, (c) => {
    const now = clock.now();
    const next = nextPolicyChangeAfter(timeline, now);
    return c.json(
      {
        now: toIso(now),
        current: policyAt(timeline, now),
        nextChangeAt: next === null ? null : toIso(next),
        timeline: [...timeline.policies],
      },
      200,
    );
  });
};
