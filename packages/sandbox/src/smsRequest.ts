/**
 * Reads and validates the fields of a Nexmo `/sms/json` call, answering with Nexmo's own
 * status codes (see nexmo-api.md). Only the fields the sandbox acts on are checked; unknown
 * fields are ignored, as Nexmo does.
 */
import type { Request } from 'express';
import type { SignedRequest } from './signedRequest.js';

export interface SmsRequest {
  from: string;
  to: string;
  text: string;
  type: 'text' | 'unicode';
  clientRef: string | undefined;
  /** Where to send delivery receipts, when asked for (`status-report-req` not 0/false). */
  receiptUrl: string | undefined;
}

export interface SmsRefusal {
  status: string;
  errorText: string;
}

export type SmsParse = { ok: true; sms: SmsRequest } | { ok: false; refusal: SmsRefusal };

export const MAX_TEXT_CHARS = 3200;

const refuse = (status: string, errorText: string): SmsParse => ({ ok: false, refusal: { status, errorText } });

/**
 * Fields may come from the query, a form body or a JSON body. A JSON body is not covered by the
 * OAuth signature (RFC 5849 signs form bodies only), which is how Nexmo's JSON API behaved too.
 */
export function readSms(req: Request, collected: SignedRequest): SmsParse {
  const fields = new Map<string, string>();
  const repeated = new Set<string>();
  const add = (name: string, value: string): void => {
    if (name.startsWith('oauth_')) return;
    if (fields.has(name)) repeated.add(name);
    fields.set(name, value);
  };
  for (const [name, value] of collected.queryParams) add(name, value);
  for (const [name, value] of collected.formParams) add(name, value);
  if (req.is('application/json')) {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return refuse('3', 'Invalid parameters: the JSON body must be an object');
    }
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string') add(name, value);
      else if (typeof value === 'number' || typeof value === 'boolean') add(name, String(value));
      else return refuse('3', `Invalid ${name} param`);
    }
  }
  // One value per field: guessing which of two recipients was meant is not an option.
  if (repeated.size > 0) return refuse('3', `Invalid parameters: ${[...repeated].join(', ')} given more than once`);
  return validate(fields);
}

function validate(fields: Map<string, string>): SmsParse {
  for (const name of ['from', 'to', 'text']) {
    if (!fields.get(name)) return refuse('2', `Missing ${name} param`);
  }
  const from = fields.get('from') as string;
  const to = fields.get('to') as string;
  const text = fields.get('text') as string;

  const type = fields.get('type') ?? 'text';
  if (type !== 'text' && type !== 'unicode') return refuse('3', 'Invalid type param');
  if (!/^\d{7,15}$/.test(to)) return refuse('3', 'Invalid to param');

  const clientRef = fields.get('client-ref');
  if (clientRef !== undefined && clientRef.length > 40) return refuse('3', 'Invalid client-ref param');
  const ttl = fields.get('ttl');
  if (ttl !== undefined && !(/^\d+$/.test(ttl) && Number(ttl) >= 20_000 && Number(ttl) <= 604_800_000)) {
    return refuse('3', 'Invalid ttl param');
  }
  const receipt = fields.get('status-report-req');
  if (receipt !== undefined && !['0', '1', 'true', 'false'].includes(receipt)) {
    return refuse('3', 'Invalid status-report-req param');
  }
  const callback = fields.get('callback');
  if (callback !== undefined && !isHttpUrl(callback)) return refuse('23', 'Invalid callback url');

  if (!isValidSender(from)) return refuse('15', 'Invalid sender address');
  // Counted in characters (code points), the unit Nexmo documents for the limit.
  if ([...text].length > MAX_TEXT_CHARS) return refuse('12', 'Message too long');

  const wantsReceipt = receipt === undefined || receipt === '1' || receipt === 'true';
  const receiptUrl = callback !== undefined && wantsReceipt ? callback : undefined;
  return { ok: true, sms: { from, to, text, type, clientRef, receiptUrl } };
}

/** An alphanumeric sender ID of at most 11 characters (spaces ignored), or up to 15 digits. */
export function isValidSender(from: string): boolean {
  const compact = from.replace(/ /g, '');
  return /^\d{1,15}$/.test(compact) || /^[A-Za-z0-9]{1,11}$/.test(compact);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
