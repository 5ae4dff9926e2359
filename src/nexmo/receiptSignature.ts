// Signed delivery receipts. When an account turns signing on, Nexmo (Vonage) adds `timestamp`,
// `nonce` and `sig` to every receipt. The signature is Vonage's own scheme, as its SDK checks it
// (@vonage/sms verifySignature): every field but `sig`, sorted by name, each written `&name=value`
// with any `&` or `=` in the value turned into `_`; then an MD5 of that text followed by the
// secret (md5hash), or an HMAC of it keyed with the secret (md5, sha1, sha256, sha512), in hex.

import { createHash, createHmac } from 'node:crypto';

import type { ReceiptSigning } from '../config/configTypes.js';
import { safeEqual } from '../lib/safeEqual.js';

export { SIGNATURE_METHODS, type ReceiptSignatureMethod, type ReceiptSigning } from '../config/configTypes.js';

/** How far a receipt's `timestamp` may be from this server's clock, either way. */
export const MAX_RECEIPT_SKEW_MS = 5 * 60 * 1000;

const HEX_SIGNATURE = /^[0-9A-Fa-f]{32,128}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

/** The text Vonage signs: `&name=value` per field but `sig`, sorted by name. */
export function signedText(fields: Readonly<Record<string, string>>): string {
  return Object.keys(fields)
    .filter((name) => name !== 'sig')
    .sort()
    .map((name) => `&${name}=${fields[name]!.replace(/[&=]/g, '_')}`)
    .join('');
}

/** The expected signature of `fields`, lower-case hex. */
export function expectedSignature(fields: Readonly<Record<string, string>>, signing: ReceiptSigning): string {
  const text = signedText(fields);
  if (signing.method === 'md5hash') return createHash('md5').update(text + signing.secret).digest('hex');
  return createHmac(signing.method, signing.secret).update(text).digest('hex');
}

export type SignatureCheck = { ok: true } | { ok: false; problem: string };

/**
 * Whether a receipt's fields (a GET query, a form or a JSON body) carry a valid signature made
 * within MAX_RECEIPT_SKEW_MS of `nowMs`. The problem names what is wrong, never the secret or
 * the expected signature. Vonage writes HMAC signatures in upper-case hex and its SDK compares
 * without regard to case, so this does too (both sides lower-cased, then compared in constant time).
 */
export function checkReceiptSignature(raw: unknown, signing: ReceiptSigning, nowMs: number): SignatureCheck {
  const fields = textFields(raw);
  if (!fields) return { ok: false, problem: 'the receipt’s fields are not all single text values, so its signature cannot be checked' };
  const sig = fields.sig;
  if (sig === undefined || sig === '') return { ok: false, problem: 'it is not signed (no sig), and signed receipts are required' };
  if (!HEX_SIGNATURE.test(sig)) return { ok: false, problem: 'sig is not a hexadecimal signature' };
  const timestamp = fields.timestamp;
  if (timestamp === undefined || !UNIX_SECONDS.test(timestamp)) return { ok: false, problem: 'timestamp is missing or not a number of seconds' };
  if (!safeEqual(sig.toLowerCase(), expectedSignature(fields, signing))) return { ok: false, problem: 'the signature does not match (a changed field, or another signature secret or method)' };
  const skewS = Math.round((Number(timestamp) * 1000 - nowMs) / 1000);
  if (Math.abs(skewS) * 1000 > MAX_RECEIPT_SKEW_MS) {
    return { ok: false, problem: `timestamp is ${Math.abs(skewS)} s ${skewS < 0 ? 'behind' : 'ahead of'} this server’s clock (at most ${MAX_RECEIPT_SKEW_MS / 1000} s is accepted)` };
  }
  return { ok: true };
}

/** Every field as text (JSON numbers as written), or undefined when one is a list or an object. */
function textFields(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string') fields[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) fields[name] = String(value);
    else return undefined;
  }
  return fields;
}
