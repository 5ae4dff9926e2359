import type { SendOutcome } from '../nexmo/types.js';
import type { ValidSms } from '../nexmo/smsFormValidation.js';
import type { Receipt } from '../nexmo/receipts.js';

/** One press of "Send": what was asked, what Nexmo answered, and the receipts since. */
export interface SendRecord {
  id: string;
  /** The connection that sent it; only that connection may see it. */
  ownerId: string;
  createdAt: number;
  request: ValidSms;
  outcome: SendOutcome;
  /** Latest receipt per message-id. */
  receipts: Record<string, Receipt>;
}

export interface MessageLog {
  add(record: SendRecord): void;
  /** The record, if it exists and belongs to `ownerId`. */
  get(id: string, ownerId: string): SendRecord | undefined;
  /** Attaches a receipt to the send holding its message-id; false when no send holds it. */
  applyReceipt(receipt: Receipt): boolean;
}

/**
 * Keeps the newest sends in memory. Bounded, so a busy demo can't grow it without limit; the
 * oldest go first. Lost on restart, like the in-memory sessions that own them.
 */
export function createMemoryMessageLog(capacity = 1000): MessageLog {
  const byId = new Map<string, SendRecord>();
  const idByMessageId = new Map<string, string>();

  const forget = (record: SendRecord) => {
    byId.delete(record.id);
    for (const messageId of messageIds(record)) idByMessageId.delete(messageId);
  };

  return {
    add(record) {
      byId.set(record.id, record);
      for (const messageId of messageIds(record)) idByMessageId.set(messageId, record.id);
      while (byId.size > capacity) {
        const oldest = byId.values().next().value;
        if (oldest) forget(oldest);
      }
    },
    get(id, ownerId) {
      const record = byId.get(id);
      return record && record.ownerId === ownerId ? record : undefined;
    },
    applyReceipt(receipt) {
      const id = idByMessageId.get(receipt.messageId);
      const record = id === undefined ? undefined : byId.get(id);
      if (!record) return false;
      record.receipts[receipt.messageId] = receipt;
      return true;
    },
  };
}

function messageIds(record: SendRecord): string[] {
  if (!('parts' in record.outcome)) return [];
  return record.outcome.parts.flatMap((part) => (part.messageId ? [part.messageId] : []));
}
