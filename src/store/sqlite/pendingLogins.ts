import type Database from 'better-sqlite3';

import type { Sealer } from '../sealing.js';
import { groupCommitOf } from './groupCommit.js';
import { MAX_PENDING_LOGINS, PENDING_LOGIN_TTL_MS, type PendingLogin, type PendingLoginStore } from '../../oauth/pendingLogin.js';

interface Row {
  token: string;
  secret: string;
  owner: string;
  created_at: number;
  /** JSON of what the login carries besides its token: { returnTo }. */
  details: string | null;
}

/** What a login carries besides its token, as the details column keeps it (JSON). */
type Details = Pick<PendingLogin, 'returnTo' | 'steps'>;

function detailsOf(row: Row): Details {
  if (row.details === null) return {};
  try {
    const parsed = JSON.parse(row.details) as Details;
    return {
      ...(typeof parsed.returnTo === 'string' ? { returnTo: parsed.returnTo } : {}),
      ...(Array.isArray(parsed.steps) ? { steps: parsed.steps } : {}),
    };
  } catch {
    return {};
  }
}

function detailsText(login: PendingLogin): string | null {
  const details: Details = { returnTo: login.returnTo, steps: login.steps };
  return details.returnTo === undefined && details.steps === undefined ? null : JSON.stringify(details);
}


/**
 * Pending logins as rows keyed by request token. Taking one is a single DELETE … RETURNING, so
 * of any number of concurrent callbacks (in any number of processes on this file) one gets it.
 * Writes join the connection's group commit.
 */
export function createSqlitePendingLogins(db: Database.Database, sealer: Sealer): PendingLoginStore {
  // The request-token secret is sealed at rest; a row that cannot be opened is no login.
  const toLogin = (row: Row | undefined): PendingLogin | undefined => {
    if (!row) return undefined;
    try {
      return { token: row.token, secret: sealer.open(row.secret), owner: row.owner, createdAt: row.created_at, ...detailsOf(row) };
    } catch {
      return undefined;
    }
  };
  const insert = db.prepare<[string, string, string, number, string | null]>('INSERT OR REPLACE INTO pending_logins (token, secret, owner, created_at, details) VALUES (?, ?, ?, ?, ?)');
  const trim = db.prepare<[string, string, number]>(
    'DELETE FROM pending_logins WHERE owner = ? AND token NOT IN (SELECT token FROM pending_logins WHERE owner = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)',
  );
  const take = db.prepare<[string, string], Row>('DELETE FROM pending_logins WHERE token = ? AND owner = ? RETURNING token, secret, owner, created_at, details');
  const peek = db.prepare<[string, string], Row>('SELECT token, secret, owner, created_at, details FROM pending_logins WHERE token = ? AND owner = ?');
  const writes = groupCommitOf(db);

  return {
    async add(login) {
      const secret = sealer.seal(login.secret);
      const details = detailsText(login);
      await writes.write(() => {
        insert.run(login.token, secret, login.owner, login.createdAt, details);
        trim.run(login.owner, login.owner, MAX_PENDING_LOGINS);
      });
    },
    async take(token, owner) {
      return toLogin(await writes.write(() => take.get(token, owner)));
    },
    async peek(token, owner) {
      return toLogin(peek.get(token, owner));
    },
  };
}

/** Drops pending logins well past their use, so abandoned sign-ins don't accumulate. */
export function pendingLoginsPruner(db: Database.Database): (now: number) => void {
  const old = db.prepare<[number]>('DELETE FROM pending_logins WHERE created_at < ?');
  // Kept one TTL longer than usable, so a late callback still reads "expired", not "unknown".
  return (now) => {
    old.run(now - 2 * PENDING_LOGIN_TTL_MS);
  };
}
