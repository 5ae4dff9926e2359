// Delivery receipts as Nexmo sends them (GET query, POST form or POST JSON), checked field by
// field. Anything malformed is refused rather than stored half-read.

export const DELIVERY_STATUSES = [
  'accepted', 'delivered', 'buffered', 'expired', 'failed', 'rejected', 'unknown',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export function isDeliveryStatus(value: string): value is DeliveryStatus {
  return (DELIVERY_STATUSES as readonly string[]).includes(value);
}

/** No later receipt for the part is expected to change the outcome. */
export function isFinalStatus(status: DeliveryStatus): boolean {
  return status !== 'accepted' && status !== 'buffered';
}

export interface Receipt {
  messageId: string;
  status: DeliveryStatus;
  errCode: number;
  msisdn?: string;
  price?: string;
  networkCode?: string;
  clientRef?: string;
  /**
   * When the status changed, ISO 8601: the carrier's time (scts, to the minute), else Nexmo's
   * message-timestamp, else when the receipt arrived.
   */
  at: string;
  /**
   * When the receipt arrived, ISO 8601: Nexmo's message-timestamp (when it pushed the receipt),
   * else the app's clock. Absent on receipts stored before the carrier's time was read.
   */
  arrivedAt?: string;
  /**
   * Where `at` was read: the carrier's `scts` (known to the minute only), Nexmo's
   * `message-timestamp` or the app's clock (`received`), both to the second. Absent on receipts
   * stored before it was kept.
   */
  atSource?: ReceiptTimeSource;
}

export type ReceiptTimeSource = 'scts' | 'message-timestamp' | 'received';

export type ReceiptParse = { ok: true; receipt: Receipt } | { ok: false; problem: string };

const MESSAGE_ID = /^[A-Za-z0-9-]{1,64}$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** The carrier's time: YYMMDDHHMM, UTC, of this century. */
const SCTS = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

export function parseReceipt(fields: unknown, receivedAt: Date): ReceiptParse {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return { ok: false, problem: 'no receipt fields' };
  const read = (name: string): string | undefined => {
    const value = (fields as Record<string, unknown>)[name];
    if (typeof value === 'number') return String(value);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  const messageId = read('messageId');
  if (!messageId || !MESSAGE_ID.test(messageId)) return { ok: false, problem: 'messageId is missing or malformed' };
  const status = read('status');
  if (!status || !isDeliveryStatus(status)) return { ok: false, problem: 'status is missing or unknown' };
  const errCodeRaw = read('err-code') ?? '0';
  if (!/^\d{1,3}$/.test(errCodeRaw)) return { ok: false, problem: 'err-code is not a number' };

  // A malformed time is not a reason to lose the receipt: the next source of the time stands in.
  const pushedAt = timestamp(read('message-timestamp'));
  const arrivedAt = pushedAt ?? receivedAt.toISOString();
  const changedAt = carrierTime(read('scts'));
  const atSource: ReceiptTimeSource = changedAt !== undefined ? 'scts' : pushedAt !== undefined ? 'message-timestamp' : 'received';
  const receipt: Receipt = { messageId, status, errCode: Number(errCodeRaw), at: changedAt ?? arrivedAt, arrivedAt, atSource };
  const optional = { msisdn: 'msisdn', price: 'price', networkCode: 'network-code', clientRef: 'client-ref' } as const;
  for (const [key, field] of Object.entries(optional) as [keyof typeof optional, string][]) {
    const value = read(field);
    if (value !== undefined) receipt[key] = value.slice(0, 64);
  }
  return { ok: true, receipt };
}

function timestamp(raw: string | undefined): string | undefined {
  const match = raw ? TIMESTAMP.exec(raw) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return utc(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

function carrierTime(raw: string | undefined): string | undefined {
  const match = raw ? SCTS.exec(raw) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match;
  return utc(`20${y}-${mo}-${d}T${h}:${mi}:00Z`);
}

/** The ISO form of a UTC date-time, or undefined when it names no real moment (a 31 February). */
function utc(text: string): string | undefined {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  // Date rolls 2026-02-31 over into March; a carrier's calendar does not.
  return iso.slice(0, 16) === text.slice(0, 16) ? iso : undefined;
}
