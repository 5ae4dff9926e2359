// A copy of the SQLite file or a Redis dump holds no usable token: after a login, the raw store
// contains neither the access token nor its secret, nor the pending request-token secret.
import { existsSync, readFileSync } from 'node:fs';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import Database from 'better-sqlite3';

import { redisBackend, sqliteBackend, testSealer, type Backend } from '../helpers/storeBackends.js';
import { startScriptedRest } from '../helpers/scriptedRest.js';
import { connect, pathOf, startTestApp, type TestApp } from '../helpers/testApp.js';

const REQUEST = { token: 'request-token-at-rest-1', secret: 'request-secret-at-rest-1' };
const ACCESS = { token: 'access-token-at-rest-1', secret: 'access-secret-at-rest-1' };

/** Every byte the backend holds, as text: the database file and its write-ahead log, or every Redis key and value. */
async function rawStore(backend: Backend['name'], env: Record<string, string>): Promise<string> {
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

const backends = [sqliteBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

let rest: Awaited<ReturnType<typeof startScriptedRest>>;
let app: TestApp | undefined;
beforeEach(async () => {
  rest = await startScriptedRest();
  rest.answerPath('/oauth/request_token', { status: 200, body: `oauth_token=${REQUEST.token}&oauth_token_secret=${REQUEST.secret}&oauth_callback_confirmed=true` });
  rest.answerPath('/oauth/access_token', { status: 200, body: `oauth_token=${ACCESS.token}&oauth_token_secret=${ACCESS.secret}&username=ann` });
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await rest.close();
});

describe.each(backends)('tokens at rest in the $name store', (backend) => {
  it('are sealed: the raw store holds no access token, token secret or request-token secret', async () => {
    const env = await backend.env();
    app = await startTestApp({ ...env, NEXMO_CONSUMER_KEY: 'key', NEXMO_CONSUMER_SECRET: 'consumer-secret-at-rest', NEXMO_OAUTH_URL: `${rest.url}/oauth/`, NEXMO_REST_URL: rest.url });
    const browser = app.browser();
    const login = await browser.get('/auth/login');
    expect(login.status).toBe(302);
    const pending = await rawStore(backend.name, env);
    expect(pending).not.toContain(REQUEST.secret);

    const done = await browser.get(pathOf(`/auth/callback?oauth_token=${REQUEST.token}&oauth_verifier=verifier-1`));
    expect(done.headers.location).toBe('/?notice=connected');
    expect((await browser.get('/')).text).toContain('Disconnect');

    const connected = await rawStore(backend.name, env);
    // The session is really there (the store is not simply empty)…
    expect(connected.length).toBeGreaterThan(100);
    for (const secret of [ACCESS.token, ACCESS.secret, REQUEST.secret, 'consumer-secret-at-rest']) expect(connected).not.toContain(secret);
  });
});

/** The connection kept in the one stored session, opened with the test's store key. */
async function storedConnection(backend: Backend['name'], env: Record<string, string>): Promise<{ token: string; secret: string }> {
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

describe.each(backends)('the sandbox’s state at rest in the $name store', (backend) => {
  it('is sealed too: neither the access token it issued nor its secret, nor its consumer secret, is readable', async () => {
    const env = await backend.env();
    app = await startTestApp(env);
    await connect(app);
    const { token, secret } = await storedConnection(backend.name, env);
    expect(token.length).toBeGreaterThan(10);
    const raw = await rawStore(backend.name, env);
    for (const value of [token, secret, app.provider.consumerSecret]) expect(raw).not.toContain(value);
  });
});
