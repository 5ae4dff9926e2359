import type { ErrorRequestHandler } from 'express';

import { loggablePath } from './accessLog.js';
import { SOMETHING_WENT_WRONG, STORE_UNAVAILABLE, UNREADABLE_REQUEST } from '../present/errorPages.js';
import type { PageWords } from '../present/pageWords.js';
import { StoreUnavailableError } from '../store/types.js';

// The app's HTTP failures: HttpError, which a route or middleware throws with words for a
// person, and the one handler that turns every failure into the answer.

/** A page-worthy failure's words for a person, plus where to go next (written in present/). */
export type ErrorPage = PageWords;

export class HttpError extends Error {
  /** Response headers the answer must carry, whichever format it takes (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly page: ErrorPage,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(page.title, options);
    this.name = 'HttpError';
    this.headers = options?.headers ?? {};
  }
}

/**
 * One place turns every failure into an answer in the client's format: a page for browsers,
 * JSON for scripts (the status polls). Details go to the log, never to the client; the request
 * id goes to both, so a person quoting it leads to the log lines of that request.
 */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  let status: number;
  let page: ErrorPage;
  let headers: Record<string, string> = {};
  if (err instanceof HttpError) {
    ({ status, page, headers } = err);
  } else if (err instanceof StoreUnavailableError) {
    status = 503;
    page = STORE_UNAVAILABLE;
    req.log.error(`store unavailable on ${req.method} ${loggablePath(req)}: ${err.message}`);
  } else if (isClientError(err)) {
    status = err.status;
    page = UNREADABLE_REQUEST;
  } else {
    status = 500;
    page = SOMETHING_WENT_WRONG;
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
