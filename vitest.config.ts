import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'shared/**/*.test.ts', 'electron/**/*.test.ts'],
          environment: 'node',
          // generous: a test that spawns the CLI a dozen times shares 2 cores with the browser tests
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // one browser test file at a time: each starts Chromium and a backend, and the machine has 2 cores
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
