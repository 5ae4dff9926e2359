import type { SandboxStorage } from '@nexmo-oauth/sandbox';

import { PREFIX, defineScript, guarded, runScript, type Redis } from './client.js';

const KEY = PREFIX;

/**
 * INCRBY and a new TTL in one step. A value that is not a whole number makes INCRBY fail, which
 * ends the script before PEXPIRE: a refused add changes nothing, its TTL included.
 */
const COUNT_FOR_A_WHILE = defineScript(`
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return count
`);

const px = (ttlMs: number) => ({ type: 'PX' as const, value: Math.max(1, Math.ceil(ttlMs)) });

/**
 * A key-value storage with expiries and capped lists in the Redis the app's instances share: the
 * sandbox provider's state (so instances behave as one provider) and the app's own small records,
 * each under its own key prefix: each operation is one Redis command (GETDEL, SET NX PX, INCRBY), one script (INCRBY with a new TTL) or one MULTI
 * (LPUSH + LTRIM, and PEXPIRE for a list with a TTL), atomic whichever instance sends it. TTLs are Redis's own. Failures become
 * StoreUnavailableError, answered 503 like the app's other stores. (The app keeps its own
 * records in the same shape, under their own keys: see index.ts.)
 */
export function createRedisKeyValue(redis: Redis): SandboxStorage {
  return {
    get: (key) => guarded('reading sandbox state', async () => (await redis.get(KEY + key)) ?? undefined),
    set: (key, value, ttlMs) =>
      guarded('writing sandbox state', async () => {
        await redis.set(KEY + key, value, ttlMs === undefined ? undefined : { expiration: px(ttlMs) });
      }),
    setIfAbsent: (key, value, ttlMs) =>
      guarded('writing sandbox state', async () => {
        const reply = await redis.set(KEY + key, value, { condition: 'NX', ...(ttlMs === undefined ? {} : { expiration: px(ttlMs) }) });
        return reply === 'OK';
      }),
    take: (key) => guarded('taking sandbox state', async () => (await redis.getDel(KEY + key)) ?? undefined),
    delete: (key) =>
      guarded('deleting sandbox state', async () => {
        await redis.del(KEY + key);
      }),
    incrBy: (key, by, ttlMs) =>
      guarded('counting in sandbox state', async () => {
        if (ttlMs === undefined) return Number(await redis.incrBy(KEY + key, by));
        return Number(await runScript(redis, COUNT_FOR_A_WHILE, { keys: [KEY + key], arguments: [String(by), String(px(ttlMs).value)] }));
      }),
    pushCapped: (key, value, max, ttlMs) =>
      guarded('writing a list', async () => {
        const push = redis
          .multi()
          .lPush(KEY + key, value)
          .lTrim(KEY + key, 0, Math.max(0, max) - 1);
        if (ttlMs !== undefined) push.pExpire(KEY + key, px(ttlMs).value);
        await push.exec();
      }),
    range: (key, limit) =>
      guarded('reading a list', async () => (limit <= 0 ? [] : await redis.lRange(KEY + key, 0, limit - 1))),
  };
}
