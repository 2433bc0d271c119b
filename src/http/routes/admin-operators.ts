import { createRoute, z } from '@hono/zod-openapi';
import {
  createOperator,
  issueOperatorKey,
  listOperators,
  MAX_ACTIVE_KEYS_PER_OPERATOR,
  MAX_OPERATORS,
  OPERATOR_ID_PATTERN,
  operatorIdSchema,
  revokeOperatorKey,
  ROLES,
  type IssuedOperatorKey,
  type OperatorKeyInfo,
} from '../../app/operators/operators.ts';
import { toIso } from '../../core/time.ts';
import { auditInTransaction } from '../audit-trail.ts';
import { actorOf, bearerSecurity, requireAdmin } from '../auth.ts';
import { fail, unwrap } from '../errors.ts';
import { errorResponses, instantInputSchema, isoInstantSchema } from '../schemas.ts';
import type { ApiEnv, RouteModule } from '../services.ts';
import type { Context } from 'hono';

/**
 * Operators and their keys (owner only; docs/operators.md). A key is shown
 * once, in the answer that issues it (sent with Cache-Control: no-store);
 * only its hash is kept. Issuing is deliberately not idempotent: a replay
 * could not show the secret again. Revoking holds on the next request in
 * every server process: keys are looked up in the database on every request.
 */

const operatorIdParam = z
  .string()
  .regex(OPERATOR_ID_PATTERN, 'must be 1 to 64 characters of A-Z a-z 0-9 _ . -')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'sam-support' });

const keyInfoSchema = z
  .object({
    keyId: z.string(),
    createdAt: isoInstantSchema,
    createdBy: z.string().openapi({ description: 'The actor who issued it (an operator id, or admin).' }),
    expiresAt: isoInstantSchema
      .nullable()
      .openapi({ description: 'Refused from this instant; null: never.' }),
    revokedAt: isoInstantSchema.nullable(),
    active: z.boolean().openapi({ description: 'Neither revoked nor expired now.' }),
  })
  .openapi('OperatorKeyInfo');

const roleSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).openapi({
  description:
    'owner: everything; support: read freelancers, grant or remove Connects within limits, cancel ' +
    'jobs; finance: statistics, reports, exports (read only); marketplace: the integration key (jobs, ' +
    'proposals, interactions, interviews, registrations).',
  example: 'support',
});

const operatorSchema = z
  .object({
    id: z.string(),
    role: roleSchema,
    createdAt: isoInstantSchema,
    createdBy: z.string(),
    keys: z.array(keyInfoSchema),
  })
  .openapi('Operator');

const issuedSchema = z
  .object({
    id: z.string(),
    role: roleSchema,
    keyId: z.string(),
    key: z
      .string()
      .openapi({ description: 'The bearer key. Shown only in this response.', example: 'cop_…' }),
    expiresAt: isoInstantSchema.nullable(),
  })
  .openapi('OperatorKey');

const createBody = z
  .strictObject({
    id: operatorIdSchema.openapi({
      description: 'The operator id: 1 to 64 of A-Z a-z 0-9 _ . - (not "admin").',
      example: 'sam-support',
    }),
    role: roleSchema,
    expiresAt: instantInputSchema
      .optional()
      .openapi({ description: 'When the first key stops working; absent: never.' }),
  })
  .openapi('OperatorCreate');

