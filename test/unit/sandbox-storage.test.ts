// The contract every SandboxStorage keeps, run against those the app can give the sandbox:
// the package's memory storage, SQLite (a temporary file) and Redis (a real redis-server on a free
// loopback port, started here and stopped after; skipped, saying so, when it is not installed),
// and SQLite and Redis sealed as the app really uses them (src/store/sealedSandboxStorage.ts).
// Each backend is opened twice on the same state (two SQLite connections, two Redis clients), and
// the concurrent calls are spread over both, as two app instances would send them.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createMemoryStorage, type SandboxStorage } from '@nexmo-oauth/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createRedis } from '../../src/store/redis/client.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createRedisKeyValue } from '../../src/store/redis/keyValue.js';
import { sealKeyValue } from '../../src/store/sealedKeyValue.js';
import { openDatabase } from '../../src/store/sqlite/db.js';
import { createSqliteKeyValue, keyValuePruner } from '../../src/store/sqlite/keyValue.js';
import { freePort } from '../helpers/ports.js';
import { testSealer } from '../helpers/storeBackends.js';

interface Backend {
  /** Two handles on one shared state. */
  storages: [SandboxStorage, SandboxStorage];
  close(): Promise<void>;
}

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) {
  console.warn('redis-server is not installed: the Redis rows of the SandboxStorage contract are skipped (install Debian\'s "redis-server" package to run them).');
}

let redisServer: ChildProcess | undefined;
let redisUrl = '';

