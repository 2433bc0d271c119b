import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { ManualClock, SystemClock } from './clock.ts';
import { redactUrl, type Config } from './config.ts';
import { resolveAdminToken, type ResolvedAdminToken } from './http/admin-token.ts';
import { buildApp } from './http/app.ts';
import { createServices } from './http/create-services.ts';
import { jsonLogger, type Logger } from './http/logger.ts';
import type { Services } from './http/services.ts';
import { WebhookDispatcher } from './events/dispatcher.ts';
import { createLedgerStore } from './store/ledger-store.ts';
import { migrate } from './store/migrate.ts';
import { openClient } from './store/open-store.ts';
import type { LedgerStore } from './store/store.ts';

/**
 * The main wiring: configuration -> store (migrated) -> services -> app ->
 * socket. Everything here is I/O; everything it wires is testable without it.
 */

/** In-flight requests get this long to finish on shutdown before their sockets are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface StoreOpened {
  readonly store: LedgerStore;
  /** Migrations this start applied (empty when the schema was up to date). */
  readonly applied: readonly string[];
  /** Human description: the PGlite folder or the redacted PostgreSQL URL. */
  readonly location: string;
}

/** The PGlite folder inside the data folder, beside the generated admin token. */
export const pgliteDir = (config: Config): string => join(config.dataDir, 'pglite');

/** Opens PostgreSQL (DATABASE_URL) or the embedded store and applies pending migrations. */
export async function openConfiguredStore(config: Config): Promise<StoreOpened> {
  const embedded = config.databaseUrl === undefined;
  const client = embedded
    ? await openClient({ dataDir: pgliteDir(config) })
    : await openClient({ url: config.databaseUrl as string });
  let applied: string[];
  try {
    applied = await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  const location = embedded ? pgliteDir(config) : redactUrl(config.databaseUrl as string);
  return { store: createLedgerStore(client), applied, location };
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
  const storeOpened = await openConfiguredStore(config);
  const clock = config.manualClock ? new ManualClock(Date.now()) : new SystemClock();
  // The scheduler joins here when it lands: createServices({ ..., scheduler }).
  const services = createServices({
    config,
    store: storeOpened.store,
    clock,
    logger,
    adminToken: adminToken.token,
  });
  const app = buildApp(services);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // Slow or stalled clients cannot hold sockets forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    await storeOpened.store.close();
    throw error;
  }
  // With a manual clock, time and ticks move only on request (PUT /v1/admin/clock, POST /v1/admin/tick).
  if (!config.manualClock) services.scheduler?.start();
  // Webhooks flow in both clock modes; with a manual clock, retries fall due only as the clock moves.
  const dispatcher = new WebhookDispatcher(storeOpened.store, {
    clock: () => clock.now(),
    onError: (error) => logger.log('error', 'webhook dispatch failed', { error: String(error) }),
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
    close: () => (closing ??= shutdown(server, services, dispatcher)),
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

async function shutdown(server: Server, services: Services, dispatcher: WebhookDispatcher): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(force);
  await services.scheduler?.stop();
  await dispatcher.stop();
  await services.store.close();
}
