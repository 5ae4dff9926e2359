// Delivery receipts as Nexmo sends them (GET query, POST form or POST JSON), checked field by
// field. Anything malformed is refused rather than stored half-read.

/**
 * Where the app asks Nexmo to send them: the webhooks router's mount point and the receipt
 * route below it (the receipt key follows as the last segment). Here rather than in the route,
 * so the access log (which hides the key) and the composition share it without importing a route.
 */
export const WEBHOOKS_PREFIX = '/webhooks';
export const RECEIPT_ROUTE = '/delivery-receipt';
export const RECEIPT_PATH = `${WEBHOOKS_PREFIX}${RECEIPT_ROUTE}`;

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
  /** When Nexmo says the status changed, ISO 8601 (from message-timestamp), else when it arrived. */
  at: string;
}

export type ReceiptParse = { ok: true; receipt: Receipt } | { ok: false; problem: string };

const MESSAGE_ID = /^[A-Za-z0-9-]{1,64}$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

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

  const receipt: Receipt = { messageId, status, errCode: Number(errCodeRaw), at: timestamp(read('message-timestamp')) ?? receivedAt.toISOString() };
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
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
