import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox, SandboxOptions } from '@nexmo-oauth/sandbox';
import ejs from 'ejs';

import { createApp } from './app.js';
import type { Config } from '../config/config.js';
import { lineLogger, type RootLogger } from '../logging/logger.js';
import { createNexmoClient } from '../nexmo/smsClient.js';
import { createOAuthConsumer } from '../oauth/consumer.js';
import { publicUrlFor, sandboxProvider, type Provider, type ProviderPlan } from '../config/provider.js';
import { reachableUrls } from './addresses.js';
import { newReceiptKey } from '../nexmo/receiptKey.js';
import { AUTH_CALLBACK_PATH, SANDBOX_MOUNT } from '../routes/paths.js';
import { createRecorder, type Recorder } from '../timeline/recorder.js';
import { NO_METRICS, endpointOf, type Metrics } from '../metrics/metrics.js';
import { createPrometheusMetrics } from '../metrics/prometheus.js';
import { instrumentStores } from '../metrics/instrumentStores.js';
import { viewsDir } from '../config/paths.js';
import { openStores } from '../store/open.js';
import { TEST_NUMBERS_LIMITS_NOTE } from '../present/demoSwitches.js';
import type { AppStores } from '../store/types.js';

/** How long requests in flight may take to finish at shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface StartOptions {
  /** The one root logger; each part gets a child of it (requests log through `req.log`). */
  log: RootLogger;
  sandboxOptions?: SandboxOptions;
  /** Stores to use instead of the configured ones (tests); the caller closes them. */
  stores?: AppStores;
  now?: () => number;
  /** This machine's Network URLs (tests name their own); by default read from its interfaces. */
  networkUrls?: (port: number) => string[];
}

export interface RunningApp {
  server: Server;
  /** The app's public base URL (PUBLIC_URL, or the bound address). */
  url: string;
  provider: Provider;
  stores: AppStores;
  sandbox: Sandbox | undefined;
  close(): Promise<void>;
}

/**
 * Composes the running app on the provider `plan` (resolveProviderPlan, decided before this is
 * called): listens first, then completes the provider and builds the app. In sandbox mode the
 * consumer calls the sandbox mounted in this very server, so its URLs depend on the port
 * actually bound (PORT=0 in tests). From the moment the port opens every request is answered:
 * "starting" (503, Retry-After) until the app is built, then by the app.
 */
