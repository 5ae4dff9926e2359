/**
 * Signs delivery receipts the way Nexmo (Vonage) does for accounts that turn signing on: it adds
 * `timestamp` (Unix seconds) and `nonce`, then `sig` over every other field, sorted by name and
 * written `&name=value` (an `&` or `=` inside a value becomes `_`): an MD5 of that text followed
 * by the secret (`md5hash`), or an HMAC keyed with the secret (`md5`, `sha1`, `sha256`,
 * `sha512`). HMAC signatures are written in upper-case hex, as Vonage's own are.
 *
 * The sandbox's own code: the app that receives these checks them with its own, so each is a
 * test of the other.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';

export const RECEIPT_SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;
export type ReceiptSignatureMethod = (typeof RECEIPT_SIGNATURE_METHODS)[number];

export interface ReceiptSignature {
  secret: string;
  method: ReceiptSignatureMethod;
}

/** `fields` with `timestamp`, `nonce` and `sig` added, signed at `nowMs`. */
export function signReceipt(fields: Readonly<Record<string, string>>, signature: ReceiptSignature, nowMs: number): Record<string, string> {
  const signed: Record<string, string> = { ...fields, timestamp: String(Math.floor(nowMs / 1000)), nonce: randomUUID() };
  delete signed['sig'];
  signed['sig'] = receiptSig(signed, signature);
  return signed;
}

/** The `sig` of `fields` (any `sig` among them left out). */
export function receiptSig(fields: Readonly<Record<string, string>>, signature: ReceiptSignature): string {
  let text = '';
  for (const name of Object.keys(fields).sort()) {
    if (name === 'sig') continue;
    text += `&${name}=${(fields[name] ?? '').replace(/&/g, '_').replace(/=/g, '_')}`;
  }
  if (signature.method === 'md5hash') return createHash('md5').update(text + signature.secret, 'utf8').digest('hex');
  return createHmac(signature.method, signature.secret).update(text, 'utf8').digest('hex').toUpperCase();
}
