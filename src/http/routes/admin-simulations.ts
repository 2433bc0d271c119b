import { createRoute, z } from '@hono/zod-openapi';
import { LivePolicyTimeline } from '../../app/policy/live-timeline.ts';
import type { PolicyTimeline } from '../../core/policy/timeline.ts';
import { resultCsv, type SimulationResult } from '../../sim/simulation.ts';
import { MAX_LISTED_SIMULATIONS, SimulationRunner } from '../../sim/runner.ts';
import { actorOf, bearerSecurity, requireAdmin } from '../auth.ts';
import { fail, unwrap } from '../errors.ts';
import { errorBodySchema, errorResponses, limitQuerySchema } from '../schemas.ts';
import type { RouteModule, Services } from '../services.ts';
import type { SimulationView } from '../../sim/runner.ts';
import { simulationRequestSchema, simulationSchema } from './simulation-wire.ts';

/**
 * What-if simulations of a candidate policy (docs/simulator.md): queued,
 * run in the background of the server one at a time per process, stored
 * with their progress and result, cancellable. They never write to the ledger.
 */

const runners = new WeakMap<Services, SimulationRunner>();

/** The live stored timeline's current snapshot, or the timeline itself when it is a plain one. */
function frozen(timeline: PolicyTimeline): PolicyTimeline {
  return timeline instanceof LivePolicyTimeline ? timeline.current() : timeline;
}

/** The runner of an app's services (tests wait on it with `idle()`). */
export function simulationRunner(services: Services): SimulationRunner {
  let runner = runners.get(services);
  if (runner === undefined) {
    runner = new SimulationRunner({
      store: services.store,
      // A frozen copy: the run must not see a later change, and worker threads get plain data.
      timeline: () => frozen(services.app.timeline),
      now: () => services.clock.now(),
    });
    runners.set(services, runner);
  }
  return runner;
}

const idParams = z.strictObject({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, description: 'The simulation id.', example: 'sim_...' }),
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/admin/simulations',
  operationId: 'createSimulation',
  tags: ['admin'],
  summary: 'Queues a simulation of a candidate policy against the current timeline.',
  description:
    'Validates the request (months 1-36, population at most 1,000,000, the candidate as policies with field paths ' +
    'in details.issues), stores it and answers 202 at once; the run happens in the background. ' +
    'At most 4 simulations run or wait at once (simulation_queue_full, 429).',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { body: { required: true, content: { 'application/json': { schema: simulationRequestSchema } } } },
  responses: {
    202: { description: 'Queued.', content: { 'application/json': { schema: simulationSchema } } },
    ...errorResponses(400, 401, 403, 413, 415, 422),
    429: {
      description: 'Too many simulations queued or running (simulation_queue_full).',
      content: { 'application/json': { schema: errorBodySchema } },
    },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/admin/simulations',
  operationId: 'listSimulations',
  tags: ['admin'],
  summary: 'The latest simulations, newest first (without their results).',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { query: z.strictObject({ limit: limitQuerySchema.optional() }) },
  responses: {
    200: {
      description: 'Simulations.',
      content: { 'application/json': { schema: z.object({ simulations: z.array(simulationSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/admin/simulations/{id}',
  operationId: 'getSimulation',
  tags: ['admin'],
  summary: 'One simulation: status, progress and, once succeeded, the result.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { params: idParams },
  responses: {
    200: { description: 'The simulation.', content: { 'application/json': { schema: simulationSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/v1/admin/simulations/{id}/result.csv',
  operationId: 'getSimulationCsv',
  tags: ['admin'],
  summary: 'The result as CSV: one row per month and run (baseline, candidate, difference).',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { params: idParams },
  responses: {
    200: { description: 'CSV.', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/admin/simulations/{id}/cancel',
  operationId: 'cancelSimulation',
  tags: ['admin'],
  summary: 'Cancels a queued or running simulation.',
  description: 'A finished one is simulation_finished (409). A running one stops within a second or so.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { params: idParams },
  responses: {
    200: {
      description: 'The simulation after the request.',
      content: { 'application/json': { schema: simulationSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

type Wire = z.infer<typeof simulationSchema>;
/** The stored view on the wire: the same fields; typed loosely (input, params) in the schema. */
const wire = (v: SimulationView): Wire => v as unknown as Wire;

export const adminSimulationRoutes: RouteModule = (app, services) => {
  const runner = simulationRunner(services);

  app.openapi(createRouteDef, async (c) => {
    const principal = c.var.principal;
    const actor = principal === undefined ? undefined : actorOf(principal);
    const created = unwrap(await runner.submit(c.req.valid('json'), actor?.id ?? null));
    return c.json(wire(created), 202);
  });

  app.openapi(listRoute, async (c) => {
    const limit = c.req.valid('query').limit ?? 20;
    const simulations = await runner.list(Math.min(limit, MAX_LISTED_SIMULATIONS));
    return c.json({ simulations: simulations.map(wire) }, 200);
  });

  app.openapi(getRoute, async (c) => c.json(wire(unwrap(await runner.get(c.req.valid('param').id))), 200));

  app.openapi(csvRoute, async (c) => {
    const found = unwrap(await runner.get(c.req.valid('param').id));
    if (found.status !== 'succeeded' || found.result === undefined || found.result === null) {
      fail('conflict', `Simulation ${found.id} has no result (it is ${found.status}).`, {
        status: found.status,
      });
    }
    return c.body(resultCsv(found.result as SimulationResult), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
    });
  });

  app.openapi(cancelRoute, async (c) =>
    c.json(wire(unwrap(await runner.cancel(c.req.valid('param').id))), 200),
  );
};
