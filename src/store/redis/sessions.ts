import { RedisStore } from 'connect-redis';
import type session from 'express-session';

import type { Sealer } from '../sealing.js';
import { StoreUnavailableError } from '../types.js';
import { PREFIX, type Redis } from './client.js';

// connect-redis types its callbacks loosely; express-session passes its own shapes through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Callback = (err?: unknown, data?: any) => void;

const outage = (err: unknown) => new StoreUnavailableError('Redis failed during a session operation', { cause: err });

/**
 * connect-redis, with session data sealed at rest (a session that cannot be opened reads as no
 * session) and its failures reported as StoreUnavailableError, so the error handler answers 503
 * instead of 500.
 */
export class RedisSessionStore extends RedisStore {
  constructor(client: Redis, sealer: Sealer) {
    super({
      client,
      prefix: `${PREFIX}sess:`,
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
  }

  override get(sid: string, cb?: Callback) {
    return super.get(sid, (err, data) => cb?.(err ? outage(err) : undefined, data));
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback) {
    return super.set(sid, sess, (err, data) => cb?.(err ? outage(err) : undefined, data));
  }

  override destroy(sid: string, cb?: Callback) {
    return super.destroy(sid, (err, data) => cb?.(err ? outage(err) : undefined, data));
  }

  override touch(sid: string, sess: session.SessionData, cb?: Callback) {
    return super.touch(sid, sess, (err, data) => cb?.(err ? outage(err) : undefined, data));
  }
}
