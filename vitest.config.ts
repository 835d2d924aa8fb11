import { defineConfig } from 'vitest/config';

// `@fleet-service/source` resolves workspace packages to their `src/index.ts`,
// so tests and type checks need no build.
const conditions = ['@fleet-service/source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@fleet-service/source'] } },
  test: {
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'test/realfleet/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Real fleet v1.0.0 (test/realfleet/kit): one cluster per run, started by globalSetup.
        // fleet reconciles on 2 s / 5 s timers and can show a stale state for 24 s, so waits are long.
        extends: true,
        test: {
          name: 'realfleet',
          include: ['test/realfleet/**/*.test.ts'],
          globalSetup: ['test/realfleet/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
