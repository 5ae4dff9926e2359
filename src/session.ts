import session from 'express-session';
import type { RequestHandler } from 'express';

import type { Config } from './config.js';
import type { PendingLogin } from './oauth/pendingLogins.js';

/** The access token and what the provider said about it; never leaves the server. */
export interface Connection {
  /** Random id naming this connection's records (sent messages); not a credential. */
  id: string;
  token: string;
  secret: string;
  /** Extra fields of the access-token reply (e.g. a user name). */
  extra: Record<string, string>;
  connectedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    pendingLogins: PendingLogin[];
    connection: Connection;
    csrfToken: string;
  }
}

export const SESSION_COOKIE = 'nexmo.sid';

/** The session middleware, configured from validated configuration. */
export function sessionMiddleware(config: Config, store?: session.Store): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: config.sessionSecrets,
    store,
    resave: false, // don't save unmodified sessions
    saveUninitialized: false, // no cookie until there is something to remember
    cookie: {
      httpOnly: true,
      // Lax still sends the cookie on the provider's top-level redirect back to /auth/callback.
      sameSite: 'lax',
      secure: config.publicUrl.startsWith('https:'),
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

/**
 * Re-reads the session from the store so changes made by a concurrent request (another tab
 * starting a login) are not overwritten. A session not yet stored keeps its in-memory state.
 */
export function reloadSession(req: Express.Request): Promise<void> {
  return new Promise((resolve) => req.session.reload(() => resolve()));
}