beforeAll(async () => {
  if (!hasRedis) return;
  const port = await freePort();
  redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    redisServer!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    redisServer!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  redisUrl = `redis://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (!redisServer || redisServer.exitCode !== null) return;
  const exited = new Promise((resolve) => redisServer!.once('exit', resolve));
  redisServer.kill('SIGTERM');
  await exited;
});

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'memory',
    async () => {
      const storage = createMemoryStorage();
      return { storages: [storage, storage], close: async () => {} };
    },
  ],
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sandbox-storage-'));
      const a = openDatabase(join(dir, 'app.db'));
      const b = openDatabase(join(dir, 'app.db'));
      return {
        storages: [createSqliteKeyValue(a), createSqliteKeyValue(b)],
        close: async () => {
          a.close();
          b.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'Redis',
    async () => {
      const a = createRedis(redisUrl, silentLogger);
      const b = createRedis(redisUrl, silentLogger);
      await Promise.all([a.connect(), b.connect()]);
      await a.flushDb();
      return {
        storages: [createRedisKeyValue(a), createRedisKeyValue(b)],
        close: async () => {
          a.destroy();
          b.destroy();
        },
      };
    },
  ],
];

/** The same backend with every value sealed and every key a one-way name, as the app opens it. */
function sealed(open: () => Promise<Backend>): () => Promise<Backend> {
  return async () => {
    const backend = await open();
    const [a, b] = backend.storages;
    return { storages: [sealKeyValue(a, testSealer), sealKeyValue(b, testSealer)], close: backend.close };
  };
}
backends.push(['sealed SQLite', sealed(backends[1]![1])], ['sealed Redis', sealed(backends[2]![1])]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('SandboxStorage over %s', (name, open) => {
  const skip = name.endsWith('Redis') && !hasRedis;
  const isSealed = name.startsWith('sealed');
  let backend: Backend;
  let s: SandboxStorage;
  let other: SandboxStorage;
  let n = 0;
  /** A key of this test only, so tests never see each other's values. */
  const key = (what: string) => `sandbox:contract:${n}:${what}`;

  beforeAll(async () => {
    if (skip) return;
    backend = await open();
    [s, other] = backend.storages;
  });
  afterAll(async () => {
    await backend?.close();
  });
  const test = (title: string, fn: () => Promise<void>) =>
    it.skipIf(skip)(title, async () => {
      n += 1;
      await fn();
    });

  test('gets what was set, replaces it, and answers undefined for a missing key', async () => {
    expect(await s.get(key('a'))).toBeUndefined();
    await s.set(key('a'), 'one');
    expect(await other.get(key('a'))).toBe('one');
    await s.set(key('a'), 'two ✓ "quoted"\nline');
    expect(await s.get(key('a'))).toBe('two ✓ "quoted"\nline');
  });

  test('forgets a value once its TTL has passed, and a value set without TTL keeps none', async () => {
    await s.set(key('short'), 'x', 40);
    await s.set(key('kept'), 'y', 40);
    await s.set(key('kept'), 'z');
    expect(await s.get(key('short'))).toBe('x');
    await sleep(120);
    expect(await s.get(key('short'))).toBeUndefined();
    expect(await s.take(key('short'))).toBeUndefined();
    expect(await s.get(key('kept'))).toBe('z');
  });

  test('setIfAbsent sets only when absent (or expired), and says whether it did', async () => {
    expect(await s.setIfAbsent(key('n'), 'first', 60_000)).toBe(true);
    expect(await other.setIfAbsent(key('n'), 'second', 60_000)).toBe(false);
    expect(await s.get(key('n'))).toBe('first');
    expect(await s.setIfAbsent(key('e'), 'old', 40)).toBe(true);
    await sleep(120);
    expect(await s.setIfAbsent(key('e'), 'new')).toBe(true);
    expect(await s.get(key('e'))).toBe('new');
  });

  test('take returns the value and removes it; delete removes values and lists', async () => {
    await s.set(key('t'), 'grant');
    expect(await other.take(key('t'))).toBe('grant');
    expect(await s.take(key('t'))).toBeUndefined();
    expect(await s.get(key('t'))).toBeUndefined();
    await s.set(key('d'), 'v');
    await s.pushCapped(key('l'), 'item', 5);
    await s.delete(key('d'));
    await s.delete(key('l'));
    await s.delete(key('never-there'));
    expect(await s.get(key('d'))).toBeUndefined();
    expect(await s.range(key('l'), 5)).toEqual([]);
  });

  test('incrBy starts from 0, adds and subtracts, and get reads the count it left', async () => {
    expect(await s.incrBy(key('c'), 5)).toBe(5);
    expect(await other.get(key('c'))).toBe('5');
    expect(await other.incrBy(key('c'), -8)).toBe(-3);
    expect(await s.get(key('c'))).toBe('-3');
    expect(await s.incrBy(key('big'), 2 ** 48)).toBe(2 ** 48);
    expect(await s.incrBy(key('big'), 3)).toBe(2 ** 48 + 3);
    expect(await other.get(key('big'))).toBe(String(2 ** 48 + 3));
    // A deleted counter starts again from 0 (the demo controls' balance reset).
    await s.delete(key('c'));
    expect(await s.get(key('c'))).toBeUndefined();
    expect(await other.incrBy(key('c'), 2)).toBe(2);
  });

  test('incrBy refuses a value that is not a whole number, and leaves it as it was', async () => {
    await s.set(key('text'), 'not a number');
    await expect(other.incrBy(key('text'), 1)).rejects.toThrow();
    expect(await s.get(key('text'))).toBe('not a number');
    // Sealed, even a number that was set is sealed: it is a value, not a counter.
    await s.set(key('set-number'), '10');
    if (isSealed) await expect(other.incrBy(key('set-number'), 1)).rejects.toThrow();
    else expect(await other.incrBy(key('set-number'), 1)).toBe(11);
  });

  // Sealed storages seal what `set` writes, so no counter there starts with a TTL of its own.
  it.skipIf(skip || isSealed)('incrBy keeps a TTL', async () => {
    n += 1;
    // TTLs with room to spare on a loaded machine: Redis keeps its own time, no clock to inject.
    await s.set(key('ttl'), '10', 600);
    expect(await s.incrBy(key('ttl'), 1)).toBe(11);
    await sleep(900);
    expect(await s.get(key('ttl'))).toBeUndefined();
    expect(await s.incrBy(key('ttl'), 1)).toBe(1);
  });

  test('incrBy with a TTL: gone that long after the add that gave it (by 0 renews it), kept by an add without one', async () => {
    // TTLs of 1500 ms and steps of 1000: each has 500 ms to spare on a loaded machine.
    expect(await s.incrBy(key('while'), 1, 1500)).toBe(1);
    expect(await other.incrBy(key('while'), 2)).toBe(3);
    await sleep(1000);
    expect(await other.incrBy(key('while'), 0, 1500)).toBe(3);
    await sleep(1000);
    // Past the first TTL, within the renewed one.
    expect(await s.get(key('while'))).toBe('3');
    await sleep(800);
    expect(await s.get(key('while'))).toBeUndefined();
    // Counted again from 0, and without a TTL it stays.
    expect(await s.incrBy(key('while'), 1)).toBe(1);
    await sleep(150);
    expect(await other.get(key('while'))).toBe('1');
    // A refused add gives nothing its TTL: the value keeps its own.
    await s.set(key('words'), 'not a number', 100);
    await expect(other.incrBy(key('words'), 1, 60_000)).rejects.toThrow();
    await sleep(200);
    expect(await s.get(key('words'))).toBeUndefined();
  });

  test('pushCapped with a TTL expires the whole list, renewed by each push; a push without one keeps it', async () => {
    // TTLs of 1500 ms and steps of 1000: each wait has 500 ms to spare on a loaded machine
    // (Redis keeps its own time: there is no clock to inject).
    await s.pushCapped(key('ttl-list'), 'a', 5, 1500);
    await other.pushCapped(key('ttl-list'), 'b', 5);
    expect(await s.range(key('ttl-list'), 5)).toEqual(['b', 'a']);
    await sleep(1800);
    expect(await other.range(key('ttl-list'), 5)).toEqual([]);
    // An expired list starts again empty; a push with a TTL renews it for the whole list:
    // 2000 ms after 'c', the list is there only because 'd' renewed it.
    await s.pushCapped(key('ttl-list'), 'c', 5, 1500);
    await sleep(1000);
    await other.pushCapped(key('ttl-list'), 'd', 5, 1500);
    await sleep(1000);
    expect(await s.range(key('ttl-list'), 5)).toEqual(['d', 'c']);
    // A list pushed without a TTL never expires.
    await s.pushCapped(key('forever'), 'x', 5);
    await sleep(200);
    expect(await s.range(key('forever'), 5)).toEqual(['x']);
  });

  test('pushCapped keeps the newest `max`, and range reads newest first up to `limit`', async () => {
    for (let i = 1; i <= 7; i += 1) await (i % 2 ? s : other).pushCapped(key('list'), `m${i}`, 5);
    expect(await s.range(key('list'), 10)).toEqual(['m7', 'm6', 'm5', 'm4', 'm3']);
    expect(await other.range(key('list'), 2)).toEqual(['m7', 'm6']);
    expect(await s.range(key('list'), 0)).toEqual([]);
    expect(await s.range(key('none'), 3)).toEqual([]);
  });

  test('20 concurrent takes of one key: exactly one gets the value', async () => {
    await s.set(key('once'), 'the-grant');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? s : other).take(key('once'))));
    expect(results.filter((r) => r !== undefined)).toEqual(['the-grant']);
  });

  test('50 concurrent incrBy: the exact sum', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? s : other).incrBy(key('sum'), i + 1)));
    expect(await s.get(key('sum'))).toBe(String((50 * 51) / 2));
    // Every caller saw a different running total: no two adds were lost into one.
    expect(new Set(results).size).toBe(50);
  });

  test('20 concurrent setIfAbsent of one key: exactly one succeeds', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? s : other).setIfAbsent(key('nonce'), `caller-${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await s.get(key('nonce'))).toBe(`caller-${results.indexOf(true)}`);
  });
});

