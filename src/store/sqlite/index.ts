import { StoreUnavailableError, type AppStores, type SettingsStore } from '../types.js';
import type Database from 'better-sqlite3';

import type { Sealer } from '../sealing.js';
import { openDatabase } from './db.js';
import { groupCommitOf } from './groupCommit.js';
import { createSqliteMessages, orphanReceiptsPruner } from './messages.js';
import { createSqlitePendingLogins, pendingLoginsPruner } from './pendingLogins.js';
import { recentSendsPruner } from './reservations.js';
import { sealKeyValue } from '../sealedKeyValue.js';
import { SqliteRateLimitStore, rateLimitsPruner } from './rateLimits.js';
import { createSqliteKeyValue, keyValuePruner } from './keyValue.js';
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

/**
 * Every expired row, in one step: `at` by the app's clock, `realNow` by the real one, which
 * express-rate-limit's windows follow whatever clock the rest of the app is given.
 */
function expiredRowsPruner(db: Database.Database): (at: number, realNow: number) => void {
  const sessions = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
  const pendingLogins = pendingLoginsPruner(db);
  const orphanReceipts = orphanReceiptsPruner(db);
  const recentSends = recentSendsPruner(db);
  const keyValue = keyValuePruner(db);
  const rateLimits = rateLimitsPruner(db);
  return (at, realNow) => {
    sessions.run(at);
    pendingLogins(at);
    orphanReceipts(at);
    recentSends(at);
    keyValue(at);
    rateLimits(realNow, at);
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
  const writes = groupCommitOf(db);
  const keyValue = sealKeyValue(createSqliteKeyValue(db, now), sealer);
  const prune = expiredRowsPruner(db);
  // Housekeeping: a round that fails (a disk briefly full) leaves the rows for the next one.
  const pruneNow = () => {
    const at = now();
    const realNow = Date.now();
    writes.write(() => prune(at, realNow)).catch(() => {});
  };
  pruneNow();
  const timer = setInterval(pruneNow, PRUNE_EVERY_MS);
  timer.unref();
  const ping = db.prepare('SELECT 1');
  return {
    kind: 'sqlite',
    db,
    sessions: new SqliteSessionStore(db, sealer, { now, idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS }),
    pendingLogins: createSqlitePendingLogins(db, sealer),
    messages: createSqliteMessages(db, now),
    settings: createSqliteSettings(db),
    ping: async () => {
      try {
        ping.get();
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
      // What is waiting is committed first: a send's completion is never dropped at shutdown.
      writes.close();
      db.close();
    },
  };
}
