// Each store operation timed for the metrics, without the stores knowing: the message store's
// and the pending logins' methods, and the session store's (express-session calls it with
// callbacks, on every request). A store is instrumented once, by the first app built on it.
import type session from 'express-session';

import type { AppStores } from '../store/types.js';
import { NO_METRICS, type Metrics } from './metrics.js';

const INSTRUMENTED = Symbol('instrumented for metrics');

/** Seconds since `started` (a performance.now() reading). */
function since(started: number): number {
  return (performance.now() - started) / 1000;
}

/**
 * The same object with each method timed as `<name>.<method>`, for methods that answer a promise.
 * No async wrapper of its own: the method's promise, observed as it settles.
 */
function timed<T extends object>(name: string, target: T, metrics: Metrics): T {
  const wrapped = { ...target } as Record<string, unknown>;
  for (const [method, fn] of Object.entries(target)) {
    if (typeof fn !== 'function') continue;
    const operation = `${name}.${method}`;
    wrapped[method] = (...args: unknown[]) => {
      const started = performance.now();
      let answer: Promise<unknown>;
      try {
        answer = Promise.resolve(fn.apply(target, args));
      } catch (err) {
        answer = Promise.reject(err);
      }
      return answer.then(
        (value) => {
          metrics.storeOperation(operation, since(started), false);
          return value;
        },
        (err: unknown) => {
          metrics.storeOperation(operation, since(started), true);
          throw err;
        },
      );
    };
  }
  return wrapped as T;
}

type Callback = (err?: unknown, value?: unknown) => void;
type SessionMethod = (this: session.Store, sid: string, ...rest: unknown[]) => unknown;

/**
 * The session store's callback methods timed in place (it is an event emitter express-session
 * listens to). Each takes the session id, maybe the session, and the callback last.
 */
function timeSessions(store: session.Store & { [INSTRUMENTED]?: true }, metrics: Metrics): void {
  if (store[INSTRUMENTED]) return;
  store[INSTRUMENTED] = true;
  const methods = store as unknown as Record<string, SessionMethod | undefined>;
  const timedCallback = (operation: string, started: number, done: Callback | undefined): Callback => (err, value) => {
    metrics.storeOperation(operation, since(started), err !== undefined && err !== null);
    done?.(err, value);
  };
  for (const method of ['get', 'destroy'] as const) {
    const original = methods[method];
    if (typeof original !== 'function') continue;
    const operation = `sessions.${method}`;
    methods[method] = function (sid, done) {
      return original.call(store, sid, timedCallback(operation, performance.now(), done as Callback | undefined));
    };
  }
  for (const method of ['set', 'touch'] as const) {
    const original = methods[method];
    if (typeof original !== 'function') continue;
    const operation = `sessions.${method}`;
    methods[method] = function (sid, data, done) {
      return original.call(store, sid, data, timedCallback(operation, performance.now(), done as Callback | undefined));
    };
  }
}

export function instrumentStores(stores: AppStores, metrics: Metrics): AppStores {
  if (metrics === NO_METRICS) return stores;
  timeSessions(stores.sessions, metrics);
  return { ...stores, messages: timed('messages', stores.messages, metrics), pendingLogins: timed('pendingLogins', stores.pendingLogins, metrics) };
}
