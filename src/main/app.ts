import { readdirSync } from 'node:fs';

import express, { type Express, type RequestHandler } from 'express';

import { accessLog, mount } from '../http/accessLog.js';

import type { Config } from '../config/config.js';
import { requireSameOrigin } from '../http/csrf.js';
import { HttpError, errorHandler } from '../http/errors.js';
import { resolveAppOrigin } from '../http/hosts.js';
import { answersEveryAddress } from '../lib/hostNames.js';
import { trustedHostNames } from './addresses.js';
import { withRequestLog, type RootLogger } from '../logging/logger.js';
import { createLoginLimit } from '../http/loginLimit.js';
import { createSendCounters } from '../limits/sendCounters.js';
import { createSender } from '../sending/send.js';
import { createBalanceCache } from '../nexmo/balanceCache.js';
import type { NexmoClient } from '../nexmo/smsClient.js';
import { createLoginFlow } from '../oauth/loginFlow.js';
import { createTimelineStore } from '../timeline/store.js';
import type { Recorder } from '../timeline/recorder.js';
import { NO_METRICS, type Metrics } from '../metrics/metrics.js';
import type { PrometheusMetrics } from '../metrics/prometheus.js';
import { metricsEndpoint } from '../http/metricsEndpoint.js';
import type { OAuthConsumer } from '../oauth/types.js';
import { publicDir, viewsDir } from '../config/paths.js';
import type { Provider } from '../config/provider.js';
import { AUTH_CALLBACK_PATH, AUTH_MOUNT, RECEIPT_PATH, SANDBOX_MOUNT, WEBHOOKS_PREFIX } from '../routes/paths.js';
import { authRouter } from '../routes/auth.js';
import { healthRouter } from '../routes/health.js';
import { howItWorksRouter } from '../routes/howItWorks.js';
import { homeRouter } from '../routes/home.js';
import { labBreaksRouter } from '../routes/labBreaks.js';
import { roomRouter } from '../routes/room.js';
import { createRoomBoard } from '../store/roomBoard.js';
import { messagesRouter } from '../routes/messages.js';
import { numberPreviewRouter } from '../routes/numberPreview.js';
import { smsRouter } from '../routes/sms.js';
import { webhooksRouter } from '../routes/webhooks.js';
import { securityHeaders } from '../http/securityHeaders.js';
import { noticeFor } from '../present/notices.js';
import { PAGE_NOT_FOUND } from '../present/errorPages.js';
import { demoSwitchBanner } from '../http/demoSwitches.js';
import { enforceConnectionLifetime, renewSessionCookie, sessionMiddleware } from '../http/session.js';
import type { AppStores } from '../store/types.js';

export interface AppDeps {
  config: Config;
  /** Which provider the app talks to, resolved once (see provider.ts). */
  provider: Provider;
  /** The app's external base URL, without a trailing slash. */
  publicUrl: string;
  /** Signs every call to the provider; built from `provider` by the caller, who closes it. */
  consumer: OAuthConsumer;
  /** The recorder the consumer was built with: the calls a route makes are collected through it. */
  recorder: Recorder;
  /** What the app counts for /metrics (NO_METRICS when METRICS=off). */
  metrics?: Metrics & Partial<Pick<PrometheusMetrics, 'render' | 'contentType'>>;
  /** Nexmo's SMS and balance APIs, over `consumer` at `provider.restUrl`; given, so specs can answer for it. */
  nexmo: NexmoClient;
  stores: AppStores;
  /** The secret last segment of the delivery-receipt URL. */
  receiptKey: string;
  /** Cookie signing secrets: SESSION_SECRET, or one kept in the store. */
  sessionSecrets: string[];
  /** The root logger; each request logs through its child `req.log`, which names the request id. */
  log: RootLogger;
  now?: () => number;
  /** The Network URLs the start-up log names, for the home page's QR code; none by default. */
  networkUrls?: () => string[];
}

