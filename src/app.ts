import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';

import type { Config } from './config.js';
import { requireSameOrigin } from './csrf.js';
import { hostNameOf, isTrustedHost, trustedHostNames } from './hosts.js';
import { HttpError, type ErrorPage } from './httpError.js';
import { withRequestLog, type RootLogger } from './logger.js';
import { createLimits } from './limits.js';
import { createNexmoClient } from './nexmo/smsClient.js';
import { createLoginFlow } from './oauth/loginFlow.js';
import type { OAuthConsumer } from './oauth/types.js';
import { publicDir, viewsDir } from './paths.js';
import { SANDBOX_MOUNT, type Provider } from './provider.js';
import { authRouter } from './routes/auth.js';
import { healthRouter } from './routes/health.js';
import { howItWorksRouter } from './routes/howItWorks.js';
import { homeRouter } from './routes/home.js';
import { messagesRouter } from './routes/messages.js';
import { smsRouter } from './routes/sms.js';
import { RECEIPT_PATH, WEBHOOKS_PREFIX, webhooksRouter } from './routes/webhooks.js';
import { securityHeaders } from './securityHeaders.js';
import { enforceConnectionLifetime, sessionMiddleware } from './session.js';
import { StoreUnavailableError, type AppStores } from './store/types.js';

export interface AppDeps {
  config: Config;
  /** Which provider the app talks to, resolved once (see provider.ts). */
  provider: Provider;
  /** The app's external base URL, without a trailing slash. */
  publicUrl: string;
  /** Signs every call to the provider; built from `provider` by the caller, who closes it. */
  consumer: OAuthConsumer;
  stores: AppStores;
  /** The secret last segment of the delivery-receipt URL. */
  receiptKey: string;
  /** Cookie signing secrets: SESSION_SECRET, or one kept in the store. */
  sessionSecrets: string[];
  /** The root logger; each request logs through its child `req.log`, which names the request id. */
  log: RootLogger;
  now?: () => number;
}

/** Builds the app without listening or connecting to anything. */
export function createApp(deps: AppDeps): Express {
  const { config, provider, log, now } = deps;
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy, this lets req.secure (and so secure cookies) see https.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.locals.sandboxMode = provider.mode === 'sandbox';

  // First: every request gets its id (and req.log) before anything can fail.
  app.use(accessLog(log));
  app.use(securityHeaders({ https: deps.publicUrl.startsWith('https:') }));
  const { stores, receiptKey } = deps;
  mount(app, '/', healthRouter(stores));
  app.use(resolveAppOrigin(config));
  app.use(express.static(publicDir, { index: false, maxAge: config.production ? '1h' : 0 }));
  // Browsers that ask for the icon without reading the page's <link rel="icon"> get it too.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'));
  // The sandbox is another party: it gets neither the app's session nor its body parsing.
  // Its log lines name the request they were logged for (see lineLogger).
  if (provider.sandboxRouter) mount(app, SANDBOX_MOUNT, (req, _res, next) => withRequestLog(req.log, next), provider.sandboxRouter);
  mount(app, WEBHOOKS_PREFIX, webhooksRouter({ messages: stores.messages, receiptKey, now }));

  // Before the session: a cross-site form is refused without touching the store.
  app.use(requireSameOrigin);
  app.use(sessionMiddleware({ secrets: deps.sessionSecrets, secureCookies: deps.publicUrl.startsWith('https:'), store: stores.sessions, idleMs: config.session.idleMs }));
  app.use(enforceConnectionLifetime(config.session.maxMs, now));
  // Room for 3200 emoji percent-encoded (12 bytes each), so an over-long text gets a field error, not a 413.
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 20 }));
  app.use(pageLocals);

  const login = createLoginFlow({
    consumer: deps.consumer,
    pendingLogins: stores.pendingLogins,
    providerPagesUrl: provider.pagesUrl,
    pagesFollowAppOrigin: provider.pagesFollowAppOrigin,
    pagesPath: `${SANDBOX_MOUNT}/oauth/`,
    providerId: new URL(provider.requestTokenUrl).origin,
    now,
  });
  // Built once with the app: each limiter's counters are in the store, shared by every instance on it.
  const limits = createLimits(config.limits, stores, log);
  mount(app, '/', homeRouter());
  mount(app, '/how-it-works', howItWorksRouter());
  mount(app, '/auth', authRouter({ login, limits, defaultAuthPage: config.oauth.authPage }));
  mount(
    app,
    '/sms',
    smsRouter({
      nexmo: createNexmoClient({ consumer: deps.consumer, restUrl: provider.restUrl }),
      limits,
      rules: { allowedPrefixes: config.smsAllowedPrefixes, maxParts: config.limits.smsPartsPerAccountPerDay },
      messages: stores.messages,
      receiptUrl: `${deps.publicUrl}${RECEIPT_PATH}/${receiptKey}`,
      now,
    }),
  );
  mount(app, '/messages', messagesRouter({ messages: stores.messages }));

  app.use((_req, _res, next) => next(new HttpError(404, { title: 'Page not found', message: 'There is nothing at this address.', action: { href: '/', label: 'Go to the start' } })));
  app.use(errorHandler);
  return app;
}

