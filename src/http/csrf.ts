import type { Request, RequestHandler } from 'express';

import { randomToken } from '../lib/randomPool.js';
import { safeEqualOfKnownLength } from '../lib/safeEqual.js';
import { FORM_EXPIRED, FROM_ANOTHER_SITE } from '../present/errorPages.js';
import { HttpError } from './errors.js';

/** Field name of the synchronizer token in every form the app renders. */
export const CSRF_FIELD = '_csrf';

/** The session's synchronizer token, created on first use. */
export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = randomToken(32);
  return req.session.csrfToken;
}

/**
 * Rejects a POST whose form token is missing or differs from the session's (403, nothing done).
 * Every token has the same public length (32 random bytes in base64url).
 */
export const requireCsrf: RequestHandler = (req, _res, next) => {
  const expected = req.session?.csrfToken;
  const given: unknown = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof expected === 'string' && typeof given === 'string' && safeEqualOfKnownLength(given, expected)) return next();
  next(new HttpError(403, FORM_EXPIRED));
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request that a browser says comes from another site: an `Origin`
 * other than the app's own, a `Sec-Fetch-Site` other than `same-origin`, or `Origin: null`
 * (sandboxed frames, data: pages) from a browser that does not send `Sec-Fetch-Site`. The
 * app's own pages send `Referrer-Policy: no-referrer`, under which browsers write `Origin: null`
 * on their form posts too; `Sec-Fetch-Site: same-origin`, which pages cannot forge, tells
 * those apart. Clients that send neither header (scripts, old browsers) are left to the
 * synchronizer token, which every form carries as well.
 */
export const requireSameOrigin: RequestHandler = (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    // res.locals.appOrigin: PUBLIC_URL's origin, or the trusted address this request came to.
    const foreignOrigin = origin !== undefined && origin !== 'null' && origin !== res.locals.appOrigin;
    const crossSite = site !== undefined ? site !== 'same-origin' : origin === 'null';
    if (foreignOrigin || crossSite) {
      return next(new HttpError(403, FROM_ANOTHER_SITE));
    }
    next();
};
