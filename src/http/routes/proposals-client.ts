import { createHash, randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import {
  interactWithProposal,
  interactWithProposalInputSchema,
} from '../../app/boosts/interact-with-proposal.ts';
import { recordInterview } from '../../app/proposals/record-interview.ts';
import { clientInteractions } from '../../core/boost-auction.ts';
import { toIso } from '../../core/time.ts';
import { bearerSecurity, requireRole } from '../auth.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { idempotentWrite } from './idempotent-write.ts';
import { runUseCase } from './use-case.ts';
import { boostSchema, boostWire } from './jobs-wire.ts';
import { proposalIdParams } from './proposals.ts';

/**
 * What the client does with a proposal, reported by the marketplace (admin
 * token): interactions (which charge a held boost in the slots, rules.md 5.3) and
 * interviews (which earn the freelancer Connects under the weekly cap, 2.3).
 */
const interactionBody = z
  .strictObject({
    kind: interactWithProposalInputSchema.shape.kind,
    interactionId: interactWithProposalInputSchema.shape.interactionId.optional().openapi({
      description:
        "The marketplace's id of this event; a retry with the same id counts once. " +
        'Absent: the Idempotency-Key header stands for it; with neither, every call is a new interaction.',
    }),
  })
  .openapi('NewInteraction');

const interactionResultSchema = z
  .object({
    interactionId: z.string(),
    proposalId: z.string(),
    kind: z.enum(clientInteractions),
    chargedConnects: z
      .int()
      .openapi({ description: "Connects this interaction charged (the boost's bid, or 0)." }),
    boost: boostSchema.nullable(),
    replayed: z.boolean(),
  })
  .openapi('InteractionResult');

const interviewResultSchema = z
  .object({
    proposalId: z.string(),
    freelancerId: z.string(),
    at: z.string().openapi({ format: 'date-time' }),
    connects: z.int().openapi({ description: 'Connects the interview earned.' }),
    withheldConnects: z.int().openapi({ description: 'The part of the reward the weekly cap withheld.' }),
    reason: z
      .enum(['weekly_cap', 'invitation', 'offer', 'catalog', 'enterprise'])
      .nullable()
      .openapi({ description: 'Why it earned less than the full reward, or null.' }),
    replayed: z.boolean(),
  })
  .openapi('InterviewResult');

const interactionRoute = createRoute({
  method: 'post',
  path: '/v1/proposals/{id}/interactions',
  operationId: 'recordInteraction',
  tags: ['proposals'],
  summary: 'A client interaction with a proposal; charges a held boost in the boosted slots (admin).',
  description:
    'opens, messages, shortlists, offers, archives and declines charge the bid of a held boost in the ' +
    'slots; views charge nothing. Opens and views count towards the end of the "Boosted" mark.',
  security: bearerSecurity,
  middleware: [requireRole('marketplace')] as const,
  request: {
    params: proposalIdParams,
    headers: idempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: interactionBody } } },
  },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: interactionResultSchema } } },
    200: {
      description: 'Already recorded (a retry).',
      content: { 'application/json': { schema: interactionResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const interviewRoute = createRoute({
  method: 'post',
  path: '/v1/proposals/{id}/interviews',
  operationId: 'recordInterview',
  tags: ['proposals'],
  summary: 'The client interviewed the freelancer: the reward, capped per rolling week (admin).',
  description:
    'Once per proposal: a repeat answers 200 with the first record. Free paths (invitation, offer, ' +
    'catalog, enterprise jobs) earn nothing and say why.',
  security: bearerSecurity,
  middleware: [requireRole('marketplace')] as const,
  request: { params: proposalIdParams, headers: idempotencyHeaders },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: interviewResultSchema } } },
    200: {
      description: 'Already recorded.',
      content: { 'application/json': { schema: interviewResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** The id an interaction is recorded under: the body's, the Idempotency-Key's digest, or a fresh one. */
function interactionIdFor(bodyId: string | undefined, key: string | undefined): string {
  if (bodyId !== undefined) return bodyId;
  // Keys allow characters ids do not; a digest keeps every key usable and distinct.
  if (key !== undefined) return `key-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
  return `auto-${randomUUID()}`;
}

export const proposalClientRoutes: RouteModule = (app, { app: ctx, store, clock, metrics }) => {
  app.openapi(interactionRoute, async (c) => {
    const proposalId = c.req.valid('param').id;
    const body = c.req.valid('json');
    const now = clock.now();
    const request = { proposalId, ...body };
    const out = await idempotentWrite(c, { store, now, scope: 'admin', request }, async () => {
      const interactionId = interactionIdFor(body.interactionId, c.var.idempotencyKey);
      const input = { interactionId, proposalId, kind: body.kind };
      const done = await runUseCase(metrics, 'proposal_interaction', () =>
        interactWithProposal(ctx, input, now),
      );
      const wire = { interactionId, ...done, boost: boostWire(done.boost) };
      return { status: done.replayed ? (200 as const) : (201 as const), body: wire };
    });
    return c.json(out.body, out.status);
  });

  app.openapi(interviewRoute, async (c) => {
    const proposalId = c.req.valid('param').id;
    const now = clock.now();
    const out = await idempotentWrite(
      c,
      { store, now, scope: 'admin', request: { proposalId } },
      async () => {
        const done = await runUseCase(metrics, 'interview', () => recordInterview(ctx, { proposalId }, now));
        return {
          status: done.replayed ? (200 as const) : (201 as const),
          body: { ...done, at: toIso(done.at) },
        };
      },
    );
    return c.json(out.body, out.status);
  });
};