/** Builds the app without listening or connecting to anything. */
export function createApp(deps: AppDeps): Express {
  const { config, provider, log, now } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Every page is Cache-Control: no-store, so no browser ever revalidates one: an ETag would be
  // a SHA-1 of each body for nothing. (Static files keep serve-static's own.)
  app.set('etag', false);
  // Behind a TLS-terminating proxy, this lets req.secure (and so secure cookies) see https.
  if (config.trustProxy !== undefined) trustProxies(app, config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.locals.sandboxMode = provider.mode === 'sandbox';

  // First: every request gets its id (and req.log) before anything can fail.
  // The receipt URL's last segment is its key: never logged.
  app.use(accessLog(log, { secretPaths: [RECEIPT_PATH] }));
  app.use(securityHeaders({ https: deps.publicUrl.startsWith('https:') }));
  const { stores, receiptKey } = deps;
  mount(app, '/', healthRouter(stores));
  // For Prometheus, on this machine or with METRICS_TOKEN: before the Host check and the session.
  const metrics = deps.metrics ?? NO_METRICS;
  if (config.metrics.enabled && deps.metrics?.render && deps.metrics.contentType) {
    app.get('/metrics', metricsEndpoint({ render: deps.metrics.render, contentType: deps.metrics.contentType, token: config.metrics.token }));
  }
  // Before the Host check: the page saying an address is not trusted is styled there too.
  app.use(publicFiles(config.production));
  // Browsers that ask for the icon without reading the page's <link rel="icon"> get it too.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'));
  app.use(resolveAppOrigin(config, trustedHostNames(config.allowedHosts)));
  // The sandbox is another party: it gets neither the app's session nor its body parsing.
  // Its log lines name the request they were logged for (see lineLogger).
  if (provider.sandboxRouter) mount(app, SANDBOX_MOUNT, (req, _res, next) => withRequestLog(req.log, next), provider.sandboxRouter);
  // Sandbox mode: the room board (GET /room), told by the routes who connects, sends and gets a delivery.
  const room = provider.mode === 'sandbox' ? createRoomBoard(stores.records, now ?? Date.now) : undefined;
  mount(app, WEBHOOKS_PREFIX, webhooksRouter({ messages: stores.messages, receiptKey, signing: config.receiptSigning, metrics, now, room }));

  // Before the session: a cross-site form is refused without touching the store.
  app.use(requireSameOrigin);
  app.use(sessionMiddleware({ secrets: deps.sessionSecrets, secureCookies: deps.publicUrl.startsWith('https:'), store: stores.sessions, idleMs: config.session.idleMs }));
  app.use(renewSessionCookie(config.session.idleMs, now));
  app.use(enforceConnectionLifetime(config.session.maxMs, now));
  // Room for 3200 emoji percent-encoded (12 bytes each), so an over-long text gets a field error, not a 413.
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 20 }));
  app.use(pageLocals);
  app.use(demoSwitchBanner(provider.sandboxSwitches, SANDBOX_MOUNT));

  // Kept as long as a connection can live (the store drops it after that).
  const timeline = createTimelineStore(stores.records, config.session.maxMs);
  const { recorder } = deps;
  const login = createLoginFlow({
    consumer: deps.consumer,
    pendingLogins: stores.pendingLogins,
    providerPagesUrl: provider.pagesUrl,
    pagesFollowAppOrigin: provider.pagesFollowAppOrigin,
    pagesPath: `${SANDBOX_MOUNT}/oauth/`,
    callbackPath: AUTH_CALLBACK_PATH,
    providerId: new URL(provider.requestTokenUrl).origin,
    recorder,
    timeline,
    now,
  });
  // Built once with the app: each limiter's counters are in the store, shared by every instance on it.
  // The sandbox's test numbers reach nobody's phone and cost nothing: no limit counts them.
  const loginLimit = createLoginLimit(config.limits, stores, log);
  const sendCounters = createSendCounters(config.limits, { exempt: provider.testNumbers });
  // The room's QR code only makes sense when the app answers at every address (no PUBLIC_URL, or a loopback one).
  const networkUrls = answersEveryAddress(config.publicUrl) ? (deps.networkUrls ?? (() => [])) : () => [];
  mount(app, '/', homeRouter({ networkUrls }));
  if (room) mount(app, '/', roomRouter(room));
  // The lab's break-it buttons, before the lab's own router: the mounted sandbox's switches.
  if (provider.sandboxPress && provider.sandboxSwitches) {
    mount(app, '/how-it-works', labBreaksRouter({ press: provider.sandboxPress, switchesFor: provider.sandboxSwitches }));
  }
  // Secrets the timeline masks once more when it is read, wherever they might still appear.
  mount(app, '/how-it-works', howItWorksRouter({ timeline, messages: stores.messages, secrets: [provider.consumerSecret, receiptKey] }));
  mount(app, AUTH_MOUNT, authRouter({ login, loginLimit, defaultAuthPage: config.oauth.authPage, metrics, room }));
  // One set of rules for the form and its live preview: they judge a number alike.
  const smsRules = {
    allowedPrefixes: config.smsAllowedPrefixes,
    maxParts: config.limits.smsPartsPerAccountPerDay,
    defaultCountry: config.smsDefaultCountry,
    // The sandbox's test numbers are fictional, which the phone-number library rightly calls invalid.
    refuseUnreachable: provider.mode === 'live',
  };
  // Before /sms, whose router would otherwise take the path.
  mount(app, '/sms/preview', numberPreviewRouter(smsRules));
  mount(
    app,
    '/sms',
    smsRouter({
      nexmo: deps.nexmo,
      sender: createSender({ nexmo: deps.nexmo, messages: stores.messages, counters: sendCounters, receiptUrl: `${deps.publicUrl}${RECEIPT_PATH}/${receiptKey}`, recorder, metrics, now: now ?? Date.now }),
      rules: smsRules,
      messages: stores.messages,
      // In the store, so every instance keeps to one balance call a minute per account.
      balances: createBalanceCache(stores.records, now ?? Date.now),
      recorder,
      timeline,
      room,
    }),
  );
  // A send still `sending` once its call has timed out will get no reply: the app stopped.
  mount(app, '/messages', messagesRouter({ messages: stores.messages, replyDueMs: config.oauth.timeoutMs + REPLY_MARGIN_MS, now }));

  app.use((_req, _res, next) => next(new HttpError(404, PAGE_NOT_FOUND)));
  app.use(errorHandler);
  return app;
}

