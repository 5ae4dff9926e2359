// Each store operation timed for the metrics, without the stores knowing: the message store's
// and the pending logins' methods, and the session store's (express-session calls it with
// callbacks, on every request). A store is instrumented once, by the first app built on it.
import type session from 'express-session';

import type { AppStores } from '../store/types.js';
import { NO_METRICS, type Metrics } from './metrics.js';

const INSTRUMENTED = Symbol('instrumented for metrics');

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The same object with each async method timed as `<name>.<method>`. */
function timed<T extends object>(name: string, target: T, metrics: Metrics): T {
  const wrapped = { ...target } as Record<string, unknown>;
  for (const [method, fn] of Object.entries(target)) {
    if (typeof fn !== 'function') continue;
    wrapped[method] = async (...args: unknown[]) => {
      const started = process.hrtime.bigint();
      try {
        const value: unknown = await (fn as (...a: unknown[]) => unknown).apply(target, args);
        metrics.storeOperation(`${name}.${method}`, seconds(started), false);
        return value;
      } catch (err) {
        metrics.storeOperation(`${name}.${method}`, seconds(started), true);
        throw err;
      }
    };
  }
  return wrapped as T;
}

type Callback = (err?: unknown, ...rest: unknown[]) => void;

/** The session store's callback methods timed in place (it is an event emitter express-session listens to). */
function timeSessions(store: session.Store & { [INSTRUMENTED]?: true }, metrics: Metrics): void {
  if (store[INSTRUMENTED]) return;
  store[INSTRUMENTED] = true;
  const methods = store as unknown as Record<string, unknown>;
  for (const method of ['get', 'set', 'destroy', 'touch']) {
    const original = methods[method];
    if (typeof original !== 'function') continue;
    methods[method] = (...args: unknown[]) => {
      const started = process.hrtime.bigint();
      const done = args.pop() as Callback;
      return (original as (...a: unknown[]) => unknown).apply(store, [
        ...args,
        (err?: unknown, ...rest: unknown[]) => {
          metrics.storeOperation(`sessions.${method}`, seconds(started), err !== undefined && err !== null);
          done(err, ...rest);
        },
      ]);
    };
  }
}

export function instrumentStores(stores: AppStores, metrics: Metrics): AppStores {
  if (metrics === NO_METRICS) return stores;
  timeSessions(stores.sessions, metrics);
  return { ...stores, messages: timed('messages', stores.messages, metrics), pendingLogins: timed('pendingLogins', stores.pendingLogins, metrics) };
}
