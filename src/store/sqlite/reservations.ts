import type Database from 'better-sqlite3';

import type { ReserveAnswer, SendRelease, SendReservation } from '../types.js';

/**
 * A send's reservation, run as one atomic step of the group commit (an IMMEDIATE transaction, see
 * groupCommit.ts): the id is checked unused, every counter (kept in the quotas table) is
 * checked, and only then are they all counted and the record inserted as `sending`. IMMEDIATE
 * takes the write lock first, so concurrent requests in any number of processes on the file run
 * one after another; a refusal writes nothing, so there is nothing to undo.
 */
export function createSqliteReserve(db: Database.Database): (reservation: SendReservation) => ReserveAnswer {
  const owner = db.prepare<[string], { account: string }>('SELECT account FROM messages WHERE id = ?');
  const counter = db.prepare<[string], { used: number; reset_at: number }>('SELECT used, reset_at FROM quotas WHERE key = ?');
  const count = db.prepare<{ key: string; amount: number; now: number; reset: number }>(`
    INSERT INTO quotas (key, used, reset_at) VALUES (@key, @amount, @reset)
    ON CONFLICT (key) DO UPDATE SET
      used = CASE WHEN reset_at <= @now THEN @amount ELSE used + @amount END,
      reset_at = CASE WHEN reset_at <= @now THEN excluded.reset_at ELSE reset_at END`);
  const insert = db.prepare<[string, string, number, string]>('INSERT INTO messages (id, account, created_at, record) VALUES (?, ?, ?, ?)');
  const recentSend = db.prepare<[string, number], { message_id: string; created_at: number }>('SELECT message_id, created_at FROM recent_sends WHERE key = ? AND expires_at > ?');
  const noteRecent = db.prepare<[string, string, number, number]>('INSERT OR REPLACE INTO recent_sends (key, message_id, created_at, expires_at) VALUES (?, ?, ?, ?)');

  return ({ record, counters, repeat }: SendReservation): ReserveAnswer => {
    const existing = owner.get(record.id);
    if (existing) return { kind: 'duplicate', account: existing.account };
    const now = record.createdAt;
    const earlier = repeat && recentSend.get(repeat.key, now);
    if (earlier && earlier.message_id !== repeat.again) return { kind: 'repeat', of: earlier.message_id, at: earlier.created_at };
    for (const [index, c] of counters.entries()) {
      const row = counter.get(c.key);
      const live = row && row.reset_at > now ? row : undefined;
      const used = live?.used ?? 0;
      if (used + c.amount > c.limit) return { kind: 'refused', index, used, resetAt: live?.reset_at ?? now + c.windowMs };
    }
    for (const c of counters) count.run({ key: c.key, amount: c.amount, now, reset: now + c.windowMs });
    if (repeat) noteRecent.run(repeat.key, record.id, now, now + repeat.windowMs);
    insert.run(record.id, record.account, now, JSON.stringify({ ...record, outcome: { kind: 'sending' } }));
    return { kind: 'reserved' };
  };
}

/**
 * Gives back what a send that reached nobody took at its reservation; run inside its
 * completion's step. A count comes back only from the window it was counted in (a window
 * that started since never held it), and never below zero.
 */
export function createSqliteRelease(db: Database.Database): (record: { id: string; createdAt: number }, release: SendRelease) => void {
  const uncount = db.prepare<{ key: string; amount: number; window: number; at: number }>(
    'UPDATE quotas SET used = MAX(0, used - @amount) WHERE key = @key AND reset_at > @at AND reset_at - @window <= @at',
  );
  const forget = db.prepare<[string, string]>('DELETE FROM recent_sends WHERE key = ? AND message_id = ?');
  return (record, release) => {
    for (const c of release.counters) uncount.run({ key: c.key, amount: c.amount, window: c.windowMs, at: record.createdAt });
    if (release.repeatKey !== undefined) forget.run(release.repeatKey, record.id);
  };
}

/** Recent sends past their window answer no repeat any more: dropped with the other expired rows. */
export function recentSendsPruner(db: Database.Database): (now: number) => void {
  const expired = db.prepare<[number]>('DELETE FROM recent_sends WHERE expires_at <= ?');
  return (now) => {
    expired.run(now);
  };
}
