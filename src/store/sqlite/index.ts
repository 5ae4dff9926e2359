import { StoreUnavailableError, type AppStores, type SettingsStore } from '../types.js';
import type Database from 'better-sqlite3';

import type { Sealer } from '../sealing.js';
import { openDatabase } from './db.js';
import { createSqliteMessages, pruneOrphanReceipts } from './messages.js';
import { createSqlitePendingLogins, prunePendingLogins } from './pendingLogins.js';
import { pruneRecentSends } from './reservations.js';
import { sealKeyValue } from '../sealedKeyValue.js';
import { SqliteRateLimitStore, pruneRateLimits } from './rateLimits.js';
import { createSqliteKeyValue, pruneKeyValue } from './keyValue.js';
import { SqliteSessionStore } from './sessions.js';

/** SESSION_IDLE_MINUTES' default, for stores opened without it (tests, tools). */
const DEFAULT_SESSION_IDLE_MS = 120 * 60_000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

function createSqliteSettings(db: Database.Database): SettingsStore {
  const insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)');
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?');
  return {
    async getOrCreate(name, create) {
      // INSERT OR IGNORE: whoever writes first wins, and everyone reads that value.
      insert.run(name, create());
      return (select.get(name) as { value: string }).value;
    },
  };
}

/** Everything the app keeps, in one SQLite file (the embedded default). */
export interface SqliteOptions {
  now?: () => number;
  /** Encrypts session data and pending request-token secrets at rest. */
  sealer: Sealer;
  /** SESSION_IDLE_MINUTES, in ms: the sessions table's rows expire that long after their last use (default 120 minutes, as the setting's). */
  sessionIdleMs?: number;
}

export function createSqliteStores(path: string, options: SqliteOptions): AppStores & { db: Database.Database } {
  const now = options.now ?? Date.now;
  const { sealer } = options;
  const db = openDatabase(path);
  const keyValue = sealKeyValue(createSqliteKeyValue(db, now), sealer);
  const prune = () => {
    const at = now();
    db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(at);
    prunePendingLogins(db, at);
    pruneOrphanReceipts(db, at);
    pruneRecentSends(db, at);
    pruneKeyValue(db, at);
    // express-rate-limit's windows are real time, whatever clock the rest of the app is given.
    pruneRateLimits(db, Date.now(), at);
  };
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return {
    kind: 'sqlite',
    db,
    sessions: new SqliteSessionStore(db, sealer, { now, idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS }),
    pendingLogins: createSqlitePendingLogins(db, sealer),
    messages: createSqliteMessages(db, now),
    settings: createSqliteSettings(db),
    ping: async () => {
      try {
        db.prepare('SELECT 1').get();
      } catch (err) {
        throw new StoreUnavailableError('the SQLite file cannot be read', { cause: err });
      }
    },
    sandbox: keyValue,
    // The same sealed key-value storage serves the app's own records: the sandbox's keys all
    // start with "sandbox:", the app's with their own prefix, so they never collide.
    records: keyValue,
    rateLimitStore: (prefix) => new SqliteRateLimitStore(db, prefix),
    close: async () => {
      clearInterval(timer);
      db.close();
    },
  };
}
