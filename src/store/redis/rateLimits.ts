import type { ClientRateLimitInfo } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';

import type { QuotaStore } from '../types.js';
import { PREFIX, guarded, type Redis } from './client.js';

/**
 * rate-limit-redis, whose failures read as the store being unavailable (a 503, as for every
 * other store operation), and which loads its script again after a failed load: the library
 * keeps a failed load's promise, so one outage at the wrong moment would break it for good.
 */
class AppRedisRateLimitStore extends RedisStore {
  override async increment(key: string): Promise<ClientRateLimitInfo> {
    return guarded('counting a request', async () => {
      try {
        await this.incrementScriptSha;
      } catch {
        this.incrementScriptSha = this.loadIncrementScript();
      }
      return super.increment(key);
    });
  }

  override async decrement(key: string): Promise<void> {
    return guarded('uncounting a request', () => super.decrement(key));
  }

  override async resetKey(key: string): Promise<void> {
    return guarded('resetting a counter', () => super.resetKey(key));
  }
}

export function createRedisRateLimitStore(redis: Redis, prefix: string): RedisStore {
  return new AppRedisRateLimitStore({ prefix: `${PREFIX}rl:${prefix}`, sendCommand: (...args: string[]) => redis.sendCommand(args) as never });
}

// Atomic in Redis: no command from any instance runs between the read and the add.
const TAKE = `
local ttl = redis.call('PTTL', KEYS[1])
local used = 0
if ttl > 0 then used = tonumber(redis.call('GET', KEYS[1])) end
local amount = tonumber(ARGV[1])
if used + amount > tonumber(ARGV[2]) then
  if ttl <= 0 then ttl = tonumber(ARGV[3]) end
  return {0, used, ttl}
end
if ttl > 0 then
  return {1, redis.call('INCRBY', KEYS[1], amount), ttl}
end
redis.call('SET', KEYS[1], amount, 'PX', ARGV[3])
return {1, amount, tonumber(ARGV[3])}`;

/** Quotas as keys with a TTL (the window), added to by one script. */
export function createRedisQuotas(redis: Redis): QuotaStore {
  return {
    take: (key, amount, limit, windowMs) =>
      guarded('counting a quota', async () => {
        const [allowed, used, ttl] = (await redis.eval(TAKE, { keys: [`${PREFIX}quota:${key}`], arguments: [String(amount), String(limit), String(windowMs)] })) as [number, number, number];
        return { allowed: allowed === 1, used, resetTime: new Date(Date.now() + ttl) };
      }),
  };
}
