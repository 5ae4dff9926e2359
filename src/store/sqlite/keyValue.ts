import type { SandboxStorage } from '@nexmo-oauth/sandbox';
import type Database from 'better-sqlite3';

import { groupCommitOf } from './groupCommit.js';

/**
 * A key-value storage with expiries and capped lists, in the app's SQLite file: what the sandbox
 * provider keeps (tokens, nonces, balances, outbox) and the app's own small records (timelines,
 * the balance shown), each under its own key prefix (the tables still carry the sandbox's name,
 * whose state they held first). Each operation that must be atomic is one statement (an upsert,
 * DELETE … RETURNING) or one IMMEDIATE transaction, so it holds across processes on the same file
 * too: every write is one step of the connection's group commit (see groupCommit.ts). Expired
 * rows read as absent and are pruned with the app's other stores.
 */

/** The capped list push, as one atomic step. `expiresAt`: the whole list's new expiry, or null to keep none. */
function createSqliteListPush(db: Database.Database): (key: string, value: string, max: number, expiresAt: number | null, at: number) => void {
  const append = db.prepare<[string, string, string]>(
    'INSERT INTO sandbox_lists (key, seq, value) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sandbox_lists WHERE key = ?), ?)',
  );
  const trim = db.prepare<[string, string, number]>(
    'DELETE FROM sandbox_lists WHERE key = ? AND seq <= (SELECT seq FROM sandbox_lists WHERE key = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)',
  );
  const listExpiry = db.prepare<[string], { expires_at: number }>('SELECT expires_at FROM sandbox_list_expiry WHERE key = ?');
  const setListExpiry = db.prepare<[string, number]>(
    'INSERT INTO sandbox_list_expiry (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at',
  );
  const deleteList = db.prepare<[string]>('DELETE FROM sandbox_lists WHERE key = ?');
  const deleteListExpiry = db.prepare<[string]>('DELETE FROM sandbox_list_expiry WHERE key = ?');
  return (key: string, value: string, max: number, expiresAt: number | null, at: number) => {
    const expired = listExpiry.get(key);
    if (expired && expired.expires_at <= at) {
      deleteList.run(key);
      deleteListExpiry.run(key);
    }
    append.run(key, key, value);
    trim.run(key, key, Math.max(0, max));
    if (expiresAt !== null) setListExpiry.run(key, expiresAt);
  };
}

