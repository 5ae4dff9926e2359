// Each login start costs a provider call (a request token), so it is counted before the
// provider is asked: by express-rate-limit with the store's own Store, so instances that share a
// store enforce one limit. (Sends are counted by the store's reservation of each send, see
// limits/sendCounters.ts.)
import type { Request, Response } from 'express';
import { rateLimit, type AugmentedRequest, type RateLimitRequestHandler, type Store } from 'express-rate-limit';

import type { Limits } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { secondsUntil, type LimitRefusal } from '../limits/refusal.js';
import type { AppStores } from '../store/types.js';
import { addressOf } from './clientAddress.js';

export interface LoginLimit {
  /** Counts a login start by the client's address; the refusal when it is over the limit (nothing counted). */
  countLoginStart(req: Request, res: Response): Promise<LimitRefusal | undefined>;
}

const MINUTE = 60_000;

type RequestKind = 'logins-per-address';

interface Counter {
  kind: RequestKind;
  limit: number;
  store: Store;
  middleware: RateLimitRequestHandler;
}

/** Passed to `next` by a limiter's handler: this request is over that limit. */
const OVER = Symbol('over the limit');

/** The app's limiters, built once; a limit of 0 builds none. Keys come from countLoginStart. */
export function createLoginLimit(limits: Limits, stores: AppStores, log: Logger): LoginLimit {
  const keys = new WeakMap<Request, Partial<Record<RequestKind, string>>>();

  const counter = (kind: RequestKind, limit: number, windowMs: number): Counter | undefined => {
    if (limit === 0) return undefined;
    const store = stores.rateLimitStore(`${kind}:`);
    const middleware = rateLimit({
      windowMs,
      limit,
      store,
      keyGenerator: (req) => {
        const key = keys.get(req)?.[kind];
        if (key === undefined) throw new Error(`no ${kind} key for this request`);
        return key;
      },
      requestPropertyName: `rateLimit:${kind}`,
      // The answer (its status, Retry-After and words) is the route's to give.
      standardHeaders: false,
      legacyHeaders: false,
      handler: (_req, _res, next) => next(OVER),
      logger: {
        error: (err, message) => log.error(`${message ?? 'rate limiter'}: ${err instanceof Error ? err.message : String(err)}`),
        warn: (err, message) => log.warn(`${message ?? 'rate limiter'}: ${err instanceof Error ? err.message : String(err)}`),
      },
    });
    return { kind, limit, store, middleware };
  };

  const logins = [counter('logins-per-address', limits.loginsPerAddressPerMinute, MINUTE)].filter((c): c is Counter => c !== undefined);

  /**
   * Runs the counters in turn. On the first refusal, every count this request made (the
   * refusing one included) is taken back, so a refused request costs no other limit.
   */
  async function count(req: Request, res: Response, counters: Counter[]): Promise<LimitRefusal | undefined> {
    const counted: { counter: Counter; key: string }[] = [];
    const undo = async () => {
      for (const { counter: c, key } of counted) {
        try {
          await c.store.decrement(key);
        } catch (err) {
          log.warn(`could not take back a ${c.kind} count: ${err instanceof Error ? err.message : 'error'}`);
        }
      }
    };
    try {
      for (const c of counters) {
        const over = await new Promise<boolean>((resolve, reject) => {
          void c.middleware(req, res, (err?: unknown) => (err === OVER ? resolve(true) : err ? reject(err) : resolve(false)));
        });
        const info = (req as AugmentedRequest)[`rateLimit:${c.kind}`];
        if (info) counted.push({ counter: c, key: info.key });
        if (over) {
          // Refused: what this request counted is taken back.
          await undo();
          return { kind: c.kind, limit: c.limit, retryAfterSeconds: secondsUntilReset(info?.resetTime) };
        }
      }
    } catch (err) {
      // The store failed part way: what this request counted is taken back.
      await undo();
      throw err;
    }
    return undefined;
  }

  return {
    async countLoginStart(req, res) {
      keys.set(req, { 'logins-per-address': addressOf(req) });
      return count(req, res, logins);
    },
  };
}

/** express-rate-limit's windows are real time: Retry-After from its reset time. */
function secondsUntilReset(time: Date | undefined): number {
  return time ? secondsUntil(time.getTime(), Date.now()) : 60;
}
