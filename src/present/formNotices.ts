// What the SMS form says when it is drawn again because the same text went to the same number a
// moment ago (see sending/repeats.ts).

import { formatMoment, type Moment } from './dates.js';

/** The form drawn after a repeat: the earlier send, when, and to whom. */
export interface RepeatNotice {
  /** The earlier send's page. */
  href: string;
  at: Moment;
  /** The recipient as people write it, with its country. */
  to: string;
}

export function repeatNotice(id: string, createdAt: number, to: string): RepeatNotice {
  return { href: `/messages/${encodeURIComponent(id)}`, at: formatMoment(createdAt), to };
}

/** The same, for a script (JSON): the earlier send and the way to repeat it on purpose. */
export function repeatRefusal(of: string, at: number): { title: string; message: string; action: { href: string; label: string } } {
  return {
    title: 'This message was sent a moment ago',
    message: `The same text went to the same number at ${new Date(at).toISOString()} (message ${of}), so it was not sent again. To send it once more, post it from the form at /sms?again=${of}, which is marked as a repeat.`,
    action: { href: `/sms?again=${encodeURIComponent(of)}`, label: 'Send it again' },
  };
}
