// In-process stores, for unit and HTTP tests only: nothing survives a restart, and nothing is
// shared with another instance. Every method is async like the real backends'.

import { createMemoryStorage } from '@nexmo-oauth/sandbox';
import { MemoryStore as RateLimitMemoryStore } from 'express-rate-limit';
import session from 'express-session';

import { isFinalStatus, type Receipt } from '../nexmo/receipts.js';
import { createMemoryPendingLogins } from './memoryPendingLogins.js';
import { partMessageIds } from './records.js';
import { ORPHAN_RECEIPT_TTL_MS, type AppRecords, type AppStores, type MessageStore, type SendRecord, type SettingsStore } from './types.js';

export function createMemoryMessages(now: () => number = Date.now): MessageStore {
  const sends = new Map<string, Omit<SendRecord, 'receipts'>>();
  const recordOf = new Map<string, string>();
  const receipts = new Map<string, { receipt: Receipt; keptAt: number }>();
  // The send counters: one process's, checked and counted in one synchronous step.
  const counters = new Map<string, { used: number; resetAt: number }>();
  // Each repeat key's latest send: its id and when it was made.
  const recent = new Map<string, { id: string; at: number; until: number }>();

  const withReceipts = (record: Omit<SendRecord, 'receipts'>): SendRecord => {
    const found: Record<string, Receipt> = {};
    const messageIds = record.outcome.kind === 'sending' ? [...recordOf].filter(([, id]) => id === record.id).map(([messageId]) => messageId) : partMessageIds(record.outcome);
    for (const messageId of messageIds) {
      const kept = receipts.get(messageId);
      if (kept) found[messageId] = kept.receipt;
    }
    return { ...record, receipts: found };
  };

  return {
    async add(record) {
      sends.set(record.id, structuredClone(record));
      for (const messageId of partMessageIds(record.outcome)) recordOf.set(messageId, record.id);
    },
    async reserve({ record, counters: wanted, repeat }) {
      // No await between the checks and the writes: nothing else runs in between.
      const existing = sends.get(record.id);
      if (existing) return { kind: 'duplicate', account: existing.account };
      const at = record.createdAt;
      const earlier = repeat && recent.get(repeat.key);
      if (earlier && earlier.until > at && earlier.id !== repeat.again) return { kind: 'repeat', of: earlier.id, at: earlier.at };
      const live = wanted.map((c) => {
        const kept = counters.get(c.key);
        return kept && kept.resetAt > at ? kept : undefined;
      });
      for (const [index, c] of wanted.entries()) {
        const used = live[index]?.used ?? 0;
        if (used + c.amount > c.limit) return { kind: 'refused', index, used, resetAt: live[index]?.resetAt ?? at + c.windowMs };
      }
      for (const [index, c] of wanted.entries()) {
        const kept = live[index];
        counters.set(c.key, kept ? { used: kept.used + c.amount, resetAt: kept.resetAt } : { used: c.amount, resetAt: at + c.windowMs });
      }
      if (repeat) {
        // Tidied as it grows: only keys still within their window can answer `repeat`.
        if (recent.size >= 1000) for (const [key, kept] of recent) if (kept.until <= at) recent.delete(key);
        recent.set(repeat.key, { id: record.id, at, until: at + repeat.windowMs });
      }
      sends.set(record.id, structuredClone({ ...record, outcome: { kind: 'sending' } }));
      return { kind: 'reserved' };
    },
    async complete(record, extras = {}) {
      sends.set(record.id, structuredClone(record));
      for (const messageId of partMessageIds(record.outcome)) recordOf.set(messageId, record.id);
      const { release } = extras;
      for (const c of release?.counters ?? []) {
        const kept = counters.get(c.key);
        // Only from the window it was counted in: a window that started since never held it.
        if (kept && kept.resetAt > record.createdAt && kept.resetAt - c.windowMs <= record.createdAt) kept.used = Math.max(0, kept.used - c.amount);
      }
      if (release?.repeatKey !== undefined && recent.get(release.repeatKey)?.id === record.id) recent.delete(release.repeatKey);
    },
    async get(id, account) {
      const record = sends.get(id);
      return record && record.account === account ? withReceipts(structuredClone(record)) : undefined;
    },
    async list(account, page) {
      // Newest first; of two in the same millisecond, the one stored later (the sort is stable).
      const mine = [...sends.values()].filter((r) => r.account === account).reverse().sort((a, b) => b.createdAt - a.createdAt);
      return { total: mine.length, records: mine.slice(page.offset, page.offset + page.limit).map((r) => withReceipts(structuredClone(r))) };
    },
    async applyReceipt(receipt) {
      for (const [messageId, kept] of receipts) {
        if (!recordOf.has(messageId) && now() - kept.keptAt > ORPHAN_RECEIPT_TTL_MS) receipts.delete(messageId);
      }
      if (receipt.clientRef !== undefined && sends.has(receipt.clientRef)) recordOf.set(receipt.messageId, receipt.clientRef);
      const stored = receipts.get(receipt.messageId)?.receipt;
      if (!(stored && isFinalStatus(stored.status) && !isFinalStatus(receipt.status))) {
        receipts.set(receipt.messageId, { receipt: { ...receipt }, keptAt: now() });
      }
      return { known: recordOf.has(receipt.messageId) };
    },
  };
}

export function createMemorySettings(): SettingsStore {
  const values = new Map<string, string>();
  return {
    async getOrCreate(name, create) {
      if (!values.has(name)) values.set(name, create());
      return values.get(name) as string;
    },
  };
}

export function createMemoryStores(now: () => number = Date.now): AppStores {
  // express-rate-limit's own store: one per limiter, counting for this process only.
  const limiterStores: RateLimitMemoryStore[] = [];
  const records = createMemoryStorage({ now });
  return {
    kind: 'memory',
    sessions: new session.MemoryStore(),
    pendingLogins: createMemoryPendingLogins(now),
    messages: createMemoryMessages(now),
    settings: createMemorySettings(),
    ping: async () => {},
    sandbox: createMemoryStorage({ now }),
    records,
    rateLimitStore: () => {
      const store = new RateLimitMemoryStore();
      limiterStores.push(store);
      return store;
    },
    close: async () => {
      for (const store of limiterStores) store.shutdown();
    },
  };
}
