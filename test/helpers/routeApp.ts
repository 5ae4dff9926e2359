/**
 * The route harness: the app as createApp builds it (src/main/app.ts), without a server or a
 * provider behind it. Its deps are made the way src/main/compose.ts makes them, except that the
 * NexmoClient and the consumer are the fakes of fakeNexmo.ts and the stores are in memory (or
 * the spec's own: a real SQLite file or Redis, or stores shared by two route apps as by two
 * instances). Supertest drives the Express app directly, so a route spec sees its status, its
 * page, its log lines and every provider call it made.
 */
import { TEST_NUMBERS, type ActiveSwitch } from '@nexmo-oauth/sandbox';
import { Router, type Express } from 'express';
import supertest from 'supertest';
import { afterEach } from 'vitest';

import { createApp } from '../../src/main/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { resolveProviderPlan, sandboxProvider, type Provider } from '../../src/config/provider.js';
import { SANDBOX_MOUNT } from '../../src/routes/paths.js';
import { createMemoryStores } from '../../src/store/memory.js';
import { createRecorder } from '../../src/timeline/recorder.js';
import type { AppStores } from '../../src/store/types.js';
import { fakeConsumer, fakeNexmoClient, type FakeConsumer, type FakeNexmo } from './fakeNexmo.js';
import { pathOf, type LoginTarget } from './login.js';
import { capturedLog, type LogEntry } from './capturedLog.js';

/** The app's public address in route specs; nothing listens there (supertest calls the app itself). */
export const ROUTE_APP_URL = 'http://127.0.0.1:3000';
export const ROUTE_RECEIPT_KEY = 'route-spec-receipt-key-0123456789';
/** The verifier the fake provider sends a browser back with. */
export const ROUTE_VERIFIER = 'route-spec-verifier';

export interface RouteApp extends LoginTarget {
  app: Express;
  config: Config;
  provider: Provider;
  nexmo: FakeNexmo;
  consumer: FakeConsumer;
  stores: AppStores;
  /** Every log line's message, in order. */
  logs: string[];
  /** Every log line, parsed: the message and its fields (requestId, path, statusCode…). */
  logEntries: LogEntry[];
  /** Every log line exactly as written (JSON), to search for what must never be logged. */
  rawLogs: string[];
  /** Closes the stores the harness made (a spec's own stores stay open). */
  close(): Promise<void>;
}

export interface RouteAppOptions {
  now?: () => number;
  /** Stores of the spec's own, which it closes: a real backend, or stores shared by two route apps. */
  stores?: AppStores;
  /**
   * Sandbox mode, as compose.ts resolves it with the sandbox mounted: its test numbers, its
   * pages at the app's own address. The fakes still answer every provider call; `router` stands
   * at the sandbox's mount (the package's real router, for what its pages answer), and
   * `switches` says which demo switches are on for an account (none by default).
   */
  sandbox?: { router?: Router; switches?: (account: string) => Promise<ActiveSwitch[]> };
  /** The machine's Network URLs, for the home page's QR code; none by default. */
  networkUrls?: () => string[];
  /** The provider the app is given, made from the one above (e.g. with fake sandbox switches to press). */
  provider?: (made: Provider) => Provider;
}

/**
 * A live provider by default (credentials configured, URLs where nothing answers); with
 * `options.sandbox`, sandbox mode. `env` overrides any variable (`PUBLIC_URL: ''` unsets it).
 */
export function createRouteApp(env: Record<string, string> = {}, options: RouteAppOptions = {}): RouteApp {
  const credentials = options.sandbox
    ? {}
    : {
        NEXMO_CONSUMER_KEY: 'route-spec-consumer',
        NEXMO_CONSUMER_SECRET: 'route-spec-consumer-secret',
        // Loopback addresses nothing answers on: the fakes stand in for the provider, and a call
        // that slipped past them would fail here instead of leaving the machine.
        NEXMO_OAUTH_URL: 'http://127.0.0.1:9/oauth/',
        NEXMO_REST_URL: 'http://127.0.0.1:9',
      };
  const config = loadConfig({ PUBLIC_URL: ROUTE_APP_URL, SESSION_SECRET: 'route-spec-session-secret', RECEIPT_KEY: ROUTE_RECEIPT_KEY, ...credentials, ...env });
  const publicUrl = config.publicUrl ?? ROUTE_APP_URL;
  const { log, logs, logEntries, rawLogs } = capturedLog(config.log.level);
  const stores = options.stores ?? createMemoryStores(options.now);
  // As compose.ts does: one recorder, handed to the consumer (here the fakes) and to the app.
  const recorder = createRecorder();
  const nexmo = fakeNexmoClient(recorder);
  const consumer = fakeConsumer({ recorder });
  const made = providerOf(config, publicUrl, options.sandbox);
  const provider = options.provider ? options.provider(made) : made;
  const app = createApp({
    config,
    provider,
    publicUrl,
    consumer,
    recorder,
    nexmo,
    stores,
    receiptKey: config.receiptKey ?? ROUTE_RECEIPT_KEY,
    sessionSecrets: config.sessionSecrets!,
    log,
    now: options.now,
    networkUrls: options.networkUrls,
  });
  return {
    app,
    config,
    provider,
    nexmo,
    consumer,
    stores,
    logs,
    logEntries,
    rawLogs,
    browser: () => supertest.agent(app),
    // The fake provider approves at once: back to the callback the app gave with this request token.
    async approve(_browser, authorizeUrl, account) {
      const token = new URL(authorizeUrl).searchParams.get('oauth_token') ?? '';
      const asked = consumer.tokenCalls.filter((call) => call.kind === 'request_token')[Number(token.replace(/^rt-/, '')) - 1];
      if (asked?.kind !== 'request_token' || asked.callbackUrl === undefined) throw new Error(`the fake provider issued no request token ${token}`);
      if (account !== undefined) consumer.approve(token, account);
      return `${pathOf(asked.callbackUrl)}?${new URLSearchParams({ oauth_token: token, oauth_verifier: ROUTE_VERIFIER })}`;
    },
    close: async () => {
      if (!options.stores) await stores.close();
    },
  };
}

/**
 * The one setup and teardown of route specs: returns a `createRouteApp` whose every app is
 * closed once the test that made it ends.
 */
export function useRouteApp(): typeof createRouteApp {
  const made: RouteApp[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((route) => route.close()));
  });
  return (env, options) => {
    const route = createRouteApp(env, options);
    made.push(route);
    return route;
  };
}

/** The provider as compose.ts resolves it: live from the configuration, or the mounted sandbox's. */
function providerOf(config: Config, publicUrl: string, sandbox: RouteAppOptions['sandbox']): Provider {
  const plan = resolveProviderPlan(config);
  if (!sandbox) {
    if (plan.mode !== 'live') throw new Error('a live route app needs credentials');
    return plan.provider;
  }
  if (plan.mode !== 'sandbox') throw new Error('a sandbox route app takes no credentials');
  const standIn = {
    consumerKey: 'route-spec-sandbox-key',
    consumerSecret: 'route-spec-sandbox-secret',
    router: sandbox.router ?? Router(),
    testNumbers: TEST_NUMBERS.map((n) => n.digits),
    switchesFor: sandbox.switches ?? (async () => []),
    press: async () => undefined,
  };
  return sandboxProvider(plan, standIn, { publicUrl, boundPort: Number(new URL(publicUrl).port || 80), mount: SANDBOX_MOUNT });
}
