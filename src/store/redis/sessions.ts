import { RedisStore } from 'connect-redis';
import type session from 'express-session';

import type { Sealer } from '../sealing.js';
import { StoreUnavailableError } from '../types.js';
import { PREFIX, withinDeadline, type Redis } from './client.js';

// connect-redis types its callbacks loosely; express-session passes its own shapes through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Callback = (err?: unknown, data?: any) => void;

const outage = (err: unknown) => new StoreUnavailableError('Redis failed during a session operation', { cause: err });

/**
 * connect-redis, with session data sealed at rest (a session that cannot be opened reads as no
 * session) and its failures reported as StoreUnavailableError, so the error handler answers 503
 * instead of 500.
 *
 * A session read is also its touch: one GETEX reads it and sets its expiry to the idle time from
 * now, where connect-redis reads with GET and, once the request is over, touches with EXPIRE (two
 * commands and two round trips for every request). express-session touches every session it
 * read, so the idle expiry is the same: only a session unused for the idle time is gone.
 */
export class RedisSessionStore extends RedisStore {
  private readonly idleMs: number;

  constructor(
    private readonly redis: Redis,
    sealer: Sealer,
    options: { idleMs: number },
  ) {
    super({
      client: redis,
      prefix: `${PREFIX}sess:`,
      // Touched by get() below; the TTL written by set() is the cookie's, the same idle time.
      disableTouch: true,
      serializer: {
        stringify: (data) => sealer.seal(JSON.stringify(data)),
        parse: (stored) => {
          try {
            return JSON.parse(sealer.open(stored)) as session.SessionData;
          } catch {
            // connect-redis hands null on as "no session".
            return null as unknown as session.SessionData;
          }
        },
      },
    });
    this.idleMs = options.idleMs;
  }

  override async get(sid: string, cb?: Callback) {
    let stored: string | null;
    try {
      stored = await withinDeadline(this.redis.getEx(this.prefix + sid, { type: 'PX', value: this.idleMs }));
    } catch (err) {
      return cb?.(outage(err), null);
    }
    return cb?.(undefined, stored === null ? null : await this.serializer.parse(stored));
  }

  override async set(sid: string, sess: session.SessionData, cb?: Callback) {
    // Without a callback connect-redis answers with a promise, which the deadline can race.
    await withinDeadline(super.set(sid, sess)).then(
      () => cb?.(undefined, null),
      (err: unknown) => cb?.(outage(err), null),
    );
  }

  override async destroy(sid: string, cb?: Callback) {
    await withinDeadline(super.destroy(sid)).then(
      () => cb?.(undefined, null),
      (err: unknown) => cb?.(outage(err), null),
    );
  }

  /** Nothing to do: reading the session (get) already moved its expiry. */
  override async touch(_sid: string, _sess: session.SessionData, cb?: Callback) {
    cb?.(undefined, null);
  }
}
