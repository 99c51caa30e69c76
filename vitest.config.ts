import { configDefaults, defineConfig } from 'vitest/config';

// Where the JSON report goes (read by .ci/run for its "N passed, N failed" line).
const jsonReport = process.env.MLBUILD_TEST_REPORT ?? '.cache/vitest-report.json';

// Integration files share one Docker engine and two registries on a 2-core machine: one file at a time by default.
const integrationWorkers = Number(process.env.MLBUILD_IT_WORKERS ?? '1');

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: jsonReport },
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/integration/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          maxWorkers: integrationWorkers,
          fileParallelism: integrationWorkers > 1,
          sequence: { groupOrder: integrationWorkers > 1 ? 1 : 0 },
        },
      },
    ],
  },
});
