import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Renders use both cores; running render files side by side only makes each slower.
    fileParallelism: false,
  },
});
