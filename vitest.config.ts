import { availableParallelism } from 'node:os';

import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Browser scenarios start Chromium; give them room without slowing the unit tests.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // One pool of workers for every project, so the browser files run beside the unit files
    // rather than one at a time after them. One worker more than the cores: most of a file's
    // time is spent waiting (for Chromium, a child process, a socket), so the cores stay busy.
    // (Vitest's own default is one fewer than the cores: a single worker on a 2-core machine,
    // every file after the other.)
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        // Child processes (the default pool), not worker threads: specs set the umask, which a
        // worker thread may not.
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/browser/**'] },
      },
      {
        // The workspace packages' own tests (the sandbox provider), in the same run.
        extends: true,
        test: { name: 'packages', include: ['packages/*/test/**/*.test.ts'] },
      },
      {
        // Each browser file starts its own Chromium and a fresh app for every test, so the files
        // share nothing and may run side by side. They share their worker's loaded modules
        // (playwright-core, the app, axe-core), which each file would otherwise load again.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          isolate: false,
          // A scenario takes a few seconds; the margin is for a machine busy with other work.
          testTimeout: 30_000,
          // A page reacts within milliseconds, but a busy machine can take longer than the 1 s default.
          expect: { poll: { timeout: 5_000 } },
        },
      },
    ],
  },
});
