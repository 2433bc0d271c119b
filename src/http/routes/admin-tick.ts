import { createRoute, z } from '@hono/zod-openapi';
import type { SchedulerRun } from '../../connects.ts';
import { bearerSecurity, requireAdmin } from '../auth.ts';
import { idempotencyHeaders } from '../idempotency.ts';
import { errorResponses, isoInstantSchema } from '../schemas.ts';
import type { RouteModule } from '../services.ts';
import { iso } from './freelancers-wire.ts';

/**
 * The scheduler on request (rules.md 2.9, 7): run it now with the service's
 * clock, or see how the last runs went. With CONNECTS_MANUAL_CLOCK=1 this is
 * the only way it runs, so a test or demo moves the clock, then ticks.
 */

const runSchema = z
  .object({
    now: isoInstantSchema.openapi({ description: 'The service time the run used.' }),
    accounts: z.int().openapi({ description: 'Accounts that renewed at least one billing cycle.' }),
    cycles: z.int().openapi({ description: 'Billing cycles renewed.' }),
    allotments: z.int().openapi({ description: 'Allotment lots issued.' }),
    connects: z.int().openapi({ description: 'Connects those allotments issued.' }),
    charged: z.int().openapi({ description: 'Plus renewals charged.' }),
    downgraded: z.int().openapi({ description: 'Accounts dropped to Basic (downgrade or payment failure).' }),
    paymentFailures: z.int(),
    deferred: z
      .int()
      .openapi({ description: 'Renewals left for a retry after a transient payment failure.' }),
    expired: z.int().openapi({ description: 'Expiry entries written by the sweep.' }),
    badgesCharged: z
      .int()
      .openapi({ description: 'Availability badges handled: charged, switched off or rescheduled.' }),
    badgeConnectsCharged: z.int().openapi({ description: 'Connects charged for availability badges.' }),
    auctionsClosed: z.int(),
    expiringSoonNotices: z.int().openapi({ description: 'connects.expiring_soon events written.' }),
    pruned: z
      .int()
      .openapi({ description: 'Old events, deliveries and stored idempotent responses removed.' }),
    failures: z.array(z.object({ account: z.string(), message: z.string() })),
    batches: z.int(),
    complete: z
      .boolean()
      .openapi({ description: 'False when the batch budget ran out; tick again to continue.' }),
    seconds: z.number(),
  })
  .openapi('SchedulerRun');

const wireRun = (run: SchedulerRun) => ({
  now: iso(run.now),
  accounts: run.tick.accounts,
  cycles: run.tick.cycles,
  allotments: run.tick.allotments,
  connects: run.tick.connects,
  charged: run.tick.charged,
  downgraded: run.tick.downgraded,
  paymentFailures: run.tick.paymentFailures,
  deferred: run.tick.deferred,
  expired: run.tick.expired,
  badgesCharged: run.tick.badgesCharged,
  badgeConnectsCharged: run.tick.badgeConnectsCharged,
  auctionsClosed: run.tick.auctionsClosed,
  expiringSoonNotices: run.expiringSoonNotices,
  pruned: run.pruned,
  failures: run.tick.failures.map((f) => ({ account: f.account, message: f.message })),
  batches: run.tick.batches,
  complete: run.complete,
  seconds: run.seconds,
});

const tickRoute = createRoute({
  method: 'post',
  path: '/v1/admin/tick',
  operationId: 'runTick',
  tags: ['admin'],
  summary: 'Runs the scheduler now with the service clock and returns its summary (admin).',
  description:
    'Sweeps expiries, issues every allotment whose cycle has started (catching up missed cycles), charges ' +
    'Plus renewals and availability badges, closes due auctions and writes expiring-soon notices. Safe to ' +
    'repeat: work already done is not done again. Waits for a run already in progress.',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  request: { headers: idempotencyHeaders },
  responses: {
    200: { description: 'What the run did.', content: { 'application/json': { schema: runSchema } } },
    ...errorResponses(401, 403, 503),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/v1/admin/scheduler',
  operationId: 'getScheduler',
  tags: ['admin'],
  summary: 'Whether the scheduler loop runs, and its last run and error (admin).',
  security: bearerSecurity,
  middleware: [requireAdmin] as const,
  responses: {
    200: {
      description: 'The scheduler.',
      content: {
        'application/json': {
          schema: z
            .object({
              looping: z
                .boolean()
                .openapi({ description: 'False with a manual clock: it runs only on request.' }),
              intervalMs: z.int(),
              busy: z.boolean(),
              runs: z.int().openapi({ description: 'Runs since the server started.' }),
              lastRun: runSchema.nullable(),
              lastError: z.object({ at: isoInstantSchema, message: z.string() }).nullable(),
            })
            .openapi('SchedulerStatus'),
        },
      },
    },
    ...errorResponses(401, 403),
  },
});

export const adminTickRoutes: RouteModule = (app, { scheduler }) => {
  // Idempotent by nature (a repeat finds the work done), so a key needs no stored answer.
  app.openapi(tickRoute, async (c) => c.json(wireRun(await scheduler.runNow()), 200));

  app.openapi(statusRoute, (c) => {
    const s = scheduler.status();
    return c.json(
      {
        looping: s.looping,
        intervalMs: s.intervalMs,
        busy: s.busy,
        runs: s.runs,
        lastRun: s.lastRun === null ? null : wireRun(s.lastRun),
        lastError: s.lastError === null ? null : { at: iso(s.lastError.at), message: s.lastError.message },
      },
      200,
    );
  });
};
