// A send is money: the same text to the same number from the same browser, a few minutes after
// the last, is far more often a form the browser refilled (Back, then Send) than a second
// message meant. Chromium fetches a no-store form again after Back and refills its fields, so
// the form is new and its send key too: only the content tells. Such a send is not made; the
// person is shown the earlier one and offered "Send it again", a form whose key names that
// send, so repeating on purpose is one deliberate click.
import { createHash } from 'node:crypto';

import type { RecordOutcome } from '../store/types.js';

/** How long after a send the same text to the same number counts as a repeat. */
export const REPEAT_WINDOW_MS = 10 * 60_000;

/**
 * Names a send's content for one browser on one account: a hash, so the store keeps no second
 * copy of the number or the text under this key.
 */
export function repeatKeyOf(account: string, browser: string, request: { to: string; text: string }): string {
  return createHash('sha256').update(`${account}\n${browser}\n${request.to}\n${request.text}`).digest('base64url');
}

/**
 * The provider refused the send outright, so nothing went to anyone and nothing was charged:
 * rejected parts (a refused number, no credit), throttling, a token or a signature refused.
 * A send that may have gone out (no answer, a 5xx, a partial send) is not among them.
 */
export function reachedNobody(outcome: RecordOutcome): boolean {
  return outcome.kind === 'rejected' || outcome.kind === 'throttled' || outcome.kind === 'unauthorized' || outcome.kind === 'refused';
}