/**
 * The origin this request reached the app at, for every browser-facing URL (the OAuth callback,
 * the sandbox's consent page) and the same-origin check: PUBLIC_URL when set; otherwise the
 * Host the browser used, but only a host the app trusts (this machine's names and addresses,
 * loopback, ALLOWED_HOSTS). Any other Host is refused, so it can never steer a callback.
 */
function resolveAppOrigin(config: Config): RequestHandler {
  if (config.publicUrl !== undefined) {
    const origin = new URL(config.publicUrl).origin;
    return (_req, res, next) => {
      res.locals.appOrigin = origin;
      next();
    };
  }
  const trusted = trustedHostNames(config.allowedHosts);
  return (req, res, next) => {
    const host = req.get('host');
    const name = hostNameOf(host);
    if (!name || !isTrustedHost(name, trusted)) {
      return next(
        new HttpError(400, {
          title: 'This address is not one the app answers to',
          message:
            'The app only answers at addresses it knows, so that nobody can send your sign-in elsewhere. Whoever runs it can list this address in ALLOWED_HOSTS, or set PUBLIC_URL to the one address people should use.',
        }),
      );
    }
    // req.secure, not req.protocol: behind a trusted proxy the latter is whatever X-Forwarded-Proto says.
    res.locals.appOrigin = `${req.secure ? 'https' : 'http'}://${host}`;
    next();
  };
}

/** What every page template needs to draw the header. */
const pageLocals: RequestHandler = (req, res, next) => {
  res.locals.connected = Boolean(req.session?.connection);
  res.locals.currentPath = req.path;
  // Pages can show private data; never let the back button or a shared cache replay them.
  res.set('Cache-Control', 'no-store');
  next();
};

/** The header that carries the request id back to the client. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * The access log (pino-http): one line per request with method, path, status, duration and the
 * request id, which is also given to every line logged through `req.log` and sent back as
 * X-Request-Id. The id is always made here: one sent by the client is never trusted.
 *
 * The path is the matched route's pattern where there is one (`/webhooks/delivery-receipt/:key`,
 * never the key itself, in whatever spelling it was routed), and never the query: it carries
 * tokens and verifiers. No headers are logged (cookies, credentials).
 */
