// Which host names the app answers to, so that a teammate who opens it through the presenter's
// address is sent back to that same address (for consent and the callback), while a forged Host
// header can never steer a callback elsewhere.

import type { RequestHandler } from 'express';

import type { Config } from '../config/config.js';
import { answersEveryAddress, hostNameOf, isTrustedHost } from '../lib/hostNames.js';
import { UNTRUSTED_ADDRESS } from '../present/addressPages.js';
import { HttpError } from './errors.js';

declare global {
  namespace Express {
    interface Locals {
      /**
       * The origin this request reached the app at (resolveAppOrigin): every browser-facing URL
       * (the callback, the sandbox's pages) and the same-origin check use it.
       */
      appOrigin?: string;
    }
  }
}

/** The origin the request reached the app at; '' before resolveAppOrigin ran (only in its own error page). */
export function appOriginOf(res: { locals: Express.Locals }): string {
  return res.locals.appOrigin ?? '';
}

/**
 * The origin this request reached the app at, for every browser-facing URL (the OAuth callback,
 * the sandbox's consent page) and the same-origin check. A login started at an address must
 * come back to that address, or the browser arrives without its cookie ("no sign-in in
 * progress"), so the origin follows the address the browser used whenever the app can trust it:
 * - no PUBLIC_URL: this machine's names and addresses, loopback and ALLOWED_HOSTS; any other
 *   Host is refused, so a forged one can never steer a callback;
 * - PUBLIC_URL on a loopback name (http://localhost:3000, a developer's or presenter's value):
 *   the same addresses as without it, so a teammate at the Network address, or someone at
 *   127.0.0.1, still ends where they started;
 * - PUBLIC_URL on any other name (behind a proxy, whose Host may be its upstream's): that
 *   origin, except for names listed in ALLOWED_HOSTS, which are followed as themselves.
 */
/** `trusted`: this machine's names and addresses and ALLOWED_HOSTS (main/addresses.ts). */
export function resolveAppOrigin(config: Config, trustedNames: ReadonlySet<string>): RequestHandler {
  const trusted = new Set(trustedNames);
  const follow = (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], host: string) => {
    // req.secure, not req.protocol: behind a trusted proxy the latter is whatever X-Forwarded-Proto says.
    res.locals.appOrigin = `${req.secure ? 'https' : 'http'}://${host}`;
  };
  if (config.publicUrl !== undefined) {
    const publicUrl = new URL(config.publicUrl);
    const origin = publicUrl.origin;
    if (!answersEveryAddress(config.publicUrl)) {
      const allowed = new Set(config.allowedHosts.map((h) => h.toLowerCase()));
      return (req, res, next) => {
        const host = req.get('host');
        const name = hostNameOf(host);
        if (host !== undefined && name !== undefined && allowed.has(name)) follow(req, res, host);
        else res.locals.appOrigin = origin;
        next();
      };
    }
    trusted.add(hostNameOf(publicUrl.host) ?? 'localhost');
  }
  return (req, res, next) => {
    const host = req.get('host');
    const name = hostNameOf(host);
    if (host === undefined || !name || !isTrustedHost(name, trusted)) return next(UNTRUSTED_HOST);
    follow(req, res, host);
    next();
  };
}

const UNTRUSTED_HOST = new HttpError(400, UNTRUSTED_ADDRESS);
