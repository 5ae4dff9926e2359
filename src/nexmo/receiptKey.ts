import { randomBytes } from 'node:crypto';

/**
 * Nexmo signs delivery receipts only for accounts that asked for it (NEXMO_SIGNATURE_SECRET), so
 * the URL handed to it always carries a random key too: only Nexmo (who was given the URL) can
 * post receipts the app will believe. It is generated once and
 * kept in the store (or set as RECEIPT_KEY), independent of SESSION_SECRET, so rotating the
 * session secret never breaks receipts for messages in flight.
 */
export function newReceiptKey(): string {
  return randomBytes(24).toString('base64url');
}
