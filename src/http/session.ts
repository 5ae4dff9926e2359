import session from 'express-session';
import type { RequestHandler } from 'express';

import { localPath, withParams } from '../lib/localPath.js';

import type { Connection } from '../oauth/loginFlow.js';

declare module 'express-session' {
  interface SessionData {
    /** Names this browser's pending logins (kept in their own store); survives regeneration. */
    loginOwner: string;
    connection: Connection;
    /** Hash of the request token of the login that made `connection`: its callback, replayed, is no error. */
    completedLogin: string;
    csrfToken: string;
    /** When the cookie was last sent with a new expiry (the app's clock; see renewSessionCookie). */
    cookieRenewedAt: number;
  }
}

export const SESSION_COOKIE = 'nexmo.sid';

export interface SessionOptions {
  secrets: string[];
  secureCookies: boolean;
  store: session.Store;
  /** A session unused this long is gone (cookie and stored record). */
  idleMs: number;
}

/** The session middleware, configured from validated configuration. */
export function sessionMiddleware(options: SessionOptions): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: options.secrets,
    store: options.store,
    resave: false, // don't save unmodified sessions
    saveUninitialized: false, // no cookie until there is something to remember
    // The cookie is sent when the session changes, and renewSessionCookie makes that happen
    // whenever activity moves its expiry materially: not signed and sent again on every answer.
    rolling: false,
    cookie: {
      httpOnly: true,
      // Lax still sends the cookie on the provider's top-level redirect back to /auth/callback.
      sameSite: 'lax',
      secure: options.secureCookies,
      maxAge: options.idleMs,
    },
  });
}

/**
 * How far activity must move the cookie's expiry before it is sent again: a minute, or a tenth
 * of the idle time when that is shorter (the rule the SQLite store uses for its stored expiry).
 * A session in use may so end up to that much before SESSION_IDLE_MINUTES of idleness.
 */
export function cookieRenewalStep(idleMs: number): number {
  return Math.min(60_000, Math.floor(idleMs / 10));
}

/**
 * After the session middleware: when the answer ends, a session with something in it whose
 * cookie was last sent a step or more ago (or never, as after a login's regeneration) is marked,
 * so express-session saves it and sends the cookie with a new expiry; an idle session still
 * ends. A new, empty session is left alone (no cookie for a visitor who has nothing to
 * remember). This wraps `res.end` outside express-session's own wrapper, so the mark is made
 * before it decides whether to save.
 */
export function renewSessionCookie(idleMs: number, now: () => number = Date.now): RequestHandler {
  const step = cookieRenewalStep(idleMs);
  return (req, res, next) => {
    const end = res.end;
    res.end = function (this: typeof res, ...args: Parameters<typeof end>) {
      const current = req.session as Partial<session.SessionData> | undefined;
      if (current && Object.keys(current).some((key) => key !== 'cookie')) {
        const at = now();
        if (current.cookieRenewedAt === undefined || at - current.cookieRenewedAt >= step) current.cookieRenewedAt = at;
      }
      return end.apply(this, args);
    } as typeof end;
    next();
  };
}

/**
 * Ends a connection older than `maxMs` however busy it is (an absolute lifetime), and asks the
 * person to connect again.
 */
export function enforceConnectionLifetime(maxMs: number, now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const connection = req.session?.connection;
    if (!connection || now() - connection.connectedAt <= maxMs) return next();
    // A page asked for: show why. A form posted: nothing was done, and the same words apply;
    // either way, connecting again comes back to that page.
    const returnTo = (req.method === 'GET' ? localPath(req.originalUrl) : undefined) ?? localPath(req.path);
    forgetConnection(req).then(() => res.redirect(303, withParams('/', { notice: 'session-expired', return: returnTo })), next);
  };
}

/**
 * Forgets the connection (its tokens, and with it the way to its timeline) and keeps the rest of the session: the
 * browser's pending logins in other tabs, its CSRF token. Saved before the answer goes out.
 */
export async function forgetConnection(req: Express.Request): Promise<void> {
  delete req.session.connection;
  await saveSession(req);
}

/** express-session's callback methods as promises. */
export function regenerateSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function saveSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
