import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { MAX_POLICY_NOTE, schedulePolicy } from '../../app/policy/schedule-policy.ts';
import { readStoredTimeline, viewsAt, type PolicyView } from '../../app/policy/stored-timeline.ts';
import { withdrawPolicy } from '../../app/policy/withdraw-policy.ts';
import { connectsError, type ConnectsError, type Result } from '../../core/errors.ts';
import { toIso } from '../../core/time.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { fail } from '../errors.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { errorResponses, isoInstantSchema } from '../schemas.ts';
import type { ApiEnv, RouteModule } from '../services.ts';
import { policyDocument } from './policy.ts';
import { runUseCase } from './use-case.ts';

/**
 * The operator's policy timeline (docs/policy.md): list it, schedule a policy
 * (POST, idempotent by policy id; PUT replaces a scheduled one), withdraw a
 * scheduled one. Policies in force or past never change. Owner only.
 */

const json = <S>(schema: S) => ({ 'application/json': { schema } });
const common = { tags: ['policy'], security: bearerSecurity, middleware: requireAdmin };

const policyState = z.enum(['past', 'in_force', 'scheduled']).openapi('PolicyState');

const policyRecord = z
  .object({
    id: z.string(),
    name: z.string(),
    effectiveFrom: isoInstantSchema,
    state: policyState.openapi({
      description:
        'past: replaced by a later one; in_force: judges events now; scheduled: not yet effective.',
    }),
    note: z.string().nullable(),
    scheduledBy: z
      .string()
      .openapi({ description: "'built-in' for the seeded eras, else the operator (or 'cli')." }),
    scheduledAt: isoInstantSchema,
    effectiveAnnouncedAt: isoInstantSchema.nullable().openapi({
      description:
        'When policy.effective was sent; null before (and for the seeded eras: their seeding time).',
    }),
    policy: policyDocument,
  })
  .openapi('PolicyRecord');

const policyList = z
  .object({
    now: isoInstantSchema.openapi({
      description: "The service's current time, which the states are judged at.",
    }),
    version: z.int().openapi({ description: 'Bumped by every change of the timeline.' }),
    policies: z.array(policyRecord).openapi({ description: 'The whole timeline, by effectiveFrom.' }),
  })
  .openapi('PolicyRecordList');

const scheduleBody = z
  .strictObject({
    policy: policyDocument,
    note: z
      .string()
      .max(MAX_POLICY_NOTE)
      .nullable()
      .optional()
      .openapi({
        description: `Why (kept with the policy and in its events), at most ${MAX_POLICY_NOTE} characters.`,
      }),
  })
  .openapi('SchedulePolicy');

const idParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The policy id.', example: 'plus-100' }),
});

const refusals =
  'effectiveFrom before the service time, an unknown field, a non-integer, tiers out of order or a full ' +
  'timeline is validation_failed (400) with field paths; nothing is stored.';

const listRoute = createRoute({
  ...common,
  method: 'get',
  path: '/v1/admin/policies',
  operationId: 'listPolicies',
  summary: 'The whole policy timeline with each policy’s state, note and who scheduled it (owner).',
  responses: {
    200: { description: 'The timeline.', content: json(policyList) },
    ...errorResponses(401, 403),
  },
});

const getRoute = createRoute({
  ...common,
  method: 'get',
  path: '/v1/admin/policies/{id}',
  operationId: 'getPolicyRecord',
  summary: 'One policy of the timeline with its state (owner).',
  request: { params: idParams },
  responses: {
    200: { description: 'The policy.', content: json(policyRecord) },
    ...errorResponses(400, 401, 403, 404),
  },
});

