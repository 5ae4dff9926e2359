/**
 * The app as createApp builds it, without a server or a provider behind it: deps made the way
 * src/compose.ts makes them, except that the NexmoClient and the consumer are the fakes of
 * fakeNexmo.ts and the stores are the in-memory backend. Supertest drives the Express app
 * directly, so a route spec sees its status, its page and every provider call it made.
 */
import type { Express } from 'express';
import supertest from 'supertest';

import { createApp } from '../../src/main/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { resolveProviderPlan, type Provider } from '../../src/config/provider.js';
import { createMemoryStores } from '../../src/store/memory.js';
import { createRecorder } from '../../src/timeline/recorder.js';
import type { AppStores } from '../../src/store/types.js';
import { fakeConsumer, fakeNexmoClient, type FakeConsumer, type FakeNexmo } from './fakeNexmo.js';

/** The app's public address in route specs; nothing listens there (supertest calls the app itself). */
export const ROUTE_APP_URL = 'http://127.0.0.1:3000';
export const ROUTE_RECEIPT_KEY = 'route-spec-receipt-key-0123456789';

export interface RouteApp {
  app: Express;
  config: Config;
  nexmo: FakeNexmo;
  consumer: FakeConsumer;
  stores: AppStores;
  /** Every log line's message, in order. */
  logs: string[];
  /** A browser-like client of the app: keeps cookies, does not follow redirects. */
  browser(): supertest.Agent;
  /** Logs `browser` in through /auth/login and /auth/callback, as the provider would send it back. */
  connect(browser?: supertest.Agent): Promise<supertest.Agent>;
  close(): Promise<void>;
}

export function createRouteApp(env: Record<string, string> = {}, options: { now?: () => number } = {}): RouteApp {
  const config = loadConfig({
    PUBLIC_URL: ROUTE_APP_URL,
    SESSION_SECRET: 'route-spec-session-secret',
    RECEIPT_KEY: ROUTE_RECEIPT_KEY,
    NEXMO_CONSUMER_KEY: 'route-spec-consumer',
    NEXMO_CONSUMER_SECRET: 'route-spec-consumer-secret',
    // Loopback addresses nothing answers on: the fakes stand in for the provider, and a call
    // that slipped past them would fail here instead of leaving the machine.
    NEXMO_OAUTH_URL: 'http://127.0.0.1:9/oauth/',
    NEXMO_REST_URL: 'http://127.0.0.1:9',
    ...env,
  });
  const logs: string[] = [];
  const log = createLogger({ level: 'info', format: 'json', destination: { write: (line: string) => void logs.push((JSON.parse(line) as { msg: string }).msg) } });
  const stores = createMemoryStores(options.now);
  // As compose.ts does: one recorder, handed to the consumer (here the fakes) and to the app.
  const recorder = createRecorder();
  const nexmo = fakeNexmoClient(recorder);
  const consumer = fakeConsumer({ recorder });
  const app = createApp({
    config,
    provider: liveProviderOf(config),
    publicUrl: ROUTE_APP_URL,
    consumer,
    recorder,
    nexmo,
    stores,
    receiptKey: ROUTE_RECEIPT_KEY,
    sessionSecrets: config.sessionSecrets!,
    log,
    now: options.now,
  });
  const browser = () => supertest.agent(app);
  return {
    app,
    config,
    nexmo,
    consumer,
    stores,
    logs,
    browser,
    async connect(agent = browser()) {
      const login = await agent.get('/auth/login');
      if (login.status !== 302) throw new Error(`login answered ${login.status}`);
      const token = new URL(login.headers.location as string).searchParams.get('oauth_token');
      const done = await agent.get('/auth/callback').query({ oauth_token: token ?? '', oauth_verifier: 'route-spec-verifier' });
      if (done.status !== 302 || done.headers.location !== '/?notice=connected') throw new Error(`callback answered ${done.status}`);
      return agent;
    },
    close: () => stores.close(),
  };
}

/** The live provider the configuration resolves to (these specs always configure credentials). */
function liveProviderOf(config: Config): Provider {
  const plan = resolveProviderPlan(config);
  if (plan.mode !== 'live') throw new Error('route specs run against a live provider');
  return plan.provider;
}
