import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getJob } from '../../app/jobs/get-job.ts';
import { MAX_PAGE_SIZE } from '../../app/jobs/fields.ts';
import { jobListStatuses, listJobs } from '../../app/jobs/list-jobs.ts';
import { postJob, postJobInputSchema } from '../../app/jobs/post-job.ts';
import { bidRangeOf, getBidRange } from '../../app/proposals/get-bid-range.ts';
import { readJob } from '../../app/jobs/job-rows.ts';
import { ok } from '../../core/errors.ts';
import { bearerSecurity, requireRole, requireToken } from '../auth.ts';
import { fail } from '../errors.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, idSchema, wholeNumber } from '../schemas.ts';
import type { ApiEnv, RouteModule } from '../services.ts';
import { idempotentWrite, REPLAYED_HEADER } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';
import {
  bidRangeSchema,
  bidRangeWire,
  jobSchema,
  jobWire,
  rankedProposalSchema,
  rankingWire,
} from './jobs-wire.ts';

/**
 * Jobs: the marketplace posts them (admin token); anyone with a token reads
 * them. The ranking of boosted proposals is public to readers; the bid range
 * is a Freelancer Plus perk (rules.md 3.1), which the operator always sees.
 */
export const jobIdParams = z.strictObject({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, description: 'The job id.', example: 'job_42' }),
});

const viewerQuery = z.strictObject({
  viewer: idSchema.optional().openapi({
    description:
      'Admin only: show the job as this freelancer sees it. A freelancer token is always its own viewer.',
  }),
});

const listQuery = z.strictObject({
  status: z.enum(jobListStatuses).optional().openapi({
    description: 'Only jobs with this status (default open), or every job with all.',
    example: 'cancelled',
  }),
  limit: z.coerce
    .number()
    .pipe(wholeNumber(1, MAX_PAGE_SIZE))
    .optional()
    .openapi({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, example: 20 }),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page.' }),
});

const jobDetailSchema = z
  .object({
    job: jobSchema,
    ranking: z.array(rankedProposalSchema).openapi({ description: 'The boosted slots, best first.' }),
    bidRange: bidRangeSchema.nullable().openapi({
      description:
        "For a Plus viewer (its competitors' bids, its own left out) and for the admin without a " +
        'viewer (every bid); null otherwise.',
    }),
  })
  .openapi('JobDetail');

const postRoute = createRoute({
  method: 'post',
  path: '/v1/jobs',
  operationId: 'postJob',
  tags: ['jobs'],
  summary: 'Posts a job; its price in Connects comes from the rate card unless given (admin).',
  description:
    'Idempotent by job id: posting the same job again answers 200 with it; other details are job_exists.',
  security: bearerSecurity,
  middleware: [requireRole('marketplace')] as const,
  request: {
    headers: idempotencyHeaders,
    body: {
      required: true,
      content: { 'application/json': { schema: z.strictObject(postJobInputSchema.shape).openapi('NewJob') } },
    },
  },
  responses: {
    201: { description: 'The job was posted.', content: { 'application/json': { schema: jobSchema } } },
    200: {
      description: 'The job already existed as sent.',
      content: { 'application/json': { schema: jobSchema } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/jobs',
  operationId: 'listJobs',
  tags: ['jobs'],
  summary: 'Jobs of one status (open by default) or all, newest first, one page at a time (any token).',
  security: bearerSecurity,
  middleware: [requireToken] as const,
  request: { query: listQuery },
  responses: {
    200: {
      description: 'A page of jobs.',
      content: {
        'application/json': {
          schema: z
            .object({ jobs: z.array(jobSchema), nextCursor: z.string().nullable() })
            .openapi('JobPage'),
        },
      },
    },
    ...errorResponses(400, 401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}',
  operationId: 'getJob',
  tags: ['jobs'],
  summary: 'A job with the ranking of boosted proposals, and the bid range for Plus viewers (any token).',
  security: bearerSecurity,
  middleware: [requireToken] as const,
  request: { params: jobIdParams, query: viewerQuery },
  responses: {
    200: { description: 'The job.', content: { 'application/json': { schema: jobDetailSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const bidRangeRoute = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/bid-range',
  operationId: 'getJobBidRange',
  tags: ['jobs'],
  summary: 'Low, average and high bid on a job: Freelancer Plus only (plan_required otherwise).',
  description:
    "A freelancer sees its competitors' bids: its own proposal is left out. The admin sees every " +
    'standing bid, or with viewer what that freelancer sees.',
  security: bearerSecurity,
  middleware: [requireToken] as const,
  request: { params: jobIdParams, query: viewerQuery },
  responses: {
    200: { description: 'The bid range.', content: { 'application/json': { schema: bidRangeSchema } } },
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

/** Whose eyes the job is seen through: a freelancer token is its own viewer; the admin may name one. */
function viewerOf(c: Context<ApiEnv>, requested: string | undefined): string | undefined {
  const principal = c.var.principal;
  if (principal === undefined) return fail('unauthorized');
  if (principal.kind !== 'freelancer') return requested;
  if (requested !== undefined && requested !== principal.freelancerId) {
    fail('forbidden', 'A freelancer token can only view a job as its own freelancer.', { viewer: requested });
  }
  return principal.freelancerId;
}

export const jobRoutes: RouteModule = (app, { app: ctx, reads, store, clock, metrics }) => {
  app.openapi(postRoute, async (c) => {
    const input = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: 'admin', request: input }, async () => {
      const posted = await runUseCase(metrics, 'job_post', () => postJob(ctx, input, now));
      if (posted.replayed) c.header(REPLAYED_HEADER, 'true');
      return { status: posted.replayed ? (200 as const) : (201 as const), body: jobWire(posted.job) };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const page = await runUseCase(metrics, 'job_list', () => listJobs(reads.app, query, clock.now()));
    return c.json({ jobs: page.jobs.map(jobWire), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const jobId = c.req.valid('param').id;
    const viewer = viewerOf(c, c.req.valid('query').viewer);
    const now = clock.now();
    const input = viewer === undefined ? { jobId } : { jobId, viewerFreelancerId: viewer };
    const out = await runUseCase(metrics, 'job_get', () => getJob(ctx, input, now));
    // The operator looking without a viewer sees everything, the bid range included.
    const bidRange = viewer === undefined ? await bidRangeOf(ctx.store, jobId) : out.bidRange;
    return c.json(
      {
        job: jobWire(out.job),
        ranking: rankingWire(out.ranking, viewer ?? null),
        bidRange: bidRange === null ? null : bidRangeWire(bidRange),
      },
      200,
    );
  });

  app.openapi(bidRangeRoute, async (c) => {
    const jobId = c.req.valid('param').id;
    const viewer = viewerOf(c, c.req.valid('query').viewer);
    const now = clock.now();
    const range = await runUseCase(metrics, 'bid_range', async () => {
      if (viewer !== undefined) return getBidRange(ctx, { jobId, freelancerId: viewer }, now);
      const job = await readJob(ctx.store, jobId, false);
      return job.ok ? ok(await bidRangeOf(ctx.store, jobId)) : job;
    });
    return c.json(bidRangeWire(range), 200);
  });
};
