import type { LoginStep } from '../timeline/store.js';

/**
 * A login waiting for the provider's callback: the request token, its secret, and the browser
 * that started it. Kept as its own record keyed by the request token (not inside the session),
 * so taking one is a single atomic step of the store.
 */
export interface PendingLogin {
  token: string;
  secret: string;
  /** The random login-owner id of the browser session that started it. */
  owner: string;
  createdAt: number;
  /** The page of this app the login was started from, to return to once connected (a local path). */
  returnTo?: string;
  /**
   * The login's first steps for the connection's timeline (the request-token exchange and the
   * way to the provider's page): kept with the login, never in the session, until its callback.
   */
  steps?: LoginStep[];
}

/** Enough for a few tabs; more than that is more likely a loop than a person. */
export const MAX_PENDING_LOGINS = 5;
export const PENDING_LOGIN_TTL_MS = 10 * 60 * 1000;

export function isExpired(login: PendingLogin, now: number): boolean {
  return now - login.createdAt > PENDING_LOGIN_TTL_MS;
}

export interface PendingLoginStore {
  /** Keeps the login; the owner's oldest beyond MAX_PENDING_LOGINS are dropped. */
  add(login: PendingLogin): Promise<void>;
  /**
   * Removes and returns the login for `token` if `owner` started it. Atomic: of any number of
   * concurrent calls for one token, at most one gets the login.
   */
  take(token: string, owner: string): Promise<PendingLogin | undefined>;
  /** The login for `token` if `owner` started it, left in place. */
  peek(token: string, owner: string): Promise<PendingLogin | undefined>;
}
