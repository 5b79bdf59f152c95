import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Each file gets its own database / key prefix, so files run in parallel. Vitest's default is
    // one worker fewer than the cores (one on CI's two), but most of a file's time is spent waiting
    // on Postgres, Redis, Chromium and sockets: as many workers as cores, and at least two.
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