function accessLog(log: RootLogger): RequestHandler {
  const line = (req: IncomingMessage, res: ServerResponse) => `${req.method} ${loggablePath(req as express.Request)} ${res.statusCode}${res.writableEnded ? '' : ' (aborted)'}`;
  const fields = (req: IncomingMessage, res: ServerResponse, responseTime: unknown) => ({ method: req.method, path: loggablePath(req as express.Request), statusCode: res.statusCode, responseTime });
  return pinoHttp({
    logger: log,
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // Lines logged while handling a request carry its id only, never the request object.
    quietReqLogger: true,
    quietResLogger: true,
    // Nothing of the raw request or response is ever serialized: only the fields picked below.
    wrapSerializers: false,
    serializers: { req: () => undefined, res: () => undefined },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => line(req, res),
    customErrorMessage: (req, res) => line(req, res),
    customSuccessObject: (req, res, val: { responseTime: unknown }) => fields(req, res, val.responseTime),
    // Failures are described by the error handler; this line stays the access log's.
    customErrorObject: (req, res, _err, val: { responseTime: unknown }) => fields(req, res, val.responseTime),
  });
}

/** Where the router that last took the request is mounted (see mount). */
const mountOf = new WeakMap<IncomingMessage, string>();

/**
 * app.use(path, ...handlers), remembering the mount point for the access log: a route's pattern
 * is relative to it, and once an error leaves the router (next(err)) req.baseUrl no longer says.
 */
function mount(app: Express, path: string, ...handlers: RequestHandler[]): void {
  const base = path === '/' ? '' : path;
  app.use(
    path,
    (req, _res, next) => {
      mountOf.set(req, base);
      next();
    },
    ...handlers,
  );
}

function loggablePath(req: express.Request): string {
  const pattern: unknown = req.route?.path;
  // Inside a mounted router the pattern is relative to the mount point. req.baseUrl is the text
  // as requested, and routing ignores case; every mount point is lower case, so it is used
  // lower-cased, or the mount point itself once the request has left the router.
  if (typeof pattern === 'string') return `${req.baseUrl ? req.baseUrl.toLowerCase() : (mountOf.get(req) ?? '')}${pattern}`;
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
  // Unrouted (a 404): a mistyped receipt URL may still carry the key.
  return path.toLowerCase().startsWith(`${RECEIPT_PATH}/`) ? `${RECEIPT_PATH}/[hidden]` : path;
}

/**
 * One place turns every failure into an answer in the client's format: a page for browsers,
 * JSON for scripts (the status polls). Details go to the log, never to the client; the request
 * id goes to both, so a person quoting it leads to the log lines of that request.
 */
const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  let status: number;
  let page: ErrorPage;
  let headers: Record<string, string> = {};
  if (err instanceof HttpError) {
    ({ status, page, headers } = err);
  } else if (err instanceof StoreUnavailableError) {
    status = 503;
    page = { title: 'The app can’t reach its storage', message: 'Nothing was changed. The app will recover by itself as soon as its storage answers again; try again in a few seconds.', action: { href: '/', label: 'Try the start page' } };
    req.log.error(`store unavailable on ${req.method} ${loggablePath(req)}: ${err.message}`);
  } else if (isClientError(err)) {
    status = err.status;
    page = { title: 'That request could not be read', message: 'The form or address was not in a shape the app understands. Go back and try again.', action: { href: '/', label: 'Go to the start' } };
  } else {
    status = 500;
    page = { title: 'Something went wrong', message: 'The app hit an unexpected problem and nothing was changed. Try again in a moment.', action: { href: '/', label: 'Go to the start' } };
    const described = err instanceof Error ? { err: { type: err.name, message: err.message, stack: err.stack } } : {};
    req.log.error(described, `error on ${req.method} ${loggablePath(req)}: ${err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown'}`);
  }
  if (res.headersSent) return;
  const requestId = String(req.id);
  res.status(status);
  res.set(headers);
  res.set('Cache-Control', 'no-store');
  const renderPage = () => {
    res.locals.connected ??= false;
    res.locals.currentPath ??= req.path;
    res.type('html').render('message', { status, tone: status >= 500 ? 'error' : 'warning', page, requestId });
  };
  res.format({
    html: renderPage,
    json: () => res.json({ error: { status, title: page.title, message: page.message, requestId } }),
    // Any other Accept still gets the page: people with browsers are the app's audience.
    default: renderPage,
  });
};

/** Body-parser errors (too large, malformed) carry a 4xx status. */
function isClientError(err: unknown): err is { status: number } {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
