import { createRoute, z } from '@hono/zod-openapi';
import { idSchema } from '../../app/input/ids.ts';
import { MAX_PAGE_SIZE } from '../../app/jobs/fields.ts';
import { listProposals, type ListedProposal } from '../../app/proposals/list-proposals.ts';
import { bearerSecurity, requireRoleOr } from '../auth.ts';
import { errorResponses, freelancerIdParams, wholeNumber } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { runUseCase } from './use-case.ts';
import { proposalSchema, proposalWire } from './jobs-wire.ts';

/**
 * A freelancer's own proposals (admin or that freelancer), newest first, so
 * a wallet can show what it applied to and offer Withdraw on any device.
 */
const listedProposalSchema = proposalSchema
  .extend({
    boost: z
      .object({
        bidConnects: z.int(),
        status: z.enum(['held', 'charged', 'released']),
      })
      .nullable()
      .openapi({ description: 'The boost bid and where it stands; null without a boost.' }),
  })
  .openapi('ListedProposal');

const listQuery = z.strictObject({
  jobId: idSchema.optional().openapi({
    description: 'Only the proposal to this job (a freelancer has at most one per job).',
    example: 'job_42',
  }),
  limit: z.coerce
    .number()
    .pipe(wholeNumber(1, MAX_PAGE_SIZE))
    .optional()
    .openapi({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, example: 20 }),
  cursor: z.string().min(1).max(200).optional().openapi({ description: 'nextCursor of the previous page.' }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/freelancers/{id}/proposals',
  operationId: 'listProposals',
  tags: ['proposals'],
  summary: "The freelancer's proposals, newest first, one page at a time (admin or the freelancer).",
  security: bearerSecurity,
  middleware: [requireRoleOr('id', 'support', 'marketplace')] as const,
  request: { params: freelancerIdParams, query: listQuery },
  responses: {
    200: {
      description: 'A page of proposals.',
      content: {
        'application/json': {
          schema: z
            .object({
              proposals: z.array(listedProposalSchema),
              nextCursor: z
                .string()
                .nullable()
                .openapi({ description: 'Pass as cursor for the next page; null on the last.' }),
            })
            .openapi('ProposalPage'),
        },
      },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const wire = (p: ListedProposal) => ({ ...proposalWire(p), boost: p.boost });

export const freelancerProposalRoutes: RouteModule = (app, { reads, clock, metrics }) => {
  app.openapi(listRoute, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const page = await runUseCase(metrics, 'proposal_list', () =>
      listProposals(reads.app, { freelancerId: id, ...query }, clock.now()),
    );
    return c.json({ proposals: page.proposals.map(wire), nextCursor: page.nextCursor }, 200);
  });
};
