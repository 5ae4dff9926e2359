import { closeSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';

import { SchemaTooNewError } from '../schemaVersion.js';

/**
 * The schema, as ordered steps: step N turns a version N-1 file into version N, and its number
 * is kept in the file (`PRAGMA user_version`). A change of a table is a new step at the end;
 * a released step is never edited, since files in use were made by it.
 */
export const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  // 1: the schema as it was before files carried a version. IF NOT EXISTS: such a file (version
  // 0 with these tables) is recognised by running this step, which changes nothing in it.
  (db) => db.exec(SCHEMA_1),
  // 2: a send's parts found by their send, for the receipts that name a send by its client-ref
  // before its reply is stored (a send the app stopped while making).
  (db) => db.exec('CREATE INDEX IF NOT EXISTS message_parts_record ON message_parts (record_id)'),
  // 3: each browser's recent sends by recipient and text (a form sent again after Back is not
  // sent twice), and what a pending login carries besides its token (the page to return to).
  (db) => db.exec(SCHEMA_3),
];

export const LATEST_VERSION = MIGRATIONS.length;

/**
 * The version in the file's header, read without opening it as a database (which would create
 * -wal and -shm files beside it), or undefined when the file is missing, empty or not SQLite.
 */
export function headerVersion(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return undefined;
    return header.readUInt32BE(60);
  } finally {
    closeSync(fd);
  }
}

/**
 * Brings the file to LATEST_VERSION in one IMMEDIATE transaction (so a second process starting
 * on the same file waits, then finds it done), or throws SchemaTooNewError, changing nothing,
 * when the file is newer than this app.
 */
export function migrate(db: Database.Database, where: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > LATEST_VERSION) throw new SchemaTooNewError(where, current, LATEST_VERSION, 'SQLITE_PATH');
    for (let version = current + 1; version <= LATEST_VERSION; version++) MIGRATIONS[version - 1]!(db);
    // Inside the transaction: the steps and the number that records them commit together.
    if (current !== LATEST_VERSION) db.pragma(`user_version = ${LATEST_VERSION}`);
  }).immediate();
}

/** Version 3: see the step's comment above. */
const SCHEMA_3 = `
CREATE TABLE recent_sends (
  key TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX recent_sends_expiry ON recent_sends (expires_at);
ALTER TABLE pending_logins ADD COLUMN details TEXT;
`;

/** Version 1: one file for everything the app keeps; each table belongs to one store module. */
const SCHEMA_1 = `
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

-- The sandbox provider's state (see keyValue.ts): values with an optional expiry, and
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
