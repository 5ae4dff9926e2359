/**
 * The whole server, as `npm start` composes it (src/main/compose.ts: the listening port, the
 * mounted sandbox, the stores, the real consumer), for end-to-end specs only: where the real
 * sandbox, stores shared by instances, a restart or the server's own wiring is the point. A
 * route or a middleware is specified at a smaller seam (routeApp.ts, or a throwaway app).
 */
import type { SandboxOptions } from '@nexmo-oauth/sandbox';
import type session from 'express-session';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningApp } from '../../src/main/compose.js';
import { resolveProviderPlan } from '../../src/config/provider.js';
import { createMemoryStores } from '../../src/store/memory.js';
import type { AppStores } from '../../src/store/types.js';
import { capturedLog, type LogEntry } from './capturedLog.js';
import { onConsentPage, type LoginTarget } from './login.js';

export type { LogEntry } from './capturedLog.js';

export interface TestApp extends RunningApp, LoginTarget {
  /** The message text of every line logged so far, in order. */
  logs: string[];
  /** Every line logged so far, parsed: the message and its fields (requestId, path, statusCode…). */
  logEntries: LogEntry[];
  /** Every line exactly as written (JSON), to search for what must never be logged. */
  rawLogs: string[];
  /** A browser-like client: keeps cookies, does not follow redirects. */
  browser(): supertest.Agent;
  /** Closes the app; once, however often it is called. */
  close(): Promise<void>;
}

/** Every abuse limit off: for specs that send far faster than a person (the limits have their own). */
export const NO_LIMITS = {
  LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '0',
  LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '0',
  LIMIT_SMS_PER_NUMBER_PER_HOUR: '0',
  LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '0',
  LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '0',
} as const;

export interface TestAppOptions {
  sandbox?: SandboxOptions;
  now?: () => number;
  /** A session store to inspect; the other stores stay in memory. */
  sessionStore?: session.Store;
  /** Explicit stores; by default in memory, unless env names SQLITE_PATH or REDIS_URL. */
  stores?: AppStores;
  /** The machine's Network URLs as the app should see them; by default its real interfaces. */
  networkUrls?: (port: number) => string[];
}

/** Starts the whole app (sandbox mode unless env says otherwise) on a free loopback port. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  // OAUTH_TIMEOUT_MS stays at its default (10 s): a busy machine must not turn a slow answer of
  // the in-process sandbox into "outcome unknown". Specs of timeouts set their own.
  const config = loadConfig({ PORT: '0', SESSION_SECRET: 'test-session-secret', ...env });
  const { log, logs, logEntries, rawLogs } = capturedLog(config.log.level);
  const configuredStore = env.SQLITE_PATH !== undefined || env.REDIS_URL !== undefined;
  let stores = options.stores ?? (configuredStore ? undefined : createMemoryStores(options.now));
  if (stores && options.sessionStore) stores = { ...stores, sessions: options.sessionStore };
  const running = await startServer(config, resolveProviderPlan(config), { log, sandboxOptions: options.sandbox, now: options.now, stores, networkUrls: options.networkUrls });
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await running.close();
      // Stores the test app made for itself go with it; explicit ones are the caller's to close.
      if (stores && !options.stores) await stores.close();
    })());
  return {
    ...running,
    close,
    logs,
    logEntries,
    rawLogs,
    browser: () => supertest.agent(running.url),
    // The mounted sandbox's consent page is at the app's own address; a live provider's elsewhere.
    approve: onConsentPage(running.provider.pagesFollowAppOrigin),
  };
}

/**
 * The one setup and teardown of whole-app specs: returns a `startTestApp` whose every app is
 * closed once the test that started it ends (an app started in a `beforeAll` is the spec's to
 * close). Name it so in the spec, `const startTestApp = useTestApp();`, so every boot of the
 * whole server reads (and is found) the same way.
 */
export function useTestApp(): typeof startTestApp {
  const started: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.close()));
  });
  return async (env, options) => {
    const app = await startTestApp(env, options);
    started.push(app);
    return app;
  };
}

/**
 * One whole server shared by the specs of a file or a describe block: started before the first,
 * closed after the last. For specs at the same settings in which each acts as people of its own
 * (its own browsers and sandbox accounts, as in a room), so that no spec reads another's state.
 * `env` may be a function, for settings known only once the block runs (a store backend's).
 */
export function useSharedTestApp(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}, options: TestAppOptions = {}): () => TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp(typeof env === 'function' ? await env() : env, options);
  });
  afterAll(async () => {
    await app?.close();
    app = undefined;
  });
  return () => {
    if (app === undefined) throw new Error('the shared app is started before the first spec of its block');
    return app;
  };
}

/** The account key of the app's one connection, read from its session store (the test's own). */
export async function onlyAccount(app: TestApp): Promise<string> {
  const sessions = await new Promise<Record<string, { connection?: { account: string } }>>((resolve, reject) =>
    app.stores.sessions.all!((err, all) => (err ? reject(err) : resolve((all ?? {}) as Record<string, { connection?: { account: string } }>))),
  );
  const accounts = Object.values(sessions).flatMap((s) => (s.connection ? [s.connection.account] : []));
  expect(accounts).toHaveLength(1);
  return accounts[0]!;
}
