// Abuse limits: each send can cost real money and each login start costs a provider call, so
// both are counted before the provider is asked. Login starts are counted here, by
// express-rate-limit with the store's own Store; sends are counted by the store's reservation of
// each send (see sendLimits.ts). Both live in the app's store, so instances that share a store
// enforce one limit.
import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest, type RateLimitRequestHandler, type Store } from 'express-rate-limit';

import type { Limits } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { AppStores } from '../store/types.js';

export type LimitKind = 'sends-per-account' | 'sends-per-address' | 'sends-per-number' | 'parts-per-account' | 'logins-per-address';

const MINUTE = 60_000;

/** A limit was reached: nothing was counted and nothing should be done. */
export class LimitReachedError extends Error {
  constructor(
    readonly kind: LimitKind,
    /** The configured limit. */
    readonly limit: number,
    /** Whole seconds (at least 1) until the limit's window ends. */
    readonly retryAfterSeconds: number,
    /** For the parts quota: parts already used in the window, and parts this message needs. */
    readonly parts?: { used: number; needed: number },
    /** For the per-number limit: the destination (E.164 digits) that reached it. */
    readonly number?: string,
  ) {
    super(`limit reached: ${kind}`);
    this.name = 'LimitReachedError';
  }
}

export interface AppLimits {
  /** Counts a login start by the client's address, or throws LimitReachedError. */
  countLoginStart(req: Request, res: Response): Promise<void>;
}

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
export function createLimits(limits: Limits, stores: AppStores, log: Logger): AppLimits {
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
  async function count(req: Request, res: Response, counters: Counter[]): Promise<void> {
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
        if (over) throw new LimitReachedError(c.kind, c.limit, secondsUntil(info?.resetTime));
      }
    } catch (err) {
      // Refused, or the store failed part way: what this request counted is taken back.
      await undo();
      throw err;
    }
  }

  return {
    async countLoginStart(req, res) {
      keys.set(req, { 'logins-per-address': addressOf(req) });
      await count(req, res, logins);
    },
  };
}

/**
 * The client's address as Express sees it (TRUST_PROXY decides whether a proxy's header is
 * believed). IPv6 addresses count by their /56 network: one client usually holds all of one.
 */
export function addressOf(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  // An IPv4 client of a dual-stack listener appears as ::ffff:a.b.c.d: it counts as that IPv4
  // address (as ipKeyGenerator would say too, after parsing it as IPv6 on every request).
  return IPV4_MAPPED.exec(ip)?.[1] ?? ipKeyGenerator(ip);
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

function secondsUntil(time: Date | undefined): number {
  if (!time) return 60;
  return Math.max(1, Math.ceil((time.getTime() - Date.now()) / 1000));
}
