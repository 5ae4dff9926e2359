import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { Express, Request, RequestHandler, Response } from 'express';

import type { Logger, RootLogger } from '../logging/logger.js';
import { HIDDEN } from '../logging/redaction.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id: in X-Request-Id, on its error page and on every line it logs. */
    id: string;
    /** Logs for this request: every line carries its id (made when first used). */
    log: Logger;
  }
}

/** The header that carries the request id back to the client. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * The access log: one line per request with method, path, status, duration and the request id,
 * which is also given to every line logged through `req.log` and sent back as X-Request-Id. The
 * id is always made here: one sent by the client is never trusted.
 *
 * The path is the matched route's pattern where there is one (`/webhooks/delivery-receipt/:key`,
 * never the key itself, in whatever spelling it was routed), and never the query: it carries
 * tokens and verifiers. No headers are logged (cookies, credentials).
 *
 * The lines are pino-http's (same fields, levels and redaction), written without it: pino-http
 * makes two child loggers for every request, whose bindings pino serializes at once; here
 * `req.log` is one child made only when a line is logged while handling the request, and the
 * access line of a request that logged nothing else names its id as a field instead, which
 * writes the same JSON.
 */
export function accessLog(log: RootLogger, options: AccessLogOptions = {}): RequestHandler {
  const secretPaths = (options.secretPaths ?? []).map((prefix) => prefix.toLowerCase());
  return (req, res, next) => {
    hiddenBelow.set(req, secretPaths);
    const started = Date.now();
    const id = randomUUID();
    res.setHeader(REQUEST_ID_HEADER, id);
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, enumerable: true, get: () => (child ??= log.child({ requestId: id })) });
    // 'finish' when the answer is sent, 'close' alone when the client went away first.
    const complete = () => {
      res.off('finish', complete);
      res.off('close', complete);
      const note = notes.get(res);
      const fields = { method: req.method, path: loggablePath(req), statusCode: res.statusCode, responseTime: Date.now() - started, ...note?.fields };
      const line = `${fields.method} ${fields.path} ${fields.statusCode}${res.writableEnded ? '' : ' (aborted)'}${note ? `: ${note.text}` : ''}`;
      const level = failed(res) ? 'error' : 'info';
      // Failures are described by the error handler; this line stays the access log's.
      if (child) child[level](fields, line);
      else log[level]({ requestId: id, ...fields }, line);
    };
    res.on('finish', complete);
    res.on('close', complete);
    next();
  };
}

/** What a request's own outcome adds to its access line (see noteOnAccessLine). */
const notes = new WeakMap<object, { fields: Record<string, unknown>; text: string }>();

/**
 * Says what the request did on its access line instead of on a line of its own: its fields
 * join the line's, its text follows the status ("POST /sms 303: sms … sent (1 parts)"). For an
 * outcome every such request has (a send), one line a request instead of two.
 */
export function noteOnAccessLine(res: Response, fields: Record<string, unknown>, text: string): void {
  notes.set(res, { fields, text });
}

/** As pino-http judged it: a server error, or an error the response was marked with. */
const failed = (res: Response): boolean => res.statusCode >= 500 || (res as Response & { err?: unknown }).err !== undefined;

/** Where the router that last took the request is mounted (see mount). */
const mountOf = new WeakMap<IncomingMessage, string>();

/**
 * app.use(path, ...handlers), remembering the mount point for the access log: a route's pattern
 * is relative to it, and once an error leaves the router (next(err)) req.baseUrl no longer says.
 */
export function mount(app: Express, path: string, first: RequestHandler, ...rest: RequestHandler[]): void {
  const base = path === '/' ? '' : path;
  // Noted by the first handler itself, not by a layer of its own: every request passes each mount.
  app.use(
    path,
    (req, res, next) => {
      mountOf.set(req, base);
      return first(req, res, next);
    },
    ...rest,
  );
}

export interface AccessLogOptions {
  /**
   * Paths whose last segment is a secret (the delivery receipt's key): logged with the segment
   * hidden when no route matched (a matched route logs its pattern, never the value).
   */
  secretPaths?: readonly string[];
}

/** Each request's secret paths (accessLog's option), for loggablePath wherever it is called from. */
const hiddenBelow = new WeakMap<Request, readonly string[]>();

export function loggablePath(req: Request): string {
  const pattern: unknown = req.route?.path;
  // Inside a mounted router the pattern is relative to the mount point. req.baseUrl is the text
  // as requested, and routing ignores case; every mount point is lower case, so it is used
  // lower-cased, or the mount point itself once the request has left the router.
  if (typeof pattern === 'string') {
    const base = req.baseUrl ? req.baseUrl.toLowerCase() : (mountOf.get(req) ?? '');
    // A router's own root is the mount point itself: POST /sms, not /sms/.
    return base !== '' && pattern === '/' ? base : `${base}${pattern}`;
  }
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
  // Unrouted (a 404): a mistyped receipt URL may still carry the key.
  const secret = hiddenBelow.get(req)?.find((prefix) => path.toLowerCase().startsWith(`${prefix}/`));
  return secret === undefined ? path : `${secret}/${HIDDEN}`;
}

