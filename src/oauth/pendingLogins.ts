import { safeEqual } from '../safeEqual.js';

/** A login started in this session: the request token waiting for the provider's callback. */
export interface PendingLogin {
  token: string;
  secret: string;
  createdAt: number;
}

/** Enough for a few tabs; more than that is more likely a loop than a person. */
export const MAX_PENDING_LOGINS = 5;
export const PENDING_LOGIN_TTL_MS = 10 * 60 * 1000;

/** Adds a login, dropping expired ones and then the oldest beyond the limit. */
export function addPendingLogin(list: readonly PendingLogin[] | undefined, login: PendingLogin, now: number): PendingLogin[] {
  const alive = (list ?? []).filter((p) => !isExpired(p, now));
  return [...alive, login].slice(-MAX_PENDING_LOGINS);
}

export type TakeResult =
  | { outcome: 'found'; login: PendingLogin; rest: PendingLogin[] }
  | { outcome: 'expired'; rest: PendingLogin[] }
  | { outcome: 'unknown'; rest: PendingLogin[] };

/** Removes the login for `token` from the list (each can be used once) and says what it was. */
export function takePendingLogin(list: readonly PendingLogin[] | undefined, token: string, now: number): TakeResult {
  const all = list ?? [];
  const match = all.find((p) => safeEqual(p.token, token));
  const rest = all.filter((p) => p !== match && !isExpired(p, now));
  if (!match) return { outcome: 'unknown', rest };
  if (isExpired(match, now)) return { outcome: 'expired', rest };
  return { outcome: 'found', login: match, rest };
}

function isExpired(login: PendingLogin, now: number): boolean {
  return now - login.createdAt > PENDING_LOGIN_TTL_MS;
}
