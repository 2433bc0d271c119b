import { createRoute, z } from '@hono/zod-openapi';
import { cancelJob, cancelJobInputSchema } from '../../app/jobs/cancel-job.ts';
import { hireFreelancer, hireFreelancerInputSchema } from '../../app/jobs/hire-freelancer.ts';
import { findProposal } from '../../app/proposals/proposal-rows.ts';
import { connectsError, err } from '../../core/errors.ts';
import type { Instant } from '../../core/time.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { jobIdParams } from './jobs.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';
import { jobSchema, jobWire } from './jobs-wire.ts';

/**
 * The client's decisions on a job, sent by the marketplace (admin token):
 * cancel or remove it (everything refunded, rules.md 5.5) and hire (the boost
 * auction closes, nothing refunded). Both are idempotent by their nature: a
 * job is cancelled once and hired once.
 */
const cancelBody = cancelJobInputSchema.omit({ jobId: true }).openapi('CancelJob');

const cancelResultSchema = z
  .object({
    job: jobSchema,
    refundedConnects: z.int().openapi({ description: 'Proposal costs and charged boosts returned.' }),
    expiredAtOnce: z.int().openapi({
      description:
        'Of refundedConnects, those returned to a lot that had already expired: they expired at once ' +
        '(balances grew by refundedConnects - expiredAtOnce).',
    }),
    releasedConnects: z.int().openapi({ description: 'Held boost bids released.' }),
    replayed: z.boolean().openapi({ description: 'True when the job had already been cancelled this way.' }),
  })
  .openapi('CancelledJob');

const hireResultSchema = z
  .object({
    job: jobSchema,
    chargedConnects: z.int().openapi({ description: 'Held boosts in the slots charged by the close.' }),
    releasedConnects: z.int().openapi({ description: 'Held boosts outside the slots released.' }),
    replayed: z.boolean(),
  })
  .openapi('HiredJob');

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/jobs/{id}/cancel',
  operationId: 'cancelJob',
  tags: ['jobs'],
  summary:
    'The client cancels the job, or the operator removes it (tos): every proposal is refunded (admin).',
  description:
    'reason "client": cancelled before any contract; "tos": removed for a terms-of-service violation. ' +
    'Proposal costs and charged boosts go back to the lots they came from (or a fresh lot, per policy); ' +
    'held boosts are released. A hired job is job_closed.',
  security: bearerSecurity,
  middleware: [requireRole('support', 'marketplace')] as const,
  request: {
    params: jobIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: cancelBody } } },
  },
  responses: {
    200: {
      description: 'The cancelled job.',
      content: { 'application/json': { schema: cancelResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const hireRoute = createRoute({
  method: 'post',
  path: '/v1/jobs/{id}/hire',
  operationId: 'hireOnJob',
  tags: ['jobs'],
  summary: "The client hires a proposal's freelancer: the boost auction closes (admin).",
  security: bearerSecurity,
  middleware: [requireRole('marketplace')] as const,
  request: {
    params: jobIdParams,
    headers: idempotencyHeaders,
    body: {
      required: true,
      content: {
        'application/json': { schema: z.strictObject(hireFreelancerInputSchema.shape).openapi('Hire') },
      },
    },
  },
  responses: {
    200: { description: 'The hired job.', content: { 'application/json': { schema: hireResultSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

export const jobActionRoutes: RouteModule = (app, { app: ctx, store, clock, metrics }) => {
  app.openapi(cancelRoute, async (c) => {
    const input = { jobId: c.req.valid('param').id, ...c.req.valid('json') };
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: 'admin', request: input }, async () => {
      const done = await runUseCase(metrics, 'job_cancel', () => cancelJob(ctx, input, now));
      return { status: 200 as const, body: { ...done, job: jobWire(done.job) } };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(hireRoute, async (c) => {
    const jobId = c.req.valid('param').id;
    const input = c.req.valid('json');
    const now = clock.now();
    const out = await idempotentWrite(c, { store, now, scope: 'admin', request: { jobId, ...input } }, () =>
      hire(jobId, input.proposalId, now),
    );
    return c.json(out.body, out.status);
  });

  async function hire(jobId: string, proposalId: string, now: Instant) {
    const done = await runUseCase(metrics, 'job_hire', async () => {
      // A proposal's job never changes, so checking it first is safe: a path naming another job is refused.
      const proposal = await findProposal(ctx.store, proposalId);
      if (proposal !== undefined && proposal.jobId !== jobId) {
        return err(
          connectsError('proposal_not_found', `Proposal ${proposalId} is not on job ${jobId}.`, {
            proposalId,
            jobId,
          }),
        );
      }
      return hireFreelancer(ctx, { proposalId }, now);
    });
    return { status: 200 as const, body: { ...done, job: jobWire(done.job) } };
  }
};
