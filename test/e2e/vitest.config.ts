import { defineConfig } from 'vitest/config';

/**
 * Browser tests: `npm run test:e2e` (builds the UI first). Each file starts
 * the real server (`connects serve`) on a fresh data folder with a manual
 * clock and an ephemeral port, and drives Debian's Chromium through it. Files
 * run one after another: two cores, one browser at a time.
 */
export default defineConfig({
  test: {
    // The web app's own unit tests (pure modules: formatting, expiry buckets, wire views) run here too.
    include: ['test/e2e/**/*.e2e.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
