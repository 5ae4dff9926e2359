// The three store backends, each set up for real: memory, a SQLite file in a temporary folder,
// and a redis-server of the test's own. Specs run against every one with describe.each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { silentLogger } from '../../src/logging/logger.js';
import { createMemoryStores } from '../../src/store/memory.js';
import { createSealer } from '../../src/store/sealing.js';
import { connectRedisStores } from '../../src/store/redis/index.js';
import { createSqliteStores } from '../../src/store/sqlite/index.js';
import type { AppStores } from '../../src/store/types.js';
import { startRedisServer, type RedisServer } from './redisServer.js';

/** The key the tests encrypt stores with, so a test can open what it finds at rest. */
export const TEST_STORE_KEY = 'test-store-key-0123456789abcdefghijklmnop';
export const testSealer = createSealer([TEST_STORE_KEY]);
/** The sessions' idle time for stores opened directly (SESSION_IDLE_MINUTES' default, 120). */
export const TEST_SESSION_IDLE_MS = 120 * 60_000;

export interface Backend {
  name: 'memory' | 'sqlite' | 'redis';
  /** Fresh, empty stores (a new file, or a Redis database of their own); `sessionIdleMs` as SESSION_IDLE_MINUTES sets it. */
  open(now?: () => number, options?: { sessionIdleMs?: number }): Promise<AppStores>;
  /** Two stores on one file or one Redis database, as two app instances have (not for memory). */
  openTwice?(now?: () => number): Promise<[AppStores, AppStores]>;
  /** The environment that makes the app use this backend (none for memory). */
  env(): Promise<Record<string, string>>;
  /** Removes what setUp made. */
  tearDown(): Promise<void>;
}

export function memoryBackend(): Backend {
  return { name: 'memory', open: async (now) => createMemoryStores(now), env: async () => ({}), tearDown: async () => {} };
}

export function sqliteBackend(): Backend {
  let dir: string | undefined;
  let n = 0;
  const folder = () => (dir ??= mkdtempSync(join(tmpdir(), 'sqlite-store-')));
  return {
    name: 'sqlite',
    open: async (now, options) => createSqliteStores(join(folder(), `store-${++n}.db`), { now, sealer: testSealer, sessionIdleMs: options?.sessionIdleMs ?? TEST_SESSION_IDLE_MS }),
    openTwice: async (now) => {
      const path = join(folder(), `store-${++n}.db`);
      const open = () => createSqliteStores(path, { now, sealer: testSealer, sessionIdleMs: TEST_SESSION_IDLE_MS });
      return [open(), open()];
    },
    env: async () => ({ SQLITE_PATH: join(folder(), `app-${++n}.db`), STORE_KEY: TEST_STORE_KEY }),
    tearDown: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function redisBackend(): Backend {
  let server: RedisServer | undefined;
  let db = 0;
  const started = async () => (server ??= await startRedisServer());
  // Each open() gets its own database number, so tests in one file never see each other's keys.
  const nextUrl = async () => `${(await started()).url}/${++db % 16}`;
  return {
    name: 'redis',
    open: async (_now, options) => connectRedisStores(await nextUrl(), { log: silentLogger, sealer: testSealer, sessionIdleMs: options?.sessionIdleMs ?? TEST_SESSION_IDLE_MS }),
    openTwice: async () => {
      const url = await nextUrl();
      return [await connectRedisStores(url, { log: silentLogger, sealer: testSealer, sessionIdleMs: TEST_SESSION_IDLE_MS }), await connectRedisStores(url, { log: silentLogger, sealer: testSealer, sessionIdleMs: TEST_SESSION_IDLE_MS })];
    },
    env: async () => ({ REDIS_URL: await nextUrl(), STORE_KEY: TEST_STORE_KEY }),
    tearDown: async () => {
      await server?.close();
    },
  };
}

export const allBackends = (): Backend[] => [memoryBackend(), sqliteBackend(), redisBackend()];
