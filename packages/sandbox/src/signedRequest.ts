/**
 * Turns an Express request into what RFC 5849 signs: the method, the URL as the client saw it
 * and every parameter from the Authorization header, a form body and the query (§3.4.1.3.1).
 *
 * The sandbox brings its own body parsers and keeps the raw form body, so the parameters are
 * decoded by the sandbox's own rules, not by whatever query or body parser the host app set up.
 */
import express from 'express';
import type { Request, RequestHandler } from 'express';
import { ParameterSyntaxError, parseAuthorizationHeader, parseFormEncoded } from './rfc5849.js';
import type { Param } from './rfc5849.js';

const rawForms = new WeakMap<Request, string>();

const FORM = 'application/x-www-form-urlencoded';

/**
 * Parsers to put on each sandbox route (never router-wide: mounted at "/" the router sees every
 * request of the host app, and must not consume bodies meant for other routes).
 */
export function bodyParsers(): RequestHandler[] {
  return [
    express.urlencoded({
      extended: false,
      verify: (req, _res, buf, encoding) => {
        rawForms.set(req as Request, buf.toString(encoding === 'iso-8859-1' ? 'latin1' : 'utf8'));
      },
    }),
    express.json(),
  ];
}

export interface SignedRequest {
  method: string;
  /** Absolute URL without the query, as used in the signature base string. */
  url: string;
  /** All parameters in arrival order: header, then body, then query. */
  params: Param[];
  /** The oauth_* parameters came (at least partly) from the Authorization header. */
  fromHeader: boolean;
  /** Non-OAuth fields of the form body and the query, for the API handlers. */
  formParams: Param[];
  queryParams: Param[];
}

/** Throws ParameterSyntaxError when a parameter source cannot be read exactly. */
export function readSignedRequest(req: Request): SignedRequest {
  const original = req.originalUrl;
  const q = original.indexOf('?');
  const path = q === -1 ? original : original.slice(0, q);
  const query = q === -1 ? '' : original.slice(q + 1);
  // req.host is the Host header, or X-Forwarded-Host only when "trust proxy" trusts the peer;
  // req.protocol follows the same rule for X-Forwarded-Proto.
  const url = `${req.protocol}://${req.host ?? ''}${path}`;

  const headerParams = parseAuthorizationHeader(req.get('authorization')) ?? [];
  const formParams = req.is(FORM) ? formBody(req) : [];
  const queryParams = parseFormEncoded(query);
  return {
    method: req.method,
    url,
    params: [...headerParams, ...formParams, ...queryParams],
    fromHeader: headerParams.length > 0,
    formParams,
    queryParams,
  };
}

function formBody(req: Request): Param[] {
  const raw = rawForms.get(req);
  if (raw !== undefined) return parseFormEncoded(raw);
  return fromParsedBody(req.body);
}

/**
 * The host app parsed the body before the sandbox could (a global body parser). A flat
 * name → string (or string[]) object can be turned back into pairs; anything nested cannot be
 * signed faithfully, so it is refused instead of guessed.
 */
function fromParsedBody(body: unknown): Param[] {
  if (body === undefined || body === null) return [];
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ParameterSyntaxError('form body was parsed into an unexpected shape');
  }
  const params: Param[] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string') throw new ParameterSyntaxError('form body is nested');
      params.push([name, v]);
    }
  }
  return params;
}

/** Errors raised by the body parsers above (malformed JSON, too large, unknown charset). */
export function isBodyParseError(err: unknown): err is Error & { status: number } {
  if (!(err instanceof Error)) return false;
  const { status, type } = err as Error & { status?: unknown; type?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}
