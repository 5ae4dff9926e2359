// Nexmo's JSON replies, read strictly: anything not in the documented shape is rejected as a
// whole, so a half-understood reply never reads as "sent".

import type { BalanceOutcome, ReplyEntry } from './types.js';

/**
 * The reply, or null when it isn't the documented shape. An empty `messages` list counts as
 * the wrong shape: Nexmo always answers with at least one entry, so it says nothing about
 * whether the message went out.
 */
export function parseSmsReply(body: string): { messageCount: number; messages: ReplyEntry[] } | null {
  const json = parseJson(body);
  if (!isRecord(json) || !Array.isArray(json.messages) || json.messages.length === 0) return null;

  const messages: ReplyEntry[] = [];
  for (const raw of json.messages as unknown[]) {
    const entry = parseEntry(raw);
    if (!entry) return null;
    messages.push(entry);
  }

  const count = json['message-count'] === undefined ? messages.length : toCount(json['message-count']);
  if (count === null) return null;
  return { messageCount: count, messages };
}

function parseEntry(raw: unknown): ReplyEntry | null {
  if (!isRecord(raw)) return null;
  const status = toCount(raw.status);
  if (status === null) return null;
  const entry: ReplyEntry = { status };

  const strings = { messageId: 'message-id', network: 'network', to: 'to' } as const;
  for (const [key, field] of Object.entries(strings) as [keyof typeof strings, string][]) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') return null;
    entry[key] = value;
  }

  const amounts = { price: 'message-price', remainingBalance: 'remaining-balance' } as const;
  for (const [key, field] of Object.entries(amounts) as [keyof typeof amounts, string][]) {
    const value = raw[field];
    if (value === undefined) continue;
    const amount = toAmount(value);
    if (amount === null) return null;
    entry[key] = amount;
  }
  return entry;
}

export function parseBalance(body: string): BalanceOutcome | null {
  const json = parseJson(body);
  if (!isRecord(json)) return null;
  const value = toAmount(json.value);
  if (value === null) return null;
  const autoReload = json.autoReload ?? false;
  if (typeof autoReload !== 'boolean') return null;
  return { kind: 'ok', value, autoReload };
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** Nexmo writes amounts as decimal strings; a plain JSON number is accepted and written the same way. */
function toAmount(value: unknown): string | null {
  if (typeof value === 'string') return DECIMAL.test(value) ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const fixed = value.toFixed(8);
    // toFixed switches to exponent notation for huge values; those are not prices.
    return DECIMAL.test(fixed) ? fixed : null;
  }
  return null;
}

/** A non-negative integer given as a number or a string of digits. */
function toCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return null;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