const keyBody = z
  .strictObject({
    expiresAt: instantInputSchema
      .optional()
      .openapi({ description: 'When the key stops working; absent: never.' }),
  })
  .openapi('OperatorKeyCreate');

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/admin/operators',
  operationId: 'createOperator',
  tags: ['operators'],
  summary: 'Creates an operator with a role and its first key (owner).',
  description:
    `An existing id is operator_exists (409): nothing is replaced. At most ${MAX_OPERATORS} operators ` +
    '(operator_limit_reached). An unknown role is validation_failed with the path role.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { body: { required: true, content: { 'application/json': { schema: createBody } } } },
  responses: {
    201: {
      description: 'The operator and its key (sent with Cache-Control: no-store).',
      content: { 'application/json': { schema: issuedSchema } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const listRouteDef = createRoute({
  method: 'get',
  path: '/v1/admin/operators',
  operationId: 'listOperators',
  tags: ['operators'],
  summary: "Every operator with its keys' metadata, never a secret (owner).",
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  responses: {
    200: {
      description: 'Operators by id; keys oldest first, revoked and expired ones included.',
      content: { 'application/json': { schema: z.object({ operators: z.array(operatorSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

const issueRouteDef = createRoute({
  method: 'post',
  path: '/v1/admin/operators/{id}/keys',
  operationId: 'issueOperatorKey',
  tags: ['operators'],
  summary: 'Issues another key to an operator, e.g. to rotate one (owner).',
  description: `At most ${MAX_ACTIVE_KEYS_PER_OPERATOR} active keys per operator (operator_limit_reached).`,
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: {
    params: z.strictObject({ id: operatorIdParam }),
    body: { required: false, content: { 'application/json': { schema: keyBody } } },
  },
  responses: {
    201: {
      description: 'The new key (sent with Cache-Control: no-store).',
      content: { 'application/json': { schema: issuedSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const revokeRouteDef = createRoute({
  method: 'delete',
  path: '/v1/admin/operators/{id}/keys/{keyId}',
  operationId: 'revokeOperatorKey',
  tags: ['operators'],
  summary: 'Revokes a key: refused (401) from the next request on, in every server process (owner).',
  description:
    'Revoking again changes nothing and answers the same. An unknown operator or key is not_found.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: {
    params: z.strictObject({
      id: operatorIdParam,
      keyId: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a key id')
        .openapi({ param: { name: 'keyId', in: 'path' }, example: 'key_3q2Xk9' }),
    }),
  },
  responses: {
    200: { description: 'The revoked key.', content: { 'application/json': { schema: keyInfoSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const keyWire = (info: OperatorKeyInfo, now: number) => ({
  keyId: info.keyId,
  createdAt: toIso(info.createdAt),
  createdBy: info.createdBy,
  expiresAt: info.expiresAt === null ? null : toIso(info.expiresAt),
  revokedAt: info.revokedAt === null ? null : toIso(info.revokedAt),
  active: info.revokedAt === null && (info.expiresAt === null || info.expiresAt > now),
});

const issuedWire = (issued: IssuedOperatorKey) => ({
  id: issued.operatorId,
  role: issued.role,
  keyId: issued.keyId,
  key: issued.key,
  expiresAt: issued.expiresAt === null ? null : toIso(issued.expiresAt),
});

/** The id writes are recorded under: the operator, or admin for the bootstrap token. */
function actorId(c: Context<ApiEnv>): string {
  const principal = c.var.principal;
  const actor = principal === undefined ? undefined : actorOf(principal);
  return actor === undefined ? fail('forbidden') : actor.id;
}

export const adminOperatorRoutes: RouteModule = (app, { store, clock }) => {
  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid('json');
    const input = {
      id: body.id,
      role: body.role,
      ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }),
    };
    const now = clock.now();
    const issued = unwrap(
      await createOperator(store, input, actorId(c), now, auditInTransaction(c, clock, 201)),
    );
    c.header('Cache-Control', 'no-store');
    return c.json(issuedWire(issued), 201);
  });

  app.openapi(listRouteDef, async (c) => {
    const now = clock.now();
    const operators = await listOperators(store);
    return c.json(
      {
        operators: operators.map((o) => ({
          id: o.id,
          role: o.role,
          createdAt: toIso(o.createdAt),
          createdBy: o.createdBy,
          keys: o.keys.map((k) => keyWire(k, now)),
        })),
      },
      200,
    );
  });

  app.openapi(issueRouteDef, async (c) => {
    const { id } = c.req.valid('param');
    // The body is optional: no body at all means a key that never expires.
    const body = c.req.valid('json') as { expiresAt?: number } | undefined;
    const expiresAt = body?.expiresAt;
    const input = { operatorId: id, ...(expiresAt === undefined ? {} : { expiresAt }) };
    const issued = unwrap(
      await issueOperatorKey(store, input, actorId(c), clock.now(), auditInTransaction(c, clock, 201)),
    );
    c.header('Cache-Control', 'no-store');
    return c.json(issuedWire(issued), 201);
  });

  app.openapi(revokeRouteDef, async (c) => {
    const { id, keyId } = c.req.valid('param');
    const now = clock.now();
    const revoked = unwrap(await revokeOperatorKey(store, id, keyId, now, auditInTransaction(c, clock, 200)));
    return c.json(keyWire(revoked, now), 200);
  });
};
