import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault suite has its own config and runs alone (npm run test:faults): it times real faults.
    // The pooler suite (npm run test:pooler) needs the PgBouncer its global setup starts.
    exclude: [...configDefaults.exclude, 'test/faults/**', 'test/pooler/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
