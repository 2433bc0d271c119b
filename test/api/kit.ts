import { expect } from 'vitest';
import { ConnectsApiError, createClient, type ConnectsClient } from '../../src/client/index.ts';
import {
  listen,
  openTestApi,
  TEST_ADMIN_TOKEN,
  type ListeningApi,
  type TestApi,
} from '../../src/http/testing/test-api.ts';
import type { TestEngine } from '../../src/store/testing/test-engines.ts';

/**
 * The API as its integrators meet it: the real app (same wiring as the
 * server) on a real engine, served over HTTP on an ephemeral port, driven
 * through the typed client, with the manual clock moved from outside.
 */
export interface LiveApi {
  readonly api: TestApi;
  readonly http: ListeningApi;
  readonly admin: ConnectsClient;
  /** A client acting with a fresh freelancer token for `id`. */
  as(id: string): Promise<ConnectsClient>;
  /** Registers freelancers at the current service time. */
  register(...ids: string[]): Promise<void>;
  /** Moves the manual clock forward to this instant. */
  setClock(iso: string): Promise<void>;
  /** Runs the scheduler once (POST /v1/admin/tick). */
  tick(): Promise<{ auctionsClosed: number; badgesCharged: number; expired: number; cycles: number }>;
  balance(id: string, asOf?: string): Promise<{ balance: number; available: number; held: number }>;
  close(): Promise<void>;
}

export async function openLiveApi(engine: TestEngine): Promise<LiveApi> {
  const api = await openTestApi(engine);
  const http = await listen(api.app);
  const admin = createClient({ baseUrl: http.baseUrl, token: TEST_ADMIN_TOKEN });
  return {
    api,
    http,
    admin,
    async as(id) {
      const { token } = await admin.post('/v1/freelancers/{id}/tokens', { path: { id } });
      return admin.withToken(token);
    },
    async register(...ids) {
      for (const id of ids) await admin.post('/v1/freelancers', { body: { id } });
    },
    async setClock(iso) {
      await admin.put('/v1/admin/clock', { body: { now: iso } });
    },
    tick: () => admin.post('/v1/admin/tick'),
    async balance(id, asOf) {
      const view = await admin.get('/v1/freelancers/{id}/balance', {
        path: { id },
        // The client wants the query object whenever a route has query parameters, even all optional.
        query: asOf === undefined ? {} : { asOf },
      });
      return { balance: view.balance, available: view.available, held: view.held };
    },
    async close() {
      await http.close();
      await api.close();
    },
  };
}

/** The status and error code a call ends with: 2xx, or the ConnectsApiError's. */
export async function outcome(call: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    const result = await call;
    return { status: result instanceof Response ? result.status : 200, code: 'ok' };
  } catch (error) {
    if (error instanceof ConnectsApiError) return { status: error.status, code: error.code };
    throw error;
  }
}

/** Expects the call to fail with this status and code. */
export async function expectFailure(call: Promise<unknown>, status: number, code: string): Promise<void> {
  expect(await outcome(call)).toEqual({ status, code });
}