export async function startServer(config: Config, plan: ProviderPlan, options: StartOptions): Promise<RunningApp> {
  const ownStores = options.stores === undefined;
  const { log } = options;
  const stores = options.stores ?? (await openStores(config.store, { log: log.child({ component: 'store' }), now: options.now, storeKeys: config.storeKeys, sessionIdleMs: config.session.idleMs }));
  // Counted for /metrics, unless METRICS=off: sends, provider calls, store operations and more.
  const metrics = config.metrics.enabled ? createPrometheusMetrics() : NO_METRICS;
  const receiptKey = config.receiptKey ?? (await stores.settings.getOrCreate('receipt-key', newReceiptKey));
  // Kept in the store, so a restart without SESSION_SECRET still reads yesterday's cookies.
  const sessionSecrets = config.sessionSecrets ?? [await stores.settings.getOrCreate('session-secret', () => randomBytes(32).toString('hex'))];

  // One listener for the server's whole life: it hands each request to whoever answers now.
  let answer: RequestListener = answerWhileStarting(await startingPage());
  const server = createServer((req, res) => answer(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  }).catch(async (err: unknown) => {
    if (ownStores) await stores.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${config.port} is already in use (another copy of the app, or another program). Stop it, or choose another port: PORT=${config.port + 1} npm start`);
    }
    throw err;
  });
  const boundPort = (server.address() as AddressInfo).port;
  const publicUrl = publicUrlFor(config, boundPort);

  let sandbox: Sandbox | undefined;
  let consumer: ReturnType<typeof createOAuthConsumer> | undefined;
  let provider: Provider;
  try {
    if (plan.mode === 'sandbox') {
      // Loaded only in sandbox mode: a live deployment never runs the provider's code.
      const { createSandbox } = await import('@nexmo-oauth/sandbox');
      // Its state lives in the app's store: a restart loses no token or balance, and instances
      // sharing one Redis act as one provider.
      sandbox = await createSandbox({
        // The package takes plain lines and depends on no logging library: adapt ours to it.
        log: lineLogger(log, { component: 'sandbox' }),
        now: options.now,
        storage: stores.sandbox,
        // Its outbox and demo controls link back here, and its test numbers to the SMS form.
        hostApp: { home: '/', smsForm: '/sms', limitsNote: TEST_NUMBERS_LIMITS_NOTE },
        // A call held by the demo controls outlasts this app's own timeout, so the app gives up first.
        stalledCallLimitMs: Math.max(60_000, config.oauth.timeoutMs + 5_000),
        // It signs its receipts as Nexmo would for this account, so the app's check sees them.
        ...(config.receiptSigning ? { receiptSignature: { ...config.receiptSigning } } : {}),
        ...options.sandboxOptions,
      });
      provider = sandboxProvider(plan, sandbox, { publicUrl, boundPort, mount: SANDBOX_MOUNT });
    } else {
      provider = plan.provider;
    }

    // Every signed exchange's facts go to it; the parts that keep them collect them through it.
    // Each call's duration is counted on its way.
    const recorder = observedRecorder(createRecorder(), metrics);
    consumer = createOAuthConsumer({
      requestTokenUrl: provider.requestTokenUrl,
      accessTokenUrl: provider.accessTokenUrl,
      consumerKey: provider.consumerKey,
      consumerSecret: provider.consumerSecret,
      callbackUrl: `${publicUrl}${AUTH_CALLBACK_PATH}`,
      signatureMethod: config.oauth.signatureMethod,
      timeoutMs: config.oauth.timeoutMs,
      now: options.now,
      recorder,
    });
    answer = createApp({
      config,
      provider,
      publicUrl,
      consumer,
      recorder,
      nexmo: createNexmoClient({ consumer, restUrl: provider.restUrl, secrets: [receiptKey], now: options.now }),
      stores: instrumentStores(stores, metrics),
      metrics,
      receiptKey,
      sessionSecrets,
      log,
      now: options.now,
      // Read on each request: a laptop that joins the Wi-Fi after starting gets its address shown.
      networkUrls: () => (options.networkUrls ?? ((port) => reachableUrls(port).network))(boundPort),
    });
  } catch (err) {
    // Nothing half-started stays behind: the port closes, and what was opened for it.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    consumer?.close();
    sandbox?.close();
    if (ownStores) await stores.close();
    throw err;
  }
  const openConsumer = consumer;

  return {
    server,
    url: publicUrl,
    provider,
    stores,
    sandbox,
    /**
     * Stops accepting, lets requests in flight finish (a send is never cut between the
     * provider's answer and storing it), then closes what they used. Bounded: connections still
     * busy after SHUTDOWN_GRACE_MS are cut.
     */
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Kept-alive browsers hold idle sockets open; each is closed once its response is done.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearInterval(idle);
      clearTimeout(grace);
      openConsumer.close();
      sandbox?.close();
      if (ownStores) await stores.close();
    },
  };
}

/** How long a client should wait before asking again while the app starts. */
const STARTING_RETRY_AFTER_S = 1;

/** The "Starting…" page (views/starting.ejs), drawn once before anything listens. */
function startingPage(): Promise<string> {
  return ejs.renderFile(join(viewsDir, 'starting.ejs'), { retrySeconds: STARTING_RETRY_AFTER_S });
}

/**
 * The answer between the port opening and the app being ready (the sandbox and the app are
 * still being built): never silence, which would hold a proxy's health check or a teammate's
 * reload until it times out. /healthz says the process is up; /readyz and every page say
 * "starting", with Retry-After.
 */
function answerWhileStarting(page: string): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers })
        .end(body);
    };
    if (path === '/healthz') return send(200, 'application/json; charset=utf-8', JSON.stringify({ status: 'ok' }));
    const retry = { 'Retry-After': String(STARTING_RETRY_AFTER_S) };
    if (path === '/readyz' || /json/i.test(req.headers.accept ?? '')) {
      return send(503, 'application/json; charset=utf-8', JSON.stringify({ status: 'starting' }), retry);
    }
    send(503, 'text/html; charset=utf-8', page, { ...retry, 'Content-Security-Policy': "default-src 'none'" });
  };
}

/** The recorder, telling the metrics each call's endpoint, status and duration as it records it. */
function observedRecorder(recorder: Recorder, metrics: Metrics): Recorder {
  if (metrics === NO_METRICS) return recorder;
  return {
    exchangeStarts() {
      const record = recorder.exchangeStarts();
      return (facts) => {
        metrics.providerCall(endpointOf(facts.url), facts.status, facts.ms / 1000);
        record(facts);
      };
    },
    collect: (call) => recorder.collect(call),
  };
}
