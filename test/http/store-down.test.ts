import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/http/create-services.ts';
import { memoryLogger } from '../../src/http/logger.ts';
import type { ApiApp } from '../../src/http/services.ts';
import { TEST_ADMIN_TOKEN, TEST_START, testConfig } from '../../src/http/testing/test-api.ts';
import { createLedgerStore } from '../../src/store/ledger-store.ts';
import { createPostgresClient } from '../../src/store/postgres-client.ts';
import type { LedgerStore } from '../../src/store/store.ts';

/** A real PostgreSQL client whose server is not there (port 1): the database is down. */
describe('with the database down', () => {
  let store: LedgerStore;
  let app: ApiApp;
  const logger = memoryLogger();

  beforeAll(() => {
    store = createLedgerStore(createPostgresClient({ url: 'postgres://postgres@127.0.0.1:1/none' }));
    app = buildApp(
      createServices({
        config: testConfig(true),
        store,
        clock: new ManualClock(TEST_START),
        logger,
        adminToken: TEST_ADMIN_TOKEN,
      }),
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

  it('/healthz answers 503 store_unavailable with Retry-After', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
  });

  it('/readyz answers like /healthz (503); /livez asks nothing of the store (200)', async () => {
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    const live = await app.request('/livez');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
  });

  it('a route that needs the store answers 503, not 500', async () => {
    const response = await app.request('/v1/freelancers/ada/tokens', { method: 'POST', headers: admin });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    expect(logger.records.some((r) => r.level === 'error')).toBe(false);
  });

  it('checking a freelancer token needs the store too: 503', async () => {
    const response = await app.request('/v1/policy', {
      headers: { authorization: `Bearer cfl_${'a'.repeat(43)}` },
    });
    expect(response.status).toBe(503);
  });

  it('routes that need no store keep working for the admin', async () => {
    expect((await app.request('/v1/policy', { headers: admin })).status).toBe(200);
    expect((await app.request('/metrics')).status).toBe(200);
  });
});
