import session from 'express-session';
import type { RequestHandler } from 'express';

import type { Connection } from '../oauth/loginFlow.js';
import type { LoginTrace } from '../oauth/trace.js';

declare module 'express-session' {
  interface SessionData {
    /** Names this browser's pending logins (kept in their own store); survives regeneration. */
    loginOwner: string;
    connection: Connection;
    /** Hash of the request token of the login that made `connection`: its callback, replayed, is no error. */
    completedLogin: string;
    csrfToken: string;
    /** The latest login's first steps, until its callback arrives. */
    loginTrace: LoginTrace;
    /** Names the connection's timeline for the "How it works" page, kept beside the session. */
    traceId: string;
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
    // Every answer pushes the expiry out again, so only idle sessions end (the store drops them too).
    rolling: true,
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
 * Ends a connection older than `maxMs` however busy it is (an absolute lifetime), and asks the
 * person to connect again.
 */
export function enforceConnectionLifetime(maxMs: number, now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const connection = req.session?.connection;
    if (!connection || now() - connection.connectedAt <= maxMs) return next();
    delete req.session.connection;
    delete req.session.traceId;
    req.session.save((err) => {
      if (err) return next(err);
      // A page asked for: show why. A form posted: nothing was done, and the same words apply.
      res.redirect(303, '/?notice=session-expired');
    });
  };
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
