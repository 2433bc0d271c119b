import { createClient, type ConnectsClient } from '../../client/index.ts';
import { ConnectsApiError } from '../../client/index.ts';
import type { TestEngine } from '../../store/testing/test-engines.ts';
import {
  listen,
  openTestApi,
  TEST_ADMIN_TOKEN,
  type ListeningApi,
  type TestApi,
} from '../testing/test-api.ts';

/**
 * The API on a real engine served over real HTTP on an ephemeral port, with
 * the typed client as the admin: what the route tests of the freelancer and
 * admin routes share. Each test uses its own freelancer ids, so tests in one
 * file share one database without seeing each other.
 */
export interface RouteHarness {
  readonly api: TestApi;
  readonly http: ListeningApi;
  readonly admin: ConnectsClient;
  /** Registers a freelancer at the service's current time. */
  register(id: string, name?: string): Promise<void>;
  /** A client acting with a new token of this freelancer. */
  as(id: string): Promise<ConnectsClient>;
  /** Sets the manual clock. */
  setClock(iso: string): Promise<void>;
  close(): Promise<void>;
}

export async function openRouteHarness(engine: TestEngine): Promise<RouteHarness> {
  const api = await openTestApi(engine);
  const http = await listen(api.app);
  const admin = createClient({ baseUrl: http.baseUrl, token: TEST_ADMIN_TOKEN });
  return {
    api,
    http,
    admin,
    async register(id, name) {
      await admin.post('/v1/freelancers', { body: name === undefined ? { id } : { id, name } });
    },
    async as(id) {
      const { token } = await admin.post('/v1/freelancers/{id}/tokens', { path: { id } });
      return admin.withToken(token);
    },
    async setClock(iso) {
      await admin.put('/v1/admin/clock', { body: { now: iso } });
    },
    async close() {
      await http.close();
      await api.close();
    },
  };
}

/** The API error a call failed with (fails the test if it succeeded). */
export async function apiError(call: Promise<unknown>): Promise<ConnectsApiError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected an API error, got ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof ConnectsApiError)) throw outcome.error;
  return outcome.error;
}

/** A raw request over HTTP (for malformed bodies the typed client cannot send). */
export function rawRequest(
  h: RouteHarness,
  method: string,
  path: string,
  options: { body?: string; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TEST_ADMIN_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  return fetch(`${h.http.baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}
