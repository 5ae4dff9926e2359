import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';

import type { Config } from './config.js';
import { requireSameOrigin } from './csrf.js';
import { hostNameOf, isTrustedHost, trustedHostNames } from './hosts.js';
import { HttpError, type ErrorPage } from './httpError.js';
import type { Logger } from './logger.js';
import { createNexmoClient } from './nexmo/smsClient.js';
import { createLoginFlow } from './oauth/loginFlow.js';
import type { OAuthConsumer } from './oauth/types.js';
import { publicDir, viewsDir } from './paths.js';
import { SANDBOX_MOUNT, type Provider } from './provider.js';
import { authRouter } from './routes/auth.js';
import { healthRouter } from './routes/health.js';
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
  log: Logger;
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

  app.use(securityHeaders({ https: deps.publicUrl.startsWith('https:') }));
  app.use(accessLog(log));
  const { stores, receiptKey } = deps;
  app.use(healthRouter(stores));
  app.use(resolveAppOrigin(config));
  app.use(express.static(publicDir, { index: false, maxAge: config.production ? '1h' : 0 }));
  // Browsers that ask for the icon without reading the page's <link rel="icon"> get it too.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'));
  // The sandbox is another party: it gets neither the app's session nor its body parsing.
  if (provider.sandboxRouter) app.use(SANDBOX_MOUNT, provider.sandboxRouter);
  app.use(WEBHOOKS_PREFIX, webhooksRouter({ messages: stores.messages, receiptKey, log, now }));

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
  app.use('/', homeRouter());
  app.use('/auth', authRouter({ login, defaultAuthPage: config.oauth.authPage, log }));
  app.use(
    '/sms',
    smsRouter({
      nexmo: createNexmoClient({ consumer: deps.consumer, restUrl: provider.restUrl }),
      messages: stores.messages,
      receiptUrl: `${deps.publicUrl}${RECEIPT_PATH}/${receiptKey}`,
      log,
      now,
    }),
  );
  app.use('/messages', messagesRouter({ messages: stores.messages }));

  app.use((_req, _res, next) => next(new HttpError(404, { title: 'Page not found', message: 'There is nothing at this address.', action: { href: '/', label: 'Go to the start' } })));
  app.use(errorHandler(log));
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
    res.locals.appOrigin = `${req.protocol}://${host}`;
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

/**
 * Method, path, status and duration. The path is the matched route's pattern where there is one
 * (`/webhooks/delivery-receipt/:key`, never the key itself, in whatever spelling it was routed),
 * and never the query: it carries tokens and verifiers.
 */
function accessLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${loggablePath(req)} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  };
}

function loggablePath(req: express.Request): string {
  const pattern: unknown = req.route?.path;
  // baseUrl: inside a mounted router the pattern is relative to the mount point. It is the
  // text as requested, and routing ignores case; every mount point is lower case.
  if (typeof pattern === 'string') return `${req.baseUrl.toLowerCase()}${pattern}`;
  const path = req.originalUrl.split('?')[0] ?? '';
  // Unrouted (a 404): a mistyped receipt URL may still carry the key.
  return path.toLowerCase().startsWith(`${RECEIPT_PATH}/`) ? `${RECEIPT_PATH}/[hidden]` : path;
}

/**
 * One place turns every failure into an answer in the client's format: a page for browsers,
 * JSON for scripts (the status polls). Details go to the log, never to the client.
 */
function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let status: number;
    let page: ErrorPage;
    if (err instanceof HttpError) {
      ({ status, page } = err);
    } else if (err instanceof StoreUnavailableError) {
      status = 503;
      page = { title: 'The app can’t reach its storage', message: 'Nothing was changed. The app will recover by itself as soon as its storage answers again; try again in a few seconds.', action: { href: '/', label: 'Try the start page' } };
      log(`store unavailable on ${req.method} ${loggablePath(req)}: ${err.message}`);
    } else if (isClientError(err)) {
      status = err.status;
      page = { title: 'That request could not be read', message: 'The form or address was not in a shape the app understands. Go back and try again.', action: { href: '/', label: 'Go to the start' } };
    } else {
      status = 500;
      page = { title: 'Something went wrong', message: 'The app hit an unexpected problem and nothing was changed. Try again in a moment.', action: { href: '/', label: 'Go to the start' } };
      log(`error on ${req.method} ${req.path}: ${err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown'}`);
    }
    if (res.headersSent) return;
    res.status(status);
    res.set('Cache-Control', 'no-store');
    const renderPage = () => {
      res.locals.connected ??= false;
      res.locals.currentPath ??= req.path;
      res.type('html').render('message', { status, tone: status >= 500 ? 'error' : 'warning', page });
    };
    res.format({
      html: renderPage,
      json: () => res.json({ error: { status, title: page.title, message: page.message } }),
      // Any other Accept still gets the page: people with browsers are the app's audience.
      default: renderPage,
    });
  };
}

/** Body-parser errors (too large, malformed) carry a 4xx status. */
function isClientError(err: unknown): err is { status: number } {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
