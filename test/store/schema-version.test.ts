// The store's layout carries a version: a file or Redis from before versions is recognised as
// version 1 and upgraded in place with its data, and one written by a newer app is refused with
// a message naming it and both versions, and left exactly as it was.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../../src/logging/logger.js';
import { openStores } from '../../src/store/open.js';
import { connectRedisStores } from '../../src/store/redis/index.js';
import { LATEST_REDIS_VERSION, SCHEMA_KEY } from '../../src/store/redis/schemaVersion.js';
import { SchemaTooNewError } from '../../src/store/schemaVersion.js';
import { LATEST_VERSION } from '../../src/store/sqlite/migrations.js';
import { createSqliteStores } from '../../src/store/sqlite/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { TEST_STORE_KEY, testSealer } from '../helpers/storeBackends.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/schema-v1.db');
/** When the fixture's records were written (see test/fixtures/README.md). */
const WRITTEN_AT = Date.UTC(2025, 0, 15, 12, 0, 0);
const soonAfter = () => WRITTEN_AT + 60_000;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const userVersion = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'schema-version-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the checked-in file in a folder of its own: the fixture itself is never opened. */
function copyOfFixture(name: string): string {
  const folder = mkdtempSync(join(dir, `${name}-`));
  const file = join(folder, 'app.db');
  copyFileSync(FIXTURE, file);
  return file;
}

describe('a SQLite file', () => {
  it('written before schema versions is recognised as version 1 and upgraded in place, its data intact', async () => {
    const file = copyOfFixture('upgrade');
    expect(userVersion(file)).toBe(0);

    const stores = createSqliteStores(file, { now: soonAfter, sealer: testSealer });
    try {
      expect(stores.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const session = await new Promise<unknown>((res, rej) => stores.sessions.get('fixture-session-id', (err, data) => (err ? rej(err) : res(data))));
      expect(session).toMatchObject({ connection: { account: 'fixture-account', token: 'fixture-access-token', secret: 'fixture-access-secret' } });
      expect(await stores.pendingLogins.take('fixture-request-token', 'fixture-owner')).toEqual({ token: 'fixture-request-token', secret: 'fixture-request-secret', owner: 'fixture-owner', createdAt: WRITTEN_AT });
      const message = await stores.messages.get('fixture-message-id', 'fixture-account');
      expect(message?.request.text).toBe('Written by schema 1');
      expect(message?.outcome).toMatchObject({ kind: 'sent', parts: [{ messageId: 'FIXTURE-PART-1', remainingBalance: '9.96670000' }] });
    } finally {
      await stores.close();
    }
    // Opening it again finds the version it wrote, and the data it kept.
    expect(userVersion(file)).toBe(LATEST_VERSION);
    const again = createSqliteStores(file, { now: soonAfter, sealer: testSealer });
    try {
      expect((await again.messages.list('fixture-account', { offset: 0, limit: 10 })).total).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('a new file is made at the latest version', async () => {
    const file = join(mkdtempSync(join(dir, 'fresh-')), 'app.db');
    const stores = createSqliteStores(file, { sealer: testSealer });
    await stores.close();
    expect(userVersion(file)).toBe(LATEST_VERSION);
  });

  it('written by a newer version is refused with a message naming it and both versions, and left byte for byte', async () => {
    const file = copyOfFixture('newer');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 2}`);
    db.close();
    const folder = resolve(file, '..');
    const before = { hash: sha256(file), files: readdirSync(folder).sort() };

    const opening = openStores({ kind: 'sqlite', path: file }, { log: silentLogger, storeKeys: [TEST_STORE_KEY] });
    await expect(opening).rejects.toThrow(SchemaTooNewError);
    await expect(opening).rejects.toThrow(
      `${file} was written by a newer version of this app (schema ${LATEST_VERSION + 2}; this app knows up to ${LATEST_VERSION}). Upgrade the app, or point SQLITE_PATH at another file.`,
    );
    expect(sha256(file)).toBe(before.hash);
    // No -wal or -shm was made beside it.
    expect(readdirSync(folder).sort()).toEqual(before.files);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('a Redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.close();
  });

  async function raw<T>(url: string, use: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
    const client = createClient({ url });
    await client.connect();
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  }

  it('without a version (new, or written before versions) gets the latest, and keeps what it held', async () => {
    const url = `${server.url}/1`;
    await raw(url, (c) => c.set('nexmo:setting:receipt-key', 'kept-from-before-versions'));
    const stores = await connectRedisStores(url, { log: silentLogger, sealer: testSealer });
    try {
      expect(await raw(url, (c) => c.get(SCHEMA_KEY))).toBe(String(LATEST_REDIS_VERSION));
      expect(await stores.settings.getOrCreate('receipt-key', () => 'a new one')).toBe('kept-from-before-versions');
    } finally {
      await stores.close();
    }
    // A second start finds it at the latest and changes nothing.
    const again = await connectRedisStores(url, { log: silentLogger, sealer: testSealer });
    await again.close();
    expect(await raw(url, (c) => c.get(SCHEMA_KEY))).toBe(String(LATEST_REDIS_VERSION));
  });

  it('written by a newer version is refused, naming the Redis as its log lines do, and nothing is written', async () => {
    const port = new URL(server.url).port;
    const url = `${server.url}/2`;
    await raw(`${server.url}/2`, async (c) => {
      await c.set(SCHEMA_KEY, String(LATEST_REDIS_VERSION + 1));
      await c.set('nexmo:setting:receipt-key', 'the newer app’s');
    });
    const snapshot = () => raw(`${server.url}/2`, async (c) => Object.fromEntries(await Promise.all((await c.keys('*')).sort().map(async (k) => [k, await c.get(k)]))));
    const before = await snapshot();

    const opening = connectRedisStores(url, { log: silentLogger, sealer: testSealer });
    await expect(opening).rejects.toThrow(
      `redis://127.0.0.1:${port}/2 was written by a newer version of this app (schema ${LATEST_REDIS_VERSION + 1}; this app knows up to ${LATEST_REDIS_VERSION}). Upgrade the app, or point REDIS_URL at another Redis.`,
    );
    expect(await snapshot()).toEqual(before);
  });
});
