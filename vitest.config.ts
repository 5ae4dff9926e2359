import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Browser scenarios start Chromium; give them room without slowing the unit tests.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/browser/**'] },
      },
      {
        // The workspace packages' own tests (the sandbox provider), in the same run.
        extends: true,
        test: { name: 'packages', include: ['packages/*/test/**/*.test.ts'] },
      },
      {
        // One browser file at a time: each starts its own Chromium, and several at once on a
        // small CI machine only make every step slower.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          // A scenario takes a few seconds; the margin is for a machine busy with other work.
          testTimeout: 30_000,
          // A page reacts within milliseconds, but a busy machine can take longer than the 1 s default.
          expect: { poll: { timeout: 5_000 } },
        },
      },
    ],
  },
});
