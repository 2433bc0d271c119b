import { createRoute, z } from '@hono/zod-openapi';
import { toIso } from '../../core/time.ts';
import { bearerSecurity, requireAdmin, requireAdminOr } from '../auth.ts';
import { unwrap } from '../errors.ts';
import { errorResponses, freelancerIdParams, idSchema, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import type { TokenInfo } from '../tokens.ts';
import { requireFreelancer } from '../../app/accounts/freelancer-rows.ts';

/**
 * Freelancer API tokens. The admin issues them; the token is returned once
 * and only its hash is kept. A freelancer may list and revoke its own tokens.
 * Issuing is deliberately not idempotent: a replay could not show the secret
 * again, so every call issues a new token. Only registered freelancers get
 * tokens, and the answer holding the secret is never stored by a cache.
 */
const tokenInfoSchema = z
  .object({
    tokenId: z.string(),
    freelancerId: z.string(),
    createdAt: isoInstantSchema,
    revokedAt: isoInstantSchema.nullable(),
  })
  .openapi('FreelancerTokenInfo');

const issuedTokenSchema = tokenInfoSchema
  .extend({
    token: z
      .string()
      .openapi({ description: 'The bearer token. Shown only in this response.', example: 'cfl_…' }),
  })
  .openapi('FreelancerToken');

const tokenParams = freelancerIdParams.extend({
  tokenId: idSchema.openapi({ param: { name: 'tokenId', in: 'path' }, example: 'tok_3q2Xk9' }),
});

const issueRoute = createRoute({
  method: 'post',
  path: '/v1/freelancers/{id}/tokens',
  operationId: 'issueFreelancerToken',
  tags: ['auth'],
  summary: 'Issues a bearer token that acts only for this freelancer (admin).',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { params: freelancerIdParams },
  responses: {
    201: {
      description: 'The new token (sent with Cache-Control: no-store).',
      content: { 'application/json': { schema: issuedTokenSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/tokens',
  operationId: 'listFreelancerTokens',
  tags: ['auth'],
  summary: "The freelancer's tokens, without their secrets (admin or the freelancer).",
  security: bearerSecurity,
  middleware: [requireAdminOr('id')] as const,
  request: { params: freelancerIdParams },
  responses: {
    200: {
      description: 'Tokens, oldest first, revoked ones included.',
      content: { 'application/json': { schema: z.object({ tokens: z.array(tokenInfoSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/v1/freelancers/{id}/tokens/{tokenId}',
  operationId: 'revokeFreelancerToken',
  tags: ['auth'],
  summary: 'Revokes a token at once; revoking again changes nothing (admin or the freelancer).',
  security: bearerSecurity,
  middleware: [requireAdminOr('id')] as const,
  request: { params: tokenParams },
  responses: {
    200: { description: 'The revoked token.', content: { 'application/json': { schema: tokenInfoSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const wire = (info: TokenInfo) => ({
  tokenId: info.tokenId,
  freelancerId: info.freelancerId,
  createdAt: toIso(info.createdAt),
  revokedAt: info.revokedAt === null ? null : toIso(info.revokedAt),
});

export const freelancerTokenRoutes: RouteModule = (app, { tokens, clock, store }) => {
  app.openapi(issueRoute, async (c) => {
    const { id } = c.req.valid('param');
    unwrap(await requireFreelancer(store, id));
    const issued = unwrap(await tokens.issue(id, clock.now()));
    c.header('Cache-Control', 'no-store');
    return c.json({ ...wire(issued), token: issued.token }, 201);
  });

  app.openapi(listRoute, async (c) => {
    const list = await tokens.list(c.req.valid('param').id);
    return c.json({ tokens: list.map(wire) }, 200);
  });

  app.openapi(revokeRoute, async (c) => {
    const { id, tokenId } = c.req.valid('param');
    return c.json(wire(unwrap(await tokens.revoke(id, tokenId, clock.now()))), 200);
  });
};
