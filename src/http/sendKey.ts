// One-time send keys: every rendered SMS form carries a fresh one, beside the CSRF token. The
// key's random half becomes the send's id, so the first POST with a key reserves that id in
// the store and every later POST with it (a double click, Back and resend, a retry on another
// instance) finds the send already there. The other half binds the key to the session: an
// HMAC keyed by the session's CSRF token, so issuing a key writes nothing, and a key from
// another session, or made up, does not check out.
import { createHmac } from 'node:crypto';
import type { Request } from 'express';

import { randomToken } from '../lib/randomPool.js';
import { safeEqualOfKnownLength } from '../lib/safeEqual.js';
import { csrfToken } from './csrf.js';

/** Field name of the send key in the SMS form. */
export const SEND_KEY_FIELD = 'sendKey';

const ID = /^[A-Za-z0-9_-]{22}$/;

function binding(secret: string, id: string): string {
  return createHmac('sha256', secret).update(`send-key:${id}`).digest('base64url');
}

/** A fresh key for one rendered form (its id: 16 random bytes, the shape of a send's id). */
export function newSendKey(req: Request): string {
  const id = randomToken(16);
  return `${id}.${binding(csrfToken(req), id)}`;
}

/** The send id a posted key names, when the key was issued to this session; else undefined. */
export function sendIdOf(req: Request, given: unknown): string | undefined {
  const secret = req.session?.csrfToken;
  if (typeof secret !== 'string' || typeof given !== 'string') return undefined;
  const [id, mac, ...rest] = given.split('.');
  if (rest.length > 0 || id === undefined || mac === undefined || !ID.test(id)) return undefined;
  // Every binding is an HMAC-SHA256 in base64url: 43 characters, which says nothing.
  return safeEqualOfKnownLength(mac, binding(secret, id)) ? id : undefined;
}
