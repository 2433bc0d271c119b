import { createRoute, z } from '@hono/zod-openapi';
import { BOOTSTRAP_ACTOR, ROLES } from '../../app/operators/operators.ts';
import { bearerSecurity, requireToken } from '../auth.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/**
 * Who a bearer token acts for, so a UI can sign in with the token alone and
 * show the pages the caller may use: the bootstrap admin (an owner), an
 * operator with its role, or the one freelancer a freelancer token is bound
 * to. A bad, revoked or expired token is a 401 like on every other route.
 */
const roleField = z.enum(ROLES).openapi({
  description: 'What the caller may do (docs/operators.md, "Roles"); the bootstrap admin is an owner.',
});
const sessionSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('admin'),
      role: roleField,
      actor: z.string().openapi({ description: 'How its writes are recorded: admin.' }),
    }),
    z.object({
      kind: z.literal('operator'),
      operatorId: z.string().openapi({ description: 'The operator the key belongs to.' }),
      role: roleField,
      keyId: z.string().openapi({ description: 'The key used (for rotation).' }),
    }),
    z.object({
      kind: z.literal('freelancer'),
      freelancerId: z.string().openapi({ description: 'The freelancer this token acts for.' }),
    }),
  ])
  .openapi('Session', { example: { kind: 'freelancer', freelancerId: 'fl_ada' } });

const route = createRoute({
  method: 'get',
  path: '/v1/session',
  operationId: 'getSession',
  tags: ['auth'],
  summary: 'Who the bearer token acts for: the admin, an operator and its role, or one freelancer.',
  security: bearerSecurity,
  middleware: [requireToken] as const,
  responses: {
    200: {
      description: 'The account behind the token.',
      content: { 'application/json': { schema: sessionSchema } },
    },
    ...errorResponses(401),
  },
});

export const sessionRoutes: RouteModule = (app) => {
  app.openapi(route, (c) => {
    const principal = c.var.principal;
    if (principal?.kind === 'freelancer') {
      return c.json({ kind: 'freelancer' as const, freelancerId: principal.freelancerId }, 200);
    }
    if (principal?.kind === 'operator') {
      const { operatorId, role, keyId } = principal;
      return c.json({ kind: 'operator' as const, operatorId, role, keyId }, 200);
    }
    return c.json({ kind: 'admin' as const, role: 'owner' as const, actor: BOOTSTRAP_ACTOR }, 200);
  });
};
