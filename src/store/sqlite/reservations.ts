import type Database from 'better-sqlite3';

import type { ReserveAnswer, SendReservation } from '../types.js';

/**
 * A send's reservation as one IMMEDIATE transaction: the id is checked unused, every counter
 * (kept in the quotas table) is checked, and only then are they all counted and the record
 * inserted as `sending`. IMMEDIATE takes the write lock first, so concurrent requests in any
 * number of processes on the file run one after another; a refusal writes nothing, so there
 * is nothing to undo.
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

  const reserve = db.transaction(({ record, counters }: SendReservation): ReserveAnswer => {
    const existing = owner.get(record.id);
    if (existing) return { kind: 'duplicate', account: existing.account };
    const now = record.createdAt;
    for (const [index, c] of counters.entries()) {
      const row = counter.get(c.key);
      const live = row && row.reset_at > now ? row : undefined;
      const used = live?.used ?? 0;
      if (used + c.amount > c.limit) return { kind: 'refused', index, used, resetAt: live?.reset_at ?? now + c.windowMs };
    }
    for (const c of counters) count.run({ key: c.key, amount: c.amount, now, reset: now + c.windowMs });
    insert.run(record.id, record.account, now, JSON.stringify({ ...record, outcome: { kind: 'sending' } }));
    return { kind: 'reserved' };
  });
  return (reservation) => reserve.immediate(reservation);
}
