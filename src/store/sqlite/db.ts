import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** One file for everything the app keeps; each table belongs to one store module. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  sid TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);

CREATE TABLE IF NOT EXISTS pending_logins (
  token TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_logins_owner ON pending_logins (owner, created_at);

CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_account ON messages (account, created_at DESC);

CREATE TABLE IF NOT EXISTS message_parts (
  message_id TEXT PRIMARY KEY,
  record_id TEXT NOT NULL REFERENCES messages (id)
);

CREATE TABLE IF NOT EXISTS receipts (
  message_id TEXT PRIMARY KEY,
  receipt TEXT NOT NULL,
  final INTEGER NOT NULL,
  kept_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Abuse limits (see rateLimits.ts): express-rate-limit's request counters, and quotas that grow
-- by more than one (SMS parts). A row counts until reset_at, then starts again.
CREATE TABLE IF NOT EXISTS rate_limits (
  key TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  reset_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limits_reset ON rate_limits (reset_at);

CREATE TABLE IF NOT EXISTS quotas (
  key TEXT PRIMARY KEY,
  used INTEGER NOT NULL,
  reset_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS quotas_reset ON quotas (reset_at);

-- The sandbox provider's state (see sandboxStorage.ts): values with an optional expiry, and
-- capped lists kept newest-first by seq.
CREATE TABLE IF NOT EXISTS sandbox_kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS sandbox_kv_expiry ON sandbox_kv (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS sandbox_lists (
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (key, seq)
);

-- When a list as a whole expires (lists pushed with a TTL); lists without a row here never do.
CREATE TABLE IF NOT EXISTS sandbox_list_expiry (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sandbox_list_expiry_at ON sandbox_list_expiry (expires_at);
`;

/**
 * Opens (creating it and its folder on first start) the SQLite file. WAL lets readers go on while
 * one writer writes, and a busy timeout lets a second process on the same file wait its turn.
 * Throws when the path cannot be created or opened.
 */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL syncs at checkpoints rather than on every commit: a crash of the process
    // loses nothing, and the file is never corrupted; only a power cut can take back the last
    // commits. A send makes several small commits, and each fsync cost more than the rest of it.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
