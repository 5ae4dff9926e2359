// Words for a limit that was reached: what the limit is, that nothing was done, and when to
// try again. Shown on the form, on a page, or in a JSON error.
import type { LimitRefusal } from '../limits/refusal.js';
import type { PageWords } from './pageWords.js';
import { plural } from './plural.js';


/** "Try again in 42 seconds." Rounded up, so it never says to come back too early. */
export function tryAgainIn(seconds: number): string {
  // Up to a minute and a half in seconds: "1 minute" for 61 seconds would be too early.
  if (seconds <= 90) return `Try again in ${plural(seconds, 'second')}.`;
  if (seconds < 3600) return `Try again in ${plural(Math.ceil(seconds / 60), 'minute')}.`;
  return `Try again in ${plural(Math.ceil(seconds / 3600), 'hour')}.`;
}

/** The limit in a sentence. */
function whatLimits(err: LimitRefusal): string {
  switch (err.kind) {
    case 'sends-per-account':
      return `This app sends at most ${plural(err.limit, 'message')} a minute from one Nexmo account.`;
    case 'sends-per-address':
      return `This app sends at most ${plural(err.limit, 'message')} a minute from one network address.`;
    case 'sends-per-number':
      return err.number === undefined
        ? `This app sends at most ${plural(err.limit, 'message')} an hour to one phone number (LIMIT_SMS_PER_NUMBER_PER_HOUR).`
        : `This number, +${err.number}, has had ${plural(err.limit, 'message')} in the last hour, the most this app sends to one phone number (LIMIT_SMS_PER_NUMBER_PER_HOUR).`;
    case 'parts-per-account': {
      const used = err.parts?.used ?? err.limit;
      const needed = err.parts?.needed ?? 1;
      return `This account has sent ${used} of the ${plural(err.limit, 'SMS part')} this app allows in a day, and this message needs ${needed}.`;
    }
    case 'logins-per-address':
      return `This app starts at most ${plural(err.limit, 'connection')} with Nexmo a minute from one network address.`;
  }
}

/** For the send form, above the fields the user typed. */
export function limitNotice(err: LimitRefusal): { title: string; message: string } {
  const shorter = err.kind === 'parts-per-account' ? ' A shorter message may still fit.' : '';
  return { title: 'Not sent: too many messages for now', message: `${whatLimits(err)} Nothing was sent. ${tryAgainIn(err.retryAfterSeconds)}${shorter}` };
}

/** A page (or JSON) of its own: for a refused login start, or a script that posted the form. */
export function limitPage(err: LimitRefusal): PageWords {
  if (err.kind === 'logins-per-address') {
    return {
      title: 'Too many connection attempts',
      message: `${whatLimits(err)} Nothing was started. ${tryAgainIn(err.retryAfterSeconds)}`,
      action: { href: '/', label: 'Back to the start' },
    };
  }
  return { ...limitNotice(err), action: { href: '/sms', label: 'Back to the form' } };
}
