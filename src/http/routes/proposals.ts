import { createRoute, z } from '@hono/zod-openapi';
import { findProposal } from '../../app/proposals/proposal-rows.ts';
import {
  submitProposal,
  submitProposalInputSchema,
  type SubmitProposalOutput,
} from '../../app/proposals/submit-proposal.ts';
import { withdrawProposal, type WithdrawProposalOutput } from '../../app/proposals/withdraw-proposal.ts';
import { bearerSecurity, ensureMayActFor, requireFreelancerOrRole } from '../auth.ts';
import { fail } from '../errors.ts';
import { currentRequestScope } from '../request-scope.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, idSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { jobIdParams } from './jobs.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';
import { boostSchema, boostWire, proposalSchema, proposalWire } from './jobs-wire.ts';

/**
 * A freelancer's proposals: submitting one (the job's price is debited, an
 * optional boost bid held) and withdrawing it (nothing refunded, a held boost
 * released). A freelancer token acts only for its own freelancer; the admin
 * (the marketplace acting for a freelancer) for anyone. Both are idempotent
 * by the proposal id.
 */
export const proposalIdParams = z.strictObject({
  id: idSchema.openapi({
    param: { name: 'id', in: 'path' },
    description: 'The proposal id.',
    example: 'prop_7',
  }),
});

const submitBody = submitProposalInputSchema.omit({ jobId: true }).openapi('NewProposal');

export const proposalResultSchema = z
  .object({
    proposal: proposalSchema,
    boost: boostSchema
      .nullable()
      .openapi({ description: 'The boost as it stands now: it may already be released if it was outbid.' }),
    replayed: z.boolean().openapi({ description: 'True when this answers a retry.' }),
  })
  .openapi('ProposalResult');

const submitRoute = createRoute({
  method: 'post',
  path: '/v1/jobs/{id}/proposals',
  operationId: 'submitProposal',
  tags: ['proposals'],
  summary: "Submits a proposal: the job's Connects are debited, a boost bid held (admin or the freelancer).",
  description:
    'via "feed" (default) costs the job\'s connectsRequired; invitation, offer and catalog are free, as are ' +
    "enterprise jobs. boostConnects bids extra Connects in the job's auction: held now, charged when the " +
    'client interacts or the auction closes in the boosted slots, released when outbid. Idempotent by ' +
    'proposalId (201 the first time, 200 for a retry).',
  security: bearerSecurity,
  middleware: [requireFreelancerOrRole('marketplace')] as const,
  request: {
    params: jobIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: submitBody } } },
  },
  responses: {
    201: { description: 'Submitted.', content: { 'application/json': { schema: proposalResultSchema } } },
    200: {
      description: 'Already submitted with these details.',
      content: { 'application/json': { schema: proposalResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

const withdrawRoute = createRoute({
  method: 'post',
  path: '/v1/proposals/{id}/withdraw',
  operationId: 'withdrawProposal',
  tags: ['proposals'],
  summary: 'Withdraws a proposal: no refund; a held boost is released (admin or its freelancer).',
  security: bearerSecurity,
  middleware: [requireFreelancerOrRole('marketplace')] as const,
  request: { params: proposalIdParams, headers: idempotencyHeaders },
  responses: {
    200: { description: 'Withdrawn.', content: { 'application/json': { schema: proposalResultSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const wire = (out: SubmitProposalOutput | WithdrawProposalOutput) => ({
  proposal: proposalWire(out.proposal),
  boost: boostWire(out.boost),
  replayed: out.replayed,
});

export const proposalRoutes: RouteModule = (app, { app: ctx, store, clock, metrics }) => {
  app.openapi(submitRoute, async (c) => {
    const body = c.req.valid('json');
    ensureMayActFor(c, body.freelancerId, ['marketplace']);
    const input = { ...body, jobId: c.req.valid('param').id };
    const now = clock.now();
    // Keys are scoped to the account the write acts on, whoever sends it.
    const out = await idempotentWrite(
      c,
      { store, now, scope: body.freelancerId, request: input },
      async () => {
        // An operator's proposals share batches with that operator's only, stamped with it.
        const scope = currentRequestScope();
        const done = await runUseCase(metrics, 'proposal_submit', () =>
          submitProposal(ctx, input, now, { scope }),
        );
        return { status: done.replayed ? (200 as const) : (201 as const), body: wire(done) };
      },
    );
    return c.json(out.body, out.status);
  });

  app.openapi(withdrawRoute, async (c) => {
    const proposalId = c.req.valid('param').id;
    const principal = c.var.principal;
    if (principal === undefined) return fail('unauthorized');
    // A freelancer withdraws only its own (another's is reported unknown); the admin acts for the owner.
    const freelancerId =
      principal.kind === 'freelancer'
        ? principal.freelancerId
        : (await findProposal(ctx.store, proposalId))?.freelancerId;
    if (freelancerId === undefined) {
      return fail('proposal_not_found', `No proposal ${proposalId} exists.`, { proposalId });
    }
    const now = clock.now();
    const out = await idempotentWrite(
      c,
      { store, now, scope: freelancerId, request: { proposalId } },
      async () => {
        const done = await runUseCase(metrics, 'proposal_withdraw', () =>
          withdrawProposal(ctx, { proposalId, freelancerId }, now),
        );
        return { status: 200 as const, body: wire(done) };
      },
    );
    return c.json(out.body, out.status);
  });
};
