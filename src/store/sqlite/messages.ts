import type Database from 'better-sqlite3';

import { isFinalStatus, type Receipt } from '../../nexmo/receipts.js';
import { partMessageIds } from '../records.js';
import { groupCommitOf } from './groupCommit.js';
import { createSqliteRelease, createSqliteReserve } from './reservations.js';
import { ORPHAN_RECEIPT_TTL_MS, type CompletionExtras, type MessageStore, type SendRecord } from '../types.js';

type StoredRecord = Omit<SendRecord, 'receipts'>;

/**
 * Sends as rows (the record as JSON, indexed by account and time), their parts' message-ids,
 * and receipts keyed by message-id. Receipts are stored whether or not their send is known yet,
 * so one that overtakes its send is simply there when the send is read. Every write is one
 * atomic step of the connection's group commit (see groupCommit.ts), settled once committed.
 */
export function createSqliteMessages(db: Database.Database, now: () => number = Date.now): MessageStore {
  const insertRecord = db.prepare<[string, string, number, string]>('INSERT INTO messages (id, account, created_at, record) VALUES (?, ?, ?, ?)');
  const insertPart = db.prepare<[string, string]>('INSERT OR REPLACE INTO message_parts (message_id, record_id) VALUES (?, ?)');
  const selectRecord = db.prepare<[string, string], { record: string }>('SELECT record FROM messages WHERE id = ? AND account = ?');
  const selectPage = db.prepare<[string, number, number], { record: string }>('SELECT record FROM messages WHERE account = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?');
  const countRecords = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM messages WHERE account = ?');
  const selectReceipt = db.prepare<[string], { receipt: string }>('SELECT receipt FROM receipts WHERE message_id = ?');
  // A final receipt is never replaced by a later non-final one; the same receipt twice is a no-op.
  const upsertReceipt = db.prepare<[string, string, number, number]>(
    'INSERT INTO receipts (message_id, receipt, final, kept_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET receipt = excluded.receipt, final = excluded.final, kept_at = excluded.kept_at WHERE receipts.final = 0 OR excluded.final = 1',
  );
  const isKnown = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM message_parts WHERE message_id = ?');
  const recordExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM messages WHERE id = ?');
  // The message-ids receipts have tied to a send by its client-ref (a send with no reply stored).
  const partsOf = db.prepare<[string], { message_id: string }>('SELECT message_id FROM message_parts WHERE record_id = ? ORDER BY rowid');
  const upsertRecord = db.prepare<[string, string, number, string]>(
    'INSERT INTO messages (id, account, created_at, record) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record',
  );

  const add = (record: StoredRecord) => {
    insertRecord.run(record.id, record.account, record.createdAt, JSON.stringify(record));
    for (const messageId of partMessageIds(record.outcome)) insertPart.run(messageId, record.id);
  };
  const release = createSqliteRelease(db);
  const complete = (record: StoredRecord, extras: CompletionExtras) => {
    upsertRecord.run(record.id, record.account, record.createdAt, JSON.stringify(record));
    for (const messageId of partMessageIds(record.outcome)) insertPart.run(messageId, record.id);
    if (extras.release) release(record, extras.release);
  };
  const receive = (receipt: Receipt): boolean => {
    upsertReceipt.run(receipt.messageId, JSON.stringify(receipt), isFinalStatus(receipt.status) ? 1 : 0, now());
    if (receipt.clientRef !== undefined && recordExists.get(receipt.clientRef)) insertPart.run(receipt.messageId, receipt.clientRef);
    return isKnown.get(receipt.messageId) !== undefined;
  };
  const reserve = createSqliteReserve(db);
  const writes = groupCommitOf(db);

  const withReceipts = (json: string): SendRecord => {
    const record = JSON.parse(json) as StoredRecord;
    const receipts: Record<string, Receipt> = {};
    const messageIds = record.outcome.kind === 'sending' ? partsOf.all(record.id).map((row) => row.message_id) : partMessageIds(record.outcome);
    for (const messageId of messageIds) {
      const row = selectReceipt.get(messageId);
      if (row) receipts[messageId] = JSON.parse(row.receipt) as Receipt;
    }
    return { ...record, receipts };
  };

  return {
    add: (record) => writes.write(() => add(record)),
    // Committed before it answers, so before the provider is called.
    reserve: (reservation) => writes.write(() => reserve(reservation)),
    complete: (record, extras = {}) => writes.write(() => complete(record, extras)),
    async get(id, account) {
      const row = selectRecord.get(id, account);
      return row ? withReceipts(row.record) : undefined;
    },
    async list(account, page) {
      const rows = selectPage.all(account, page.limit, page.offset);
      return { total: countRecords.get(account)?.n ?? 0, records: rows.map((row) => withReceipts(row.record)) };
    },
    applyReceipt: async (receipt) => ({ known: await writes.write(() => receive(receipt)) }),
  };
}

/** Receipts whose send never arrived are dropped after ORPHAN_RECEIPT_TTL_MS. */
export function orphanReceiptsPruner(db: Database.Database): (now: number) => void {
  const orphans = db.prepare<[number]>('DELETE FROM receipts WHERE kept_at < ? AND message_id NOT IN (SELECT message_id FROM message_parts)');
  return (now) => {
    orphans.run(now - ORPHAN_RECEIPT_TTL_MS);
  };
}
