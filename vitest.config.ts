import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores here; PGlite instances are memory-hungry, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
