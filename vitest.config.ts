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
    // Test files share a worker's module cache: importing the whole service once per worker instead
    // of once per file took the suite's import time from ~500 s to ~50 s. Every file still gets its
    // own database, key prefix, data directory and ports, and no module holds per-test state.
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
