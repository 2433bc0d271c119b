import { defineConfig } from 'vitest/config';

/**
 * The pooler suite: `npm run test:pooler`. The API and HTTP suites, the store
 * contract tests and the pooler's own tests, all on PostgreSQL through a
 * PgBouncer in transaction mode that the global setup starts (its own ini in a
 * temp folder, its own port, trust authentication) in front of the test server.
 * The embedded engine sits this run out: testEngines lists PostgreSQL only.
 */
export default defineConfig({
  test: {
    include: [
      'test/api/**/*.test.ts',
      'test/http/**/*.test.ts',
      'test/pooler/**/*.test.ts',
      'src/store/ledger-store.test.ts',
      'src/store/grant-many.test.ts',
      'src/store/concurrency.test.ts',
      'src/store/history.test.ts',
      'src/store/multi-process.test.ts',
      'src/store/effective-order.property.test.ts',
      'src/events/**/*.test.ts',
    ],
    // Both pin the embedded engine (the OpenAPI document and the web UI's routes do not touch the store).
    exclude: ['test/http/openapi.test.ts', 'test/http/service-routes.test.ts'],
    globalSetup: ['test/pooler/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
