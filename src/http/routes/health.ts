import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { toIso } from '../../core/time.ts';
import { fail } from '../errors.ts';
import { errorResponses, isoInstantSchema } from '../schemas.ts';
import type { ApiEnv, RouteModule } from '../services.ts';

/** A health check that hangs is as bad as a failing one: give up after this long. */
const STORE_PROBE_TIMEOUT_MS = 2_000;

const healthSchema = z
  .object({
    status: z.literal('ok'),
    store: z.enum(['postgres', 'pglite']),
    time: isoInstantSchema.openapi({ description: "The service's clock (manual when so configured)." }),
    manualClock: z.boolean(),
    replica: z
      .object({
        state: z.enum(['streaming', 'lagging', 'down']).openapi({
          description:
            'streaming: reads that may lag are served by the replica; lagging or down: by the primary.',
        }),
        lagMs: z
          .number()
          .int()
          .nullable()
          .openapi({ description: 'An upper bound on its lag; null if unknown.' }),
      })
      .optional()
      .openapi({
        description: 'The read replica (DATABASE_READ_URL), when one is configured. Never fails readiness.',
      }),
  })
  .openapi('Health');

const readyResponses = {
  200: { description: 'Ready.', content: { 'application/json': { schema: healthSchema } } },
  ...errorResponses(503),
};

const route = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  security: [],
  tags: ['service'],
  summary: 'Readiness (kept for existing probes; the same as /readyz): the store answers a query.',
  responses: readyResponses,
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  security: [],
  tags: ['service'],
  summary: 'Readiness: the store answers a query within 2 s (503 store_unavailable otherwise).',
  responses: readyResponses,
});

const liveRoute = createRoute({
  method: 'get',
  path: '/livez',
  operationId: 'getLiveness',
  security: [],
  tags: ['service'],
  summary: 'Liveness: the process serves HTTP. Asks nothing of the store.',
  responses: {
    200: {
      description: 'Alive.',
      content: {
        'application/json': { schema: z.object({ status: z.literal('ok') }).openapi('Liveness') },
      },
    },
    ...errorResponses(503),
  },
});

async function probe(run: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), STORE_PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([run().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` and `/readyz` answer the same: 200 when
 * the store answers a query within 2 s, else 503 store_unavailable; with a
 * read replica, its state too (a replica down does not make the server unready). `/livez`
 * asks nothing of the store: 200 while the process runs and serves HTTP, so a
 * supervisor restarts it only when it is truly stuck, not when the database
 * is away. While the server shuts down, all three answer 503 (src/http/drain.ts).
 */
export const healthRoutes: RouteModule = (app, { store, reads, clock, config }) => {
  const ready = async (c: Context<ApiEnv>) => {
    if (!(await probe(() => store.query('SELECT 1')))) {
      fail('store_unavailable', 'The store did not answer the health probe.', { store: store.engine });
    }
    // Reads fall back to the primary when the replica is away, so its state is reported, not required.
    const replica = await reads.replica?.status();
    return c.json(
      {
        status: 'ok' as const,
        store: store.engine,
        time: toIso(clock.now()),
        manualClock: config.manualClock,
        ...(replica === undefined ? {} : { replica }),
      },
      200,
    );
  };
  app.openapi(route, ready);
  app.openapi(readyRoute, ready);
  app.openapi(liveRoute, (c) => c.json({ status: 'ok' as const }, 200));
};
