import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Request, RequestHandler } from 'express';

import { hostNameOf, isLoopbackHostName } from '../lib/hostNames.js';

/**
 * Headers every response carries, through helmet. No inline scripts or styles; the referrer is
 * never sent, so the oauth_token in the callback URL cannot leak to another site; forms post
 * only to the app. HSTS only when the app is served over https, where it means something.
 *
 * Cross-Origin-Opener-Policy and Origin-Agent-Cluster only where browsers apply them: a secure
 * context (https, or a loopback host such as localhost). On plain http at a network address
 * (a teammate opening http://192.168.1.5:3000) browsers ignore both and log an error for each
 * on every page, which is all they would add there.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  const inSecureContext = headersOf(securityPolicy(options.https, true));
  const elsewhere = headersOf(securityPolicy(options.https, false));
  return (req, res, next) => {
    res.setHeaders(isSecureContext(req, options.https) ? inSecureContext : elsewhere);
    next();
  };
}

/**
 * The headers helmet sets for `options`, worked out once: the policy depends on nothing in the
 * request (no nonces, no per-request directives), and helmet builds its CSP string anew for every
 * response. It runs here against a response that only records what is set.
 */
export function headersOf(options: HelmetOptions): Map<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name, String(value)),
    // helmet removes X-Powered-By, which the app never sets (x-powered-by is disabled).
    removeHeader: (name: string) => headers.delete(name),
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => (failure = err));
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused the security header policy');
  return headers;
}

/**
 * Whether the browser treats this page as a secure context: PUBLIC_URL is https (every address
 * the app hands out is), the request came over https (directly or through a trusted proxy), or
 * the Host is a loopback name.
 */
function isSecureContext(req: Request, publicUrlIsHttps: boolean): boolean {
  if (publicUrlIsHttps || req.secure) return true;
  const name = hostNameOf(req.get('host'));
  return name !== undefined && isLoopbackHostName(name);
}

/** The policy for a PUBLIC_URL (https or not) and a page in a secure context or not. */
export function securityPolicy(https: boolean, secureContext: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Not on http: browsers would rewrite the app's own links to an https it does not serve.
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: secureContext ? { policy: 'same-origin' } : false,
    originAgentCluster: secureContext,
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
  };
}
