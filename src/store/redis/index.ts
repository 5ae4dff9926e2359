import { ConfigError } from '../../config/config.js';
import type { Logger } from '../../logging/logger.js';
import type { Sealer } from '../sealing.js';
import type { AppStores, SettingsStore } from '../types.js';
import { PREFIX, START_WAIT_MS, createRedis, describeRedisUrl, guarded, loadScripts, withinDeadline, type Redis } from './client.js';
import { createRedisMessages } from './messages.js';
import { createRedisPendingLogins } from './pendingLogins.js';
import { sealKeyValue } from '../sealedKeyValue.js';
import { createRedisRateLimitStore } from './rateLimits.js';
import { createRedisKeyValue } from './keyValue.js';
import { migrateRedis } from './schemaVersion.js';
import { RedisSessionStore } from './sessions.js';

function createRedisSettings(redis: Redis): SettingsStore {
  return {
    getOrCreate: (name, create) =>
      guarded('reading a setting', async () => {
        // SET NX: whichever instance writes first wins, and every instance reads that value.
        await redis.set(`${PREFIX}setting:${name}`, create(), { condition: 'NX' });
        return (await redis.get(`${PREFIX}setting:${name}`)) as string;
      }),
  };
}

/**
 * Everything the app keeps, in a Redis several instances share. At start it waits for Redis,
 * saying so once, and gives up after START_WAIT_MS naming REDIS_URL.
 */
/** The idle time of a session when none is given (SESSION_IDLE_MINUTES' default). */
const DEFAULT_SESSION_IDLE_MS = 120 * 60_000;

export async function connectRedisStores(url: string, options: { log: Logger; sealer: Sealer; sessionIdleMs?: number }): Promise<AppStores> {
  const redis = createRedis(url, options.log);
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ConfigError('REDIS_URL', `no Redis answered at ${describeRedisUrl(url)} within ${START_WAIT_MS / 1000} s; start Redis or correct REDIS_URL`)), START_WAIT_MS);
  });
  try {
    await Promise.race([redis.connect(), gaveUp]);
  } catch (err) {
    redis.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  try {
    await withinDeadline(migrateRedis(redis, describeRedisUrl(url)));
    await withinDeadline(loadScripts(redis));
  } catch (err) {
    redis.destroy();
    throw err;
  }
  const keyValue = sealKeyValue(createRedisKeyValue(redis), options.sealer);
  return {
    kind: 'redis',
    sessions: new RedisSessionStore(redis, options.sealer, { idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS }),
    pendingLogins: createRedisPendingLogins(redis, options.sealer),
    messages: createRedisMessages(redis),
    settings: createRedisSettings(redis),
    ping: () =>
      guarded('a health check', async () => {
        await redis.ping();
      }),
    sandbox: keyValue,
    // The sandbox's keys all start with "sandbox:", the app's own records with their own prefix.
    records: keyValue,
    rateLimitStore: (prefix) => createRedisRateLimitStore(redis, prefix),
    close: async () => {
      redis.destroy();
    },
  };
}
