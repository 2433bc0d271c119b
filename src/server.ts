import { Server as NetServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { ManualClock, SystemClock } from './clock.ts';
import type { Config } from './config.ts';
import { resolveAdminToken, type ResolvedAdminToken } from './http/admin-token.ts';
import { buildApp } from './http/app.ts';
import { isStoreUnavailable } from './http/errors.ts';
import { drainable, type Drainable } from './http/drain.ts';
import { createServices } from './http/create-services.ts';
import { jsonLogger, type Logger } from './http/logger.ts';
import type { Services } from './http/services.ts';
import { WebhookDispatcher } from './events/dispatcher.ts';
import { closeStoreOpened, openConfiguredStore, type StoreOpened } from './open-configured-store.ts';
import { LivePolicyTimeline, openPolicyTimeline, POLICY_POLL_MS } from './app/policy/live-timeline.ts';
import { applyPolicyFile } from './policy-file.ts';
import { simulationRunner } from './http/routes/admin-simulations.ts';

/**
 * The main wiring: configuration -> store (migrated) -> services (built on
 * the composition root, src/connects.ts) -> app -> socket. Everything here is I/O; everything it wires is testable without it.
 */

/** In-flight requests get this long to finish on shutdown before their sockets are cut. */
const SHUTDOWN_GRACE_MS = 10_000;
/** After the last answer, idle kept-alive connections get this long before they are closed. */
const IDLE_GRACE_MS = 500;
/** Then connections still open (a response body being streamed) get this long to end. */
const SOCKETS_GRACE_MS = 2_000;

/** False when `promise` settled within `ms`, true when the time ran out first. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), ms)));
  const outcome = await Promise.race([promise.then(() => false), late]);
  clearTimeout(timer);
  return outcome;
}

export interface RunningServer {
  readonly url: string;
  readonly docsUrl: string;
  readonly port: number;
  readonly services: Services;
  readonly adminToken: ResolvedAdminToken;
  readonly storeOpened: StoreOpened;
  /** Stops accepting, lets requests finish (bounded), stops the scheduler, closes the store. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? jsonLogger();
  const adminToken = await resolveAdminToken(config);
  const storeOpened = await openConfiguredStore(config, {
    readReplica: true,
    // Detected rather than configured: worth a line, as the first requests paid a retry for it.
    onPoolerDetected: () =>
      logger.log('warn', 'transaction pooler detected: statements no longer prepared', {
        hint: 'set CONNECTS_DB_POOLER=transaction',
      }),
  });
  const clock = config.manualClock ? new ManualClock(Date.now()) : new SystemClock();
  // The operator's timeline from the store (the built-in eras seeded on the first start), kept fresh by a poll.
  const timeline = await openPolicyTimeline(storeOpened.store, clock.now()).catch(async (error: unknown) => {
    await closeStoreOpened(storeOpened);
    throw error;
  });
  const services = createServices({
    config,
    store: storeOpened.store,
    clock,
    timeline,
    logger,
    adminToken: adminToken.token,
    ...(storeOpened.replicaReads === undefined ? {} : { replicaReads: storeOpened.replicaReads }),
  });
  if (config.policyFile !== undefined) {
    const applied = await applyPolicyFile(services.app, config.policyFile, clock.now());
    if (!applied.ok) {
      await closeStoreOpened(storeOpened);
      throw new Error(`CONNECTS_POLICY_FILE: ${applied.error.message}`);
    }
    if (applied.value.scheduled.length > 0) {
      logger.log('info', 'policies scheduled from CONNECTS_POLICY_FILE', { ids: applied.value.scheduled });
    }
  }
  timeline.startPolling(POLICY_POLL_MS, (error) =>
    logger.log(isStoreUnavailable(error) ? 'warn' : 'error', 'policy timeline reload failed', {
      error: String(error),
    }),
  );
  const app = buildApp(services);
  const requests = drainable(app.fetch);
  const server = createAdaptorServer({ fetch: requests.fetch }) as Server;
  // Slow or stalled clients cannot hold sockets forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    await timeline.stopPolling();
    await closeStoreOpened(storeOpened);
    throw error;
  }
  // With a manual clock, time and ticks move only on request (PUT /v1/admin/clock, POST /v1/admin/tick).
  if (!config.manualClock) services.scheduler?.start();
  // Webhooks flow in both clock modes; with a manual clock, retries fall due only as the clock moves.
  const dispatcher = new WebhookDispatcher(storeOpened.store, {
    clock: () => clock.now(),
    allowInternalTargets: config.webhookAllowPrivate,
    // The database being away is expected now and then (a warning); anything else is a bug (an error).
    onError: (error) =>
      logger.log(isStoreUnavailable(error) ? 'warn' : 'error', 'webhook dispatch failed', {
        error: String(error),
      }),
  });
  dispatcher.start();

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    docsUrl: `${url}/docs`,
    port,
    services,
    adminToken,
    storeOpened,
    close: () => (closing ??= shutdown({ server, requests, services, dispatcher, logger })),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE')
        reject(new Error(`port ${port} on ${host} is already in use; set PORT`));
      else reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

interface Running {
  readonly server: Server;
  readonly requests: Drainable<never[]>;
  readonly services: Services;
  readonly dispatcher: WebhookDispatcher;
  readonly logger: Logger;
}

/**
 * Stops in an order that never pulls the store from under a handler: stop
 * accepting connections, answer any new request on a kept-alive connection
 * with 503 and `Connection: close`, let the requests in flight finish
 * (bounded), close the connections, stop the scheduler and the webhook
 * dispatcher (each finishes its run), then close the store, which first runs
 * every batch still queued.
 */
async function shutdown({ server, requests, services, dispatcher, logger }: Running): Promise<void> {
  // net.Server's close stops listening but, unlike http.Server's, leaves idle kept-alive connections open:
  // closing one just as its client sends the next request would cut that request. They get a 503 instead.
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  const finished = await requests.drain(SHUTDOWN_GRACE_MS);
  if (!finished) {
    logger.log('warn', 'shutdown: requests still running after the grace period', {
      inFlight: requests.inFlight(),
      graceMs: SHUTDOWN_GRACE_MS,
    });
  }
  // Answers sent while draining carried Connection: close, so busy clients are gone by now; idle ones
  // get a moment to send a request (and be told to go), then their sockets are closed.
  if (await settlesWithin(closed, finished ? IDLE_GRACE_MS : 0)) server.closeIdleConnections();
  if (await settlesWithin(closed, finished ? SOCKETS_GRACE_MS : 0)) server.closeAllConnections();
  await closed;
  await services.scheduler?.stop();
  await dispatcher.stop();
  // A simulation still running stops at its next slice (its row says cancelled); the store is still open.
  await simulationRunner(services).stop();
  if (services.timeline instanceof LivePolicyTimeline) await services.timeline.stopPolling();
  await services.reads.replica?.close();
  await services.store.close();
}
