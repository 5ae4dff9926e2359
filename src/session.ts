import session from 'express-session';
import type { RequestHandler } from 'express';

import type { Connection } from './oauth/loginFlow.js';

declare module 'express-session' {
  interface SessionData {
    /** Names this browser's pending logins (kept in their own store); survives regeneration. */
    loginOwner: string;
    connection: Connection;
    csrfToken: string;
  }
}

export const SESSION_COOKIE = 'nexmo.sid';

/** The session middleware, configured from validated configuration. */
export function sessionMiddleware(secrets: string[], secureCookies: boolean, store?: session.Store): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: secrets,
    store,
    resave: false, // don't save unmodified sessions
    saveUninitialized: false, // no cookie until there is something to remember
    cookie: {
      httpOnly: true,
      // Lax still sends the cookie on the provider's top-level redirect back to /auth/callback.
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: 8 * 60 * 60 * 1000,
    },
  });
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
