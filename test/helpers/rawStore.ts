/**
 * What a copy of a store holds, read past the app: every byte of a SQLite file or a Redis
 * database, and the one stored session opened with the tests' store key. `env` names the store
 * as the app is configured with it (SQLITE_PATH or REDIS_URL).
 */
import { existsSync, readFileSync } from 'node:fs';

import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { expect } from 'vitest';

import { testSealer, type Backend } from './storeBackends.js';

/** Every byte the backend holds, as text: the database file and its write-ahead log, or every Redis key and value. */
export async function rawStore(backend: Backend['name'], env: Record<string, string>): Promise<string> {
  if (backend === 'sqlite') {
    const path = env.SQLITE_PATH!;
    return [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1')).join('\n');
  }
  const client = createClient({ url: env.REDIS_URL });
  await client.connect();
  const parts: string[] = [];
  for await (const keys of client.scanIterator()) {
    for (const key of keys) {
      parts.push(key);
      const type = await client.type(key);
      if (type === 'string') parts.push((await client.get(key)) ?? '');
      if (type === 'hash') parts.push(JSON.stringify(await client.hGetAll(key)));
      if (type === 'zset') parts.push(JSON.stringify(await client.zRange(key, 0, -1)));
      if (type === 'list') parts.push(JSON.stringify(await client.lRange(key, 0, -1)));
    }
  }
  client.destroy();
  return parts.join('\n');
}

/** The connection kept in the one stored session, opened with the test's store key. */
export async function storedConnection(backend: Backend['name'], env: Record<string, string>): Promise<{ token: string; secret: string }> {
  let sealed: string[];
  if (backend === 'sqlite') {
    const db = new Database(env.SQLITE_PATH!, { readonly: true });
    sealed = db.prepare<[], { data: string }>('SELECT data FROM sessions').all().map((row) => row.data);
    db.close();
  } else {
    const client = createClient({ url: env.REDIS_URL });
    await client.connect();
    sealed = [];
    for await (const keys of client.scanIterator({ MATCH: 'nexmo:sess:*' })) for (const key of keys) sealed.push((await client.get(key))!);
    client.destroy();
  }
  const connections = sealed.map((value) => JSON.parse(testSealer.open(value)).connection).filter(Boolean);
  expect(connections).toHaveLength(1);
  return connections[0];
}
