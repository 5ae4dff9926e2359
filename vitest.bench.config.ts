import { defineConfig } from 'vitest/config';

// Benchmarks run on their own (`npm run bench`), never as part of `npm test`.
export default defineConfig({
  test: {
    include: [],
    benchmark: { include: ['bench/**/*.bench.ts', 'packages/*/bench/**/*.bench.ts'] },
    hookTimeout: 60_000,
  },
});