/** Beyond OAUTH_TIMEOUT_MS: time for the reply to be read and stored once it arrives. */
const REPLY_MARGIN_MS = 2_000;

/**
 * Express's "trust proxy" as configured, with each answer remembered: req.protocol and
 * req.secure ask it on every use (the session asks for each cookie it writes), and for an
 * IPv4-mapped address such as ::ffff:127.0.0.1 each answer parses the address anew (~5 µs).
 * The answer depends only on the address and its place in the X-Forwarded-For chain.
 */
function trustProxies(app: Express, setting: string | number | boolean): void {
  app.set('trust proxy', setting);
  const trust = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
  const answers = new Map<string, boolean>();
  app.set('trust proxy', (address: string, hop: number) => {
    const key = `${hop} ${address}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = trust(address, hop);
      // Bounded whatever addresses come: clients' own addresses are asked about too.
      if (answers.size >= 1000) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  });
}

/**
 * The files under public/, asked for only by paths inside its top-level entries (/css, /js,
 * /favicon.svg). Every other request goes on at once: serving the whole folder at / made each
 * page, login step and form a failed file lookup first (a stat and an error object).
 */
function publicFiles(production: boolean): RequestHandler {
  const files = express.static(publicDir, { index: false, maxAge: production ? '1h' : 0 });
  const entries = new Set(readdirSync(publicDir));
  return (req, res, next) => {
    const end = req.path.indexOf('/', 1);
    return entries.has(req.path.slice(1, end === -1 ? undefined : end)) ? files(req, res, next) : next();
  };
}

/** What every page template needs to draw the header, and the notice a redirect asked for. */
const pageLocals: RequestHandler = (req, res, next) => {
  const connection = req.session?.connection;
  res.locals.connected = Boolean(connection);
  res.locals.currentPath = req.path;
  // "Connected" on a page reached with the back button after disconnecting would be a lie:
  // each notice shows only in the state it speaks of.
  res.locals.notice = noticeFor(req.query.notice, connection);
  // Pages can show private data; never let the back button or a shared cache replay them.
  res.set('Cache-Control', 'no-store');
  next();
};
