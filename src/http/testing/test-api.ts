import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { ManualClock, SystemClock } from '../../clock.ts';
import { parseConfig, type Config } from '../../config.ts';
import type { Instant } from '../../core/time.ts';
import type { OpenedEngine, TestEngine } from '../../store/testing/test-engines.ts';
import { buildApp } from '../app.ts';
import { createServices } from '../create-services.ts';
import { memoryLogger, type LogRecord } from '../logger.ts';
import type { ApiApp, Services } from '../services.ts';

/**
 * The API on a real engine, for tests: the same wiring as the server
 * (createServices + buildApp) without the socket, plus helpers for tokens
 * and for serving it over real HTTP on an ephemeral port.
 */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
/** The manual clock's start in tests: 2024-03-10T12:00:00Z. */
export const TEST_START: Instant = Date.UTC(2024, 2, 10, 12);

export interface TestApi {
  readonly engine: TestEngine['name'];
  readonly app: ApiApp;
  readonly services: Services;
  readonly logs: LogRecord[];
  /** The engine under the API (`another()` opens a second store on the same PostgreSQL database). */
  readonly opened: OpenedEngine;
  /** `app.request` with the admin token (pass `token: null` for none, or another token). */
  call(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** Issues a freelancer token through the API. */
  freelancerToken(freelancerId: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Default true: a ManualClock at TEST_START. False: the system clock. */
  readonly manualClock?: boolean;
  /** CONNECTS_WEBHOOK_ALLOW_PRIVATE=1: webhooks to a receiver on 127.0.0.1. Default false. */
  readonly webhookAllowPrivate?: boolean;
  /**
   * CONNECTS_BAD_TOKEN_LIMIT. Default 0 (off): auth tests send hundreds of bad tokens from one
   * address on purpose; the limit's own test sets it.
   */
  readonly badTokenLimit?: number;
}

export function testConfig(manualClock: boolean, webhookAllowPrivate = false, badTokenLimit = 0): Config {
  const result = parseConfig({
    NODE_ENV: 'test',
    CONNECTS_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    CONNECTS_MANUAL_CLOCK: manualClock ? '1' : '0',
    CONNECTS_WEBHOOK_ALLOW_PRIVATE: webhookAllowPrivate ? '1' : '0',
    CONNECTS_BAD_TOKEN_LIMIT: String(badTokenLimit),
    PORT: '0',
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

export async function openTestApi(engine: TestEngine, options: TestApiOptions = {}): Promise<TestApi> {
  const manual = options.manualClock ?? true;
  const opened: OpenedEngine = await engine.open();
  const logger = memoryLogger();
  const services = createServices({
    config: testConfig(manual, options.webhookAllowPrivate === true, options.badTokenLimit ?? 0),
    store: opened.store,
    clock: manual ? new ManualClock(TEST_START) : new SystemClock(),
    logger,
    adminToken: TEST_ADMIN_TOKEN,
  });
  const app = buildApp(services);
  const call: TestApi['call'] = (path, init = {}) => {
    const { token = TEST_ADMIN_TOKEN, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    return Promise.resolve(app.request(path, { ...rest, headers }));
  };
  return {
    engine: engine.name,
    app,
    services,
    logs: logger.records,
    opened,
    call,
    async freelancerToken(freelancerId) {
      const response = await call(`/v1/freelancers/${freelancerId}/tokens`, { method: 'POST' });
      if (response.status === 201) return ((await response.json()) as { token: string }).token;
      // The API issues tokens to registered freelancers only; auth tests also need one for an id never
      // registered (to reach a route's own not-found answer), so they get it from the repository.
      if (response.status === 404) {
        const issued = await services.tokens.issue(freelancerId, TEST_START);
        if (issued.ok) return issued.value.token;
      }
      throw new Error(`token issue failed: ${response.status}`);
    },
    close: () => opened.cleanup(),
  };
}

export interface ListeningApi {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Serves the app over real HTTP on 127.0.0.1 and an ephemeral port. */
export async function listen(app: ApiApp): Promise<ListeningApi> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
