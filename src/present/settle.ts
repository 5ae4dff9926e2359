// How a stored send is read at a given moment. A record is `sending` from its reservation until
// the provider's reply completes it; one still `sending` after the call timeout will never get
// that reply (the app stopped while sending). Receipts that named it by client-ref show it went out.

import { sumPrices } from '../nexmo/money.js';
import type { SentPart } from '../nexmo/types.js';
import type { SendRecord } from '../store/types.js';

export interface SettleRule {
  now: number;
  /** OAUTH_TIMEOUT_MS and a margin: no reply comes for a send reserved longer ago than this. */
  replyDueMs: number;
}

export function settleRecord(record: SendRecord, rule: SettleRule): SendRecord {
  if (record.outcome.kind !== 'sending') return record;
  const receipts = Object.values(record.receipts);
  if (receipts.length > 0) {
    // A receipt proves Nexmo accepted that part: what the app would have read in the reply.
    const parts: SentPart[] = receipts.map((receipt, index) => ({ index, status: 0, messageId: receipt.messageId, price: receipt.price }));
    return { ...record, outcome: { kind: 'sent', parts, totalPrice: sumPrices(parts.map((part) => part.price)), messageCount: parts.length } };
  }
  if (rule.now - record.createdAt > rule.replyDueMs) return { ...record, outcome: { kind: 'interrupted' } };
  return record;
}
