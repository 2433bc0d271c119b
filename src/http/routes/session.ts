import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, requireToken } from '../auth.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/**
 * Who a bearer token acts for, so a UI can sign in with the token alone:
 * the admin, or the one freelancer a freelancer token is bound to. A bad or
 * revoked token is a 401 like on every other route.
 */
const sessionSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('admin') }),
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
  summary: 'Who the bearer token acts for: the admin, or one freelancer.',
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
    return c.json({ kind: 'admin' as const }, 200);
  });
};
