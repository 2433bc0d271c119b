import { defineConfig } from 'vitest/config';

/**
 * The fault suite: `npm run test:faults`. Each file creates a private
 * PostgreSQL (initdb in a temp folder, its own port and socket folder), starts
 * the real server process on it and breaks things with real signals. Files run
 * one after another: the faults are timed, and the machine has two cores.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
