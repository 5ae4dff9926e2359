// The Redis session store reads and touches a session in one command (GETEX): each read sets the
// expiry to the idle time from then, and the touch express-session asks for afterwards sends
// nothing. Against a real redis-server; expiries are read back as Redis's own TTLs.
import type session from 'express-session';
import { createClient } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../src/logging/logger.js';
import { connectRedisStores } from '../../src/store/redis/index.js';
import type { AppStores } from '../../src/store/types.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { testSealer } from '../helpers/storeBackends.js';

const IDLE_MS = 30 * 60_000;
const KEY = (sid: string) => `nexmo:sess:${sid}`;

let server: RedisServer;
let stores: AppStores;
let probe: ReturnType<typeof createClient>;
beforeAll(async () => {
  server = await startRedisServer();
  stores = await connectRedisStores(server.url, { log: silentLogger, sealer: testSealer, sessionIdleMs: IDLE_MS });
  probe = createClient({ url: server.url });
  await probe.connect();
});
afterAll(async () => {
  probe?.destroy();
  await stores?.close();
  await server?.close();
});
beforeEach(async () => {
  await probe.configResetStat();
});

const get = (sid: string) =>
  new Promise<session.SessionData | null | undefined>((resolve, reject) => stores.sessions.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
const set = (sid: string, data: session.SessionData) => new Promise<void>((resolve, reject) => stores.sessions.set(sid, data, (err) => (err ? reject(err) : resolve())));
const touch = (sid: string, data: session.SessionData) => new Promise<void>((resolve) => stores.sessions.touch!(sid, data, () => resolve()));
/** Calls of each command since the last reset, as Redis counts them. */
async function commandCalls(): Promise<Record<string, number>> {
  const info = await probe.info('commandstats');
  return Object.fromEntries([...info.matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}
const aMinute = () => ({ cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) }, loginOwner: 'owner-a' }) as unknown as session.SessionData;

describe('the Redis session store', () => {
  it('sets the expiry to the idle time from now when it reads a session, in one command', async () => {
    await set('sid-read', aMinute());
    expect(await probe.pTTL(KEY('sid-read'))).toBeLessThanOrEqual(60_000);
    await probe.configResetStat();

    const read = await get('sid-read');
    expect(read).toMatchObject({ loginOwner: 'owner-a' });
    const ttl = await probe.pTTL(KEY('sid-read'));
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(IDLE_MS);
    // The probe's own PTTL and INFO are the other calls.
    const calls = await commandCalls();
    expect(calls.getex).toBe(1);
    expect(calls.get).toBeUndefined();
    expect(calls.expire).toBeUndefined();
  });

  it('sends nothing for the touch that follows a read', async () => {
    await set('sid-touch', aMinute());
    const read = await get('sid-touch');
    await probe.pExpire(KEY('sid-touch'), 5_000);
    await probe.configResetStat();

    await touch('sid-touch', read!);
    expect(await probe.pTTL(KEY('sid-touch'))).toBeLessThanOrEqual(5_000);
    const calls = await commandCalls();
    expect(Object.keys(calls).filter((name) => !['pttl', 'info', 'config|resetstat'].includes(name))).toEqual([]);
  });

  it('reads an absent or unreadable session as none, without creating a key', async () => {
    expect(await get('sid-never')).toBeNull();
    expect(await probe.exists(KEY('sid-never'))).toBe(0);
    await probe.set(KEY('sid-damaged'), 'not a sealed session');
    expect(await get('sid-damaged')).toBeNull();
  });
});
