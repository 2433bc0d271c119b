import { z } from '@hono/zod-openapi';
import { MAX_FREELANCERS, MAX_MONTHS } from '../../sim/params.ts';

/**
 * The wire shapes of the simulator (docs/simulator.md): what POST
 * /v1/admin/simulations takes and what a stored simulation returns. The body
 * is checked again by the simulator's own schema, which reports every
 * problem with its field path.
 */

const count = z.int().openapi({ description: 'Connects.' });

const monthSchema = z
  .object({
    month: z.int().openapi({ description: 'Month number, from 1.' }),
    start: z.string().openapi({ description: 'First instant of the month (UTC).' }),
    issued: z
      .object({
        signup: count,
        allotment: count,
        proration: count,
        purchase: count,
        interview: count,
        other: count,
        total: count,
      })
      .openapi({ description: 'Connects issued in the month, by lot source.' }),
    forfeited: count.openapi({ description: 'Connects a holding cap forfeited.' }),
    spent: z
      .object({ proposals: count, boosts: count, badge: count, total: count })
      .openapi({ description: 'Connects spent, by use (boosts: bids charged).' }),
    expired: z
      .object({ paid: count, free: count, total: count })
      .openapi({ description: 'Connects expired (lifetime or rollover cap), paid and free.' }),
    outstanding: count.openapi({ description: 'Balances at the month end, summed (held included).' }),
    held: count.openapi({ description: 'Connects in active holds (boost bids) at the month end.' }),
    money: z
      .object({
        purchaseRevenueCents: z.int(),
        plusRevenueCents: z.int(),
        deferredRevenueCents: z
          .int()
          .openapi({ description: 'Unspent paid Connects at the month end, at their price.' }),
      })
      .openapi({ description: 'Money in cents.' }),
    harm: z
      .object({
        proposalsWanted: z.int(),
        proposalsSent: z.int(),
        proposalsBlocked: z
          .int()
          .openapi({ description: 'Proposals wanted but not sent for too few Connects.' }),
        freelancersAtZero: z.int(),
        shareAtZero: z.number().openapi({ description: 'freelancersAtZero / freelancers (4 decimals).' }),
        medianBalance: z.int(),
        p90Balance: z.int(),
      })
      .openapi({ description: 'What the freelancers felt.' }),
    freelancers: z.int().openapi({ description: 'Freelancers registered at the month end.' }),
    plusMembers: z.int(),
    purchases: z.int(),
  })
  .openapi('SimulationMonth');

const timelineView = z.array(z.object({ id: z.string(), effectiveFrom: z.string() }));

export const simulationResultSchema = z
  .object({
    version: z.literal(1),
    seed: z.int(),
    months: z.int(),
    start: z.string(),
    end: z.string(),
    population: z.object({
      kind: z.enum(['synthetic', 'snapshot']),
      freelancers: z.int(),
      params: z
        .record(z.string(), z.unknown())
        .openapi({ description: 'Every behaviour parameter, defaults filled in.' }),
    }),
    timelines: z.object({ baseline: timelineView, candidate: timelineView }),
    baseline: z.array(monthSchema),
    candidate: z.array(monthSchema),
    difference: z.array(monthSchema).openapi({ description: 'candidate - baseline, month by month.' }),
    events: z.int().openapi({ description: 'Operations and decisions the engine applied (both runs).' }),
  })
  .openapi('SimulationResult');

export const simulationRequestSchema = z
  .object({
    candidate: z
      .union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))])
      .openapi({
        description:
          'A policy document (as GET /v1/policy returns), or a list of them in ascending effectiveFrom, ' +
          'scheduled on the current timeline for the candidate run.',
      }),
    months: z.int().openapi({ description: `1 to ${MAX_MONTHS}.`, example: 12 }),
    population: z
      .object({
        kind: z.enum(['synthetic', 'snapshot']).optional(),
        params: z
          .record(z.string(), z.unknown())
          .optional()
          .openapi({
            description: `Behaviour parameters (docs/simulator.md); freelancers 1 to ${MAX_FREELANCERS}.`,
          }),
      })
      .optional(),
    seed: z.int().optional().openapi({ description: '0 to 2^31 - 1 (default 1).' }),
  })
  .openapi('SimulationRequest');

export const simulationSchema = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    input: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The request, validated, defaults filled in.' }),
    progress: z
      .object({ done: z.int(), total: z.int() })
      .openapi({ description: 'Freelancers played (both runs).' }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z.string().nullable(),
    result: simulationResultSchema
      .nullable()
      .optional()
      .openapi({ description: 'Once succeeded; not in lists.' }),
  })
  .openapi('Simulation');
