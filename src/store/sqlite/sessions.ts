import session from 'express-session';
import type Database from 'better-sqlite3';
import type { Request } from 'express';

import type { Sealer } from '../sealing.js';
import { groupCommitOf, type GroupCommit } from './groupCommit.js';

/** The session's expiry as it was read from the store, kept on the Session (never serialized). */
const STORED_EXPIRY = Symbol('expiry as stored');

/**
 * How far a touch must move the stored expiry before it is written: a minute, or a tenth of the
 * idle time when that is shorter. Every request touches the session (rolling expiry); writing
 * each one would be a commit per page view to end a session a few seconds later.
 */
function touchStep(idleMs: number): number {
  return Math.min(60_000, idleMs / 10);
}

export interface SqliteSessionOptions {
  /** SESSION_IDLE_MINUTES: a session unused this long is gone. */
  idleMs: number;
  /** The one clock that both writes and judges expiries. */
  now?: () => number;
}

/**
 * express-session's store over the sessions table; a session unused for the idle time is gone.
 * Session data (access tokens among it) is sealed at rest; one that cannot be opened (a key
 * taken out of rotation, a damaged row) reads as no session, never as an error.
 *
 * Expiries are this store's own: its clock plus the idle time, judged by the same clock. The
 * cookie's `expires` is not used for them, because express-session computes it from the real
 * clock (Date.now), which is not the store's when a clock is injected. Writes join the
 * connection's group commit; each calls back once committed.
 */
export class SqliteSessionStore extends session.Store {
  private readonly select: Database.Statement<[string, number], { data: string; expires_at: number }>;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly extend: Database.Statement<[number, string]>;

  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly writes: GroupCommit;

  constructor(
    db: Database.Database,
    private readonly sealer: Sealer,
    options: SqliteSessionOptions,
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.idleMs = options.idleMs;
    this.select = db.prepare('SELECT data, expires_at FROM sessions WHERE sid = ? AND expires_at > ?');
    this.upsert = db.prepare('INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at');
    this.remove = db.prepare('DELETE FROM sessions WHERE sid = ?');
    this.extend = db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?');
    this.writes = groupCommitOf(db);
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    let data: session.SessionData | null;
    try {
      const row = this.select.get(sid, this.now());
      data = row ? this.unseal(row.data) : null;
      // The row's expiry is the true one: touches move it without rewriting the data.
      if (row && data?.cookie) data.cookie.expires = new Date(row.expires_at);
    } catch (err) {
      return callback(err);
    }
    callback(null, data);
  }

  /** express-session builds the request's Session here; it remembers the expiry as stored. */
  override createSession(req: Request, data: session.SessionData): session.Session & session.SessionData {
    const stored = data.cookie?.expires ? new Date(data.cookie.expires).getTime() : undefined;
    const created = super.createSession(req, data);
    Object.defineProperty(created, STORED_EXPIRY, { value: stored, enumerable: false });
    return created;
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    let sealed: string;
    try {
      sealed = this.sealer.seal(JSON.stringify(data));
    } catch (err) {
      return callback?.(err);
    }
    const expires = this.nextExpiry();
    this.writes.write(() => this.upsert.run(sid, sealed, expires)).then(() => callback?.(), (err: unknown) => callback?.(err));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.writes.write(() => this.remove.run(sid)).then(() => callback?.(), (err: unknown) => callback?.(err));
  }

  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    const stored = (data as { [STORED_EXPIRY]?: number })[STORED_EXPIRY];
    const next = this.nextExpiry();
    // Moved less than a step: the stored expiry stands (the session may end up to a step early).
    if (stored !== undefined && next - stored < touchStep(this.idleMs)) return callback?.();
    // A failed touch only shortens the session; the request itself still succeeds.
    this.writes.write(() => this.extend.run(next, sid)).then(() => callback?.(), () => callback?.());
  }

  private unseal(stored: string): session.SessionData | null {
    try {
      return JSON.parse(this.sealer.open(stored)) as session.SessionData;
    } catch {
      return null;
    }
  }

  /** A session used now lasts the idle time from now. */
  private nextExpiry(): number {
    return this.now() + this.idleMs;
  }
}
