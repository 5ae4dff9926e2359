import type { ClientRateLimitInfo } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';

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
