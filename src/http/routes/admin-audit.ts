import { createRoute, z } from '@hono/zod-openapi';
import { listAudit, MAX_AUDIT_PAGE, type AuditRow } from '../../app/operators/audit.ts';
import { toIso } from '../../core/time.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { unwrap } from '../errors.ts';
import {
  errorResponses,
  idSchema,
  instantInputSchema,
  isoInstantSchema,
  limitQuerySchema,
} from '../schemas.ts';
import type { RouteModule } from '../services.ts';

/**
 * The audit trail (docs/operators.md, "Audit trail"): one row per write
 * request of an operator or the bootstrap admin, refused ones included,
 * newest first. Owners and finance read it; support and marketplace do not
 * (they would read each other's work and their own).
 */

const auditQuery = z.strictObject({
  actor: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be an operator id (or admin)')
    .optional()
    .openapi({ description: 'Only rows of this operator id (admin: the bootstrap token and the CLI).' }),
  freelancerId: idSchema.optional().openapi({ description: 'Only rows about this freelancer.' }),
  since: instantInputSchema.optional().openapi({ description: 'Rows at or after this instant.' }),
  until: instantInputSchema.optional().openapi({ description: 'Rows before this instant.' }),
  cursor: z.string().min(1).max(200).optional().openapi({ description: "The previous page's nextCursor." }),
  limit: limitQuerySchema,
});

const auditRowSchema = z
  .object({
    id: z.int(),
    at: isoInstantSchema,
    actor: z.string().openapi({ description: 'The operator id, or admin.' }),
    actorRole: z
      .string()
      .openapi({ description: 'Its role at the time: owner, support, finance, marketplace.' }),
    requestId: z.string().openapi({ description: 'The X-Request-Id of the request (also in the logs).' }),
    method: z.string(),
    route: z.string().openapi({ description: 'The route pattern, e.g. /v1/admin/grants.' }),
    path: z.string(),
    freelancerId: z.string().nullable(),
    status: z.int().openapi({ description: 'The HTTP status answered.' }),
    errorCode: z.string().nullable().openapi({ description: 'The error code of a refused request.' }),
    entries: z
      .array(z.object({ account: z.string(), seq: z.int() }))
      .openapi({ description: 'The ledger entries the request wrote (account and seq).' }),
  })
  .openapi('AuditRow');

const route = createRoute({
  method: 'get',
  path: '/v1/admin/audit',
  operationId: 'listAudit',
  tags: ['operators'],
  summary: 'Who did what: operator write requests, refused ones included, newest first (owner, finance).',
  description: `Pages of up to ${MAX_AUDIT_PAGE} rows (default 50); nextCursor stays valid while rows arrive.`,
  security: bearerSecurity,
  middleware: [requireRole('finance')] as const,
  request: { query: auditQuery },
  responses: {
    200: {
      description: 'A page of the audit trail.',
      content: {
        'application/json': {
          schema: z
            .object({ rows: z.array(auditRowSchema), nextCursor: z.string().nullable() })
            .openapi('AuditPage'),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

const wire = (row: AuditRow) => ({ ...row, at: toIso(row.at), entries: row.entries.map((e) => ({ ...e })) });

export const adminAuditRoutes: RouteModule = (app, { store }) => {
  app.openapi(route, async (c) => {
    const q = c.req.valid('query');
    const page = unwrap(await listAudit(store, q));
    return c.json({ rows: page.rows.map(wire), nextCursor: page.nextCursor }, 200);
  });
};