const postRoute = createRoute({
  ...common,
  method: 'post',
  path: '/v1/admin/policies',
  operationId: 'schedulePolicy',
  summary: 'Schedules a policy at its effectiveFrom, at or after now (owner).',
  description:
    'Idempotent by policy id: the same policy and note again answers 200 with the stored record; a different ' +
    `body under a known id is policy_conflict (409). ${refusals} Sends policy.scheduled.`,
  request: { body: { required: true, content: json(scheduleBody) } },
  responses: {
    201: { description: 'Scheduled.', content: json(policyRecord) },
    200: { description: 'Already scheduled with this body (a replay).', content: json(policyRecord) },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const putRoute = createRoute({
  ...common,
  method: 'put',
  path: '/v1/admin/policies/{id}',
  operationId: 'replacePolicy',
  summary: 'Replaces a scheduled policy, or schedules it under this id (owner).',
  description:
    `policy.id must equal the path id. A policy in force or past is policy_in_force (409). ${refusals} ` +
    'Sends policy.scheduled (replaced: true when it replaced one).',
  request: { params: idParams, body: { required: true, content: json(scheduleBody) } },
  responses: {
    200: { description: 'Replaced (or unchanged).', content: json(policyRecord) },
    201: { description: 'Scheduled under a new id.', content: json(policyRecord) },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const deleteRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/v1/admin/policies/{id}',
  operationId: 'withdrawPolicy',
  summary: 'Withdraws a scheduled policy (owner).',
  description:
    'Only a policy not yet effective: one in force or past is policy_in_force (409); an unknown id ' +
    'policy_not_found (404). Sends policy.withdrawn.',
  request: { params: idParams },
  responses: { 204: { description: 'Withdrawn.' }, ...errorResponses(400, 401, 403, 404, 409) },
});

export const wirePolicyRecord = (v: PolicyView) => ({
  id: v.policy.id,
  name: v.policy.name,
  effectiveFrom: v.policy.effectiveFrom,
  state: v.state,
  note: v.note,
  scheduledBy: v.scheduledBy,
  scheduledAt: toIso(v.scheduledAt),
  effectiveAnnouncedAt: v.announcedAt === null ? null : toIso(v.announcedAt),
  policy: v.policy,
});

/** Who is acting: the operator's id, or 'admin' for the bootstrap token. */
async function actor(c: Context<ApiEnv>): Promise<string> {
  const principal = await c.var.auth();
  return 'operatorId' in principal ? principal.operatorId : principal.kind;
}

/** The use case checked the body as its `input`; on the wire it is the request body. */
function asBody(error: ConnectsError): ConnectsError {
  const issues = error.details?.['issues'];
  if (error.code !== 'validation_failed' || !Array.isArray(issues)) return error;
  const moved = issues.map((i: Record<string, unknown>) => ({ ...i, in: 'body' }));
  return connectsError(error.code, error.message.replace('input.', 'body.'), {
    ...error.details,
    issues: moved,
  });
}

const run = <T>(metrics: Metrics, type: string, work: () => Promise<Result<T>>): Promise<T> =>
  runUseCase(metrics, type, async () => {
    const result = await work();
    return result.ok ? result : { ok: false, error: asBody(result.error) };
  });

export const adminPolicyRoutes: RouteModule = (app, { app: ctx, clock, store, metrics }) => {
  app.openapi(listRoute, async (c) => {
    const now = clock.now();
    const stored = await readStoredTimeline(store);
    return c.json(
      { now: toIso(now), version: stored.version, policies: viewsAt(stored, now).map(wirePolicyRecord) },
      200,
    );
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const view = viewsAt(await readStoredTimeline(store), clock.now()).find((v) => v.policy.id === id);
    if (view === undefined) fail('policy_not_found', `No policy with id ${id}.`, { id });
    return c.json(wirePolicyRecord(view), 200);
  });

  app.openapi(postRoute, async (c) => {
    const body = c.req.valid('json');
    const input = { policy: body.policy, note: body.note ?? null, scheduledBy: await actor(c) };
    const out = await run(metrics, 'schedule_policy', () => schedulePolicy(ctx, input, clock.now()));
    return c.json(wirePolicyRecord(out.view), out.changed ? 201 : 200);
  });

  app.openapi(putRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (body.policy.id !== id) {
      fail('validation_failed', `Invalid request: body.policy.id: must equal the path id ${id}`, {
        issues: [{ in: 'body', path: 'policy.id', message: `must equal the path id ${id}` }],
      });
    }
    const input = {
      policy: body.policy,
      note: body.note ?? null,
      scheduledBy: await actor(c),
      replace: true,
    };
    const out = await run(metrics, 'schedule_policy', () => schedulePolicy(ctx, input, clock.now()));
    return c.json(wirePolicyRecord(out.view), out.changed && !out.replaced ? 201 : 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    const input = { id, withdrawnBy: await actor(c) };
    await run(metrics, 'withdraw_policy', () => withdrawPolicy(ctx, input, clock.now()));
    return c.body(null, 204);
  });
};