export function createSqliteKeyValue(db: Database.Database, now: () => number = Date.now): SandboxStorage {
  const select = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM sandbox_kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
  );
  const upsert = db.prepare<[string, string, number | null]>(
    'INSERT INTO sandbox_kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
  );
  // Inserts, or replaces a row that has expired; a live row is left alone (changes = 0).
  const insertIfAbsent = db.prepare<[string, string, number | null, number]>(
    `INSERT INTO sandbox_kv (key, value, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
     WHERE sandbox_kv.expires_at IS NOT NULL AND sandbox_kv.expires_at <= ?`,
  );
  const take = db.prepare<[string], { value: string; expires_at: number | null }>(
    'DELETE FROM sandbox_kv WHERE key = ? RETURNING value, expires_at',
  );
  const deleteValue = db.prepare<[string]>('DELETE FROM sandbox_kv WHERE key = ?');
  const deleteList = db.prepare<[string]>('DELETE FROM sandbox_lists WHERE key = ?');
  // Every expression in SET reads the row as it was, so an expired value counts as 0 and gets
  // the new TTL or none, and a live one keeps its TTL unless a new one is given, as Redis's
  // INCRBY (and PEXPIRE) do. A live value that is not a whole number (a sealed one, say) is left
  // as it is, TTL included, and returned, and refused below: CAST would silently read it as 0,
  // where memory and Redis refuse it.
  // `by` is bound as a BigInt: a JavaScript number would bind as REAL and store "5.0".
  const incrBy = db.prepare<{ key: string; by: bigint; now: number; expiresAt: number | null }, { value: string }>(
    `INSERT INTO sandbox_kv (key, value, expires_at) VALUES (@key, CAST(@by AS TEXT), @expiresAt)
     ON CONFLICT (key) DO UPDATE SET
       value = CASE WHEN expires_at IS NOT NULL AND expires_at <= @now THEN CAST(@by AS TEXT)
                    WHEN CAST(CAST(value AS INTEGER) AS TEXT) = value THEN CAST(CAST(value AS INTEGER) + @by AS TEXT)
                    ELSE value END,
       expires_at = CASE WHEN expires_at IS NOT NULL AND expires_at <= @now THEN @expiresAt
                         WHEN CAST(CAST(value AS INTEGER) AS TEXT) = value THEN COALESCE(@expiresAt, expires_at)
                         ELSE expires_at END
     RETURNING value`,
  );
  // A list with an expiry row past its time reads as empty (and is pruned).
  const range = db.prepare<[string, number, number], { value: string }>(
    `SELECT value FROM sandbox_lists WHERE key = ?
       AND NOT EXISTS (SELECT 1 FROM sandbox_list_expiry e WHERE e.key = sandbox_lists.key AND e.expires_at <= ?)
     ORDER BY seq DESC LIMIT ?`,
  );
  const deleteListExpiry = db.prepare<[string]>('DELETE FROM sandbox_list_expiry WHERE key = ?');
  const deleteAll = (key: string) => {
    deleteValue.run(key);
    deleteList.run(key);
    deleteListExpiry.run(key);
  };
  const pushCapped = createSqliteListPush(db);
  const writes = groupCommitOf(db);

  const expiry = (ttlMs: number | undefined): number | null => (ttlMs === undefined ? null : now() + Math.max(1, Math.ceil(ttlMs)));

  return {
    async get(key) {
      return select.get(key, now())?.value;
    },
    async set(key, value, ttlMs) {
      const expiresAt = expiry(ttlMs);
      await writes.write(() => upsert.run(key, value, expiresAt));
    },
    async setIfAbsent(key, value, ttlMs) {
      const at = now();
      const expiresAt = expiry(ttlMs);
      return writes.write(() => insertIfAbsent.run(key, value, expiresAt, at).changes === 1);
    },
    async take(key) {
      const row = await writes.write(() => take.get(key));
      return row && (row.expires_at === null || row.expires_at > now()) ? row.value : undefined;
    },
    async delete(key) {
      await writes.write(() => deleteAll(key));
    },
    async incrBy(key, by, ttlMs) {
      if (!Number.isSafeInteger(by)) throw new TypeError('incrBy needs a whole number');
      const at = now();
      const expiresAt = expiry(ttlMs);
      const { value } = await writes.write(() => incrBy.get({ key, by: BigInt(by), now: at, expiresAt }) as { value: string });
      if (!/^-?\d+$/.test(value)) throw new TypeError(`value at ${key} is not an integer`);
      return Number(value);
    },
    async pushCapped(key, value, max, ttlMs) {
      // In the group commit's IMMEDIATE transaction: two processes cannot interleave the steps.
      const at = now();
      const expiresAt = expiry(ttlMs);
      await writes.write(() => pushCapped(key, value, Math.max(0, max), expiresAt, at));
    },
    async range(key, limit) {
      return range.all(key, now(), Math.max(0, limit)).map((row) => row.value);
    },
  };
}

/** Drops expired values (nonces, spent tokens) and lists (timelines), so they don't accumulate. */
export function keyValuePruner(db: Database.Database): (now: number) => void {
  const values = db.prepare<[number]>('DELETE FROM sandbox_kv WHERE expires_at IS NOT NULL AND expires_at <= ?');
  const lists = db.prepare<[number]>('DELETE FROM sandbox_lists WHERE key IN (SELECT key FROM sandbox_list_expiry WHERE expires_at <= ?)');
  const expiries = db.prepare<[number]>('DELETE FROM sandbox_list_expiry WHERE expires_at <= ?');
  return (now) => {
    values.run(now);
    lists.run(now);
    expiries.run(now);
  };
}
