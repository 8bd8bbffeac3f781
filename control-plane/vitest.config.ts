import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Vitest runs one file at a time on a 2-core machine (cores - 1); these files mostly wait on
    // PostgreSQL, the fakes and child processes, so two at once nearly halve the suite's time.
    maxWorkers: 2,
    hookTimeout: 60_000,
  },
});