describe('SQLite sandbox storage upkeep', () => {
  it('prunes expired rows and reads them as absent before that, on its own clock', async () => {
    let now = 1_000;
    const db = openDatabase(':memory:');
    const storage = createSqliteKeyValue(db, () => now);
    await storage.set('sandbox:old', 'x', 500);
    await storage.set('sandbox:forever', 'y');
    now = 1_500;
    expect(await storage.get('sandbox:old')).toBeUndefined();
    keyValuePruner(db)(now);
    expect(db.prepare('SELECT key FROM sandbox_kv ORDER BY key').all()).toEqual([{ key: 'sandbox:forever' }]);
    db.close();
  });

  it('prunes the rows of an expired list, and leaves lists without a TTL alone', async () => {
    let now = 1_000;
    const db = openDatabase(':memory:');
    const storage = createSqliteKeyValue(db, () => now);
    await storage.pushCapped('app:timeline', 'a', 5, 500);
    await storage.pushCapped('app:timeline', 'b', 5);
    await storage.pushCapped('sandbox:outbox', 'm', 5);
    now = 1_500;
    expect(await storage.range('app:timeline', 5)).toEqual([]);
    keyValuePruner(db)(now);
    expect(db.prepare('SELECT key, value FROM sandbox_lists ORDER BY key').all()).toEqual([{ key: 'sandbox:outbox', value: 'm' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sandbox_list_expiry').get()).toEqual({ n: 0 });
    db.close();
  });
});
