import { defineConfig } from 'vitest/config';

/** Pure and in-process tests: no renders, no server processes. They run side by side. */
const UNIT = [
  'test/{timeline,composition,draft,net,materials,lambda}/**/*.test.ts',
  'test/server/{jobs,units,operations}.test.ts',
  'test/render/{compositor-plan,cli-args}.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    projects: [
      { test: { name: 'unit', include: UNIT, testTimeout: 120_000, hookTimeout: 300_000, sequence: { groupOrder: 0 } } },
      {
        test: {
          name: 'render',
          include: ['test/**/*.test.ts'],
          exclude: UNIT,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Renders and server processes use both cores: side by side they only slow each other down.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
