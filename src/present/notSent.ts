// Why a send did not go out, in a few words and in a sentence: the history's "Not sent: …" and
// the message page's headline share them.

import type { FailureReason } from '../nexmo/types.js';
import type { RecordOutcome } from '../store/types.js';
import { describeSmsStatus } from './smsStatus.js';

const FAILED_REASONS: Readonly<Record<FailureReason, string>> = {
  'server-error': 'Nexmo had a problem',
  'bad-reply': 'Nexmo’s answer could not be read',
  network: 'Nexmo could not be reached',
  redirect: 'Nexmo redirected the request',
};

export const FAILED_MESSAGES: Readonly<Record<FailureReason, string>> = {
  'server-error': 'Nexmo had a problem of its own and did not send the message.',
  'bad-reply': 'Nexmo answered with something the app could not read, so the message is treated as not sent.',
  network: 'The app could not reach Nexmo, so the message was not sent.',
  redirect: 'Nexmo answered with a redirect. The app never re-sends a signed request to another address, so the message was not sent.',
};

/** Why nothing went out, in a few words (after "Not sent: "). */
export function notSentReason(outcome: RecordOutcome): string {
  switch (outcome.kind) {
    case 'sent':
    case 'partial':
    case 'unknown':
    case 'sending':
    case 'interrupted':
      throw new Error(`a ${outcome.kind} send may have gone out`);
    case 'rejected': {
      const first = outcome.parts[0];
      return first ? lowerFirst(describeSmsStatus(first.status).title) : 'refused';
    }
    case 'throttled':
      return 'too many messages at once';
    case 'unauthorized':
      return 'connection no longer valid';
    case 'refused':
      return 'Nexmo refused the signed request';
    case 'failed':
      return FAILED_REASONS[outcome.reason];
  }
}

/** "Phone unreachable" → "phone unreachable" after a colon; names keep their capital. */
export function lowerFirst(title: string): string {
  return /^(Nexmo|SMS)\b/.test(title) ? title : title.charAt(0).toLowerCase() + title.slice(1);
}
