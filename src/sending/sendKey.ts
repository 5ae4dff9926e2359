// One-time send keys: every rendered SMS form carries a fresh one, beside the CSRF token. The
// key's random half becomes the send's id, so the first POST with a key reserves that id in
// the store and every later POST with it (a double click, Back and resend, a retry on another
// instance) finds the send already there. The other half binds the key to the session: an
// HMAC keyed by the session's CSRF token, so issuing a key writes nothing, and a key from
// another session, or made up, does not check out. The "Send it again" form's key also names
// the send it deliberately repeats (see repeats.ts), under the same HMAC. `secret` is the
// session's CSRF token.
import { createHmac } from 'node:crypto';

import { randomToken } from '../lib/randomPool.js';
import { safeEqualOfKnownLength } from '../lib/safeEqual.js';
import { SEND_ID } from '../lib/sendId.js';

/** Field name of the send key in the SMS form. */
export const SEND_KEY_FIELD = 'sendKey';

function binding(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`send-key:${payload}`).digest('base64url');
}

export interface SendKey {
  /** The send's id, and its `client-ref`. */
  id: string;
  /** The send this form deliberately repeats ("Send it again"), if it is such a form. */
  again?: string;
}

/** A fresh key for one rendered form: `<id>.<mac>`, or `<id>.<again>.<mac>` for "Send it again". */
export function newSendKey(secret: string, again?: string): SendKey & { value: string } {
  const id = randomToken(16);
  const payload = again === undefined ? id : `${id}.${again}`;
  return { id, again, value: `${payload}.${binding(secret, payload)}` };
}

/** What a posted key names, when it was issued under `secret` (this session's); else undefined. */
export function sendKeyOf(secret: string | undefined, given: unknown): SendKey | undefined {
  if (typeof secret !== 'string' || typeof given !== 'string' || given.length > 120) return undefined;
  const parts = given.split('.');
  if (parts.length !== 2 && parts.length !== 3) return undefined;
  const mac = parts.pop() as string;
  if (!parts.every((id) => SEND_ID.test(id))) return undefined;
  // Every binding is an HMAC-SHA256 in base64url: 43 characters, which says nothing.
  if (!safeEqualOfKnownLength(mac, binding(secret, parts.join('.')))) return undefined;
  const [id, again] = parts as [string, string | undefined];
  return again === undefined ? { id } : { id, again };
}
