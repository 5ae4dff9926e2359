import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Express, Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';

import type { RootLogger } from '../logging/logger.js';
import { HIDDEN } from '../logging/redaction.js';
import { RECEIPT_PATH } from '../nexmo/receipts.js';

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
export function accessLog(log: RootLogger): RequestHandler {
  const line = (req: IncomingMessage, res: ServerResponse) => `${req.method} ${loggablePath(req as Request)} ${res.statusCode}${res.writableEnded ? '' : ' (aborted)'}`;
  const fields = (req: IncomingMessage, res: ServerResponse, responseTime: unknown) => ({ method: req.method, path: loggablePath(req as Request), statusCode: res.statusCode, responseTime });
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
export function mount(app: Express, path: string, ...handlers: RequestHandler[]): void {
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

export function loggablePath(req: Request): string {
  const pattern: unknown = req.route?.path;
  // Inside a mounted router the pattern is relative to the mount point. req.baseUrl is the text
  // as requested, and routing ignores case; every mount point is lower case, so it is used
  // lower-cased, or the mount point itself once the request has left the router.
  if (typeof pattern === 'string') return `${req.baseUrl ? req.baseUrl.toLowerCase() : (mountOf.get(req) ?? '')}${pattern}`;
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
  // Unrouted (a 404): a mistyped receipt URL may still carry the key.
  return path.toLowerCase().startsWith(`${RECEIPT_PATH}/`) ? `${RECEIPT_PATH}/${HIDDEN}` : path;
}

