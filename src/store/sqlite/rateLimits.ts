import type Database from 'better-sqlite3';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';

import { groupCommitOf, type GroupCommit } from './groupCommit.js';

interface CounterRow {
  hits: number;
  reset_at: number;
}

/**
 * express-rate-limit's counters in the SQLite file, so every process on the file enforces one
 * limit. A fixed window per key: the first hit opens it, and a hit after reset_at opens the next.
 * Each increment is one upsert, which SQLite runs atomically (one writer at a time, across
 * processes too), so concurrent requests never read the same count. Writes join the
 * connection's group commit.
 */
export class SqliteRateLimitStore implements Store {
  /** The counters are in the file, not this object: two stores with one prefix would share them. */
  readonly localKeys = false;
  windowMs = 60_000;
  private readonly upsert: Database.Statement<{ key: string; now: number; reset: number }, CounterRow>;
  private readonly select: Database.Statement<[string, number], CounterRow>;
  private readonly lower: Database.Statement<[string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly writes: GroupCommit;

  constructor(
    db: Database.Database,
    readonly prefix: string,
  ) {
    this.upsert = db.prepare(`
      INSERT INTO rate_limits (key, hits, reset_at) VALUES (@key, 1, @reset)
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN reset_at <= @now THEN 1 ELSE hits + 1 END,
        reset_at = CASE WHEN reset_at <= @now THEN excluded.reset_at ELSE reset_at END
      RETURNING hits, reset_at`);
    this.select = db.prepare('SELECT hits, reset_at FROM rate_limits WHERE key = ? AND reset_at > ?');
    this.lower = db.prepare('UPDATE rate_limits SET hits = MAX(hits - 1, 0) WHERE key = ? AND reset_at > ?');
    this.remove = db.prepare('DELETE FROM rate_limits WHERE key = ?');
    this.writes = groupCommitOf(db);
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = this.select.get(this.prefix + key, Date.now());
    return row && { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = Date.now();
    const row = await this.writes.write(() => this.upsert.get({ key: this.prefix + key, now, reset: now + this.windowMs }) as CounterRow);
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    const now = Date.now();
    await this.writes.write(() => this.lower.run(this.prefix + key, now));
  }

  async resetKey(key: string): Promise<void> {
    await this.writes.write(() => this.remove.run(this.prefix + key));
  }
}

/**
 * Drops counters whose window has ended: express-rate-limit's by real time (it counts by it),
 * the send counters by the app's clock (the reservation judges them by it).
 */
export function rateLimitsPruner(db: Database.Database): (realNow: number, appNow: number) => void {
  const counters = db.prepare<[number]>('DELETE FROM rate_limits WHERE reset_at <= ?');
  const quotas = db.prepare<[number]>('DELETE FROM quotas WHERE reset_at <= ?');
  return (realNow, appNow) => {
    counters.run(realNow);
    quotas.run(appNow);
  };
}
