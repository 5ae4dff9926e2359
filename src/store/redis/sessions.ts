import { RedisStore } from 'connect-redis';
import type session from 'express-session';

import { StoreUnavailableError } from '../types.js';
import { PREFIX, type Redis } from './client.js';

// connect-redis types its callbacks loosely; express-session passes its own shapes through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Callback = (err?: unknown, data?: any) => void;

const outage = (err: unknown) => new StoreUnavailableError('Redis failed during a session operation', { cause: err });

/**
 * connect-redis, with its failures reported as StoreUnavailableError so the error handler
 * answers 503 instead of 500.
 */
export class RedisSessionStore extends RedisStore {
  constructor(client: Redis) {
    super({ client, prefix: `${PREFIX}sess:` });
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
