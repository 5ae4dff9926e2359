// Where a stored send stands, as the history's one-line status and the message page's headline.
// Both read the same tally of parts (delivered, failed, still waiting), so the list and the page
// never disagree, and a reload says what the live updates said.

import type { RecordOutcome, SendRecord } from '../store/types.js';
import { allUnreported, EXPIRED_UNREPORTED, tallyDelivery, type DeliveryTally } from './deliveryTally.js';
import { FAILED_MESSAGES, lowerFirst, notSentReason } from './notSent.js';
import { explainProblem } from './providerProblem.js';
import { describeSmsStatus } from './smsStatus.js';

export { DELIVERY_REPORT_WINDOW_MS, EXPIRED_UNREPORTED, NO_REPORT, reportOverdue, tallyDelivery, type DeliveryTally } from './deliveryTally.js';

export type StatusTone = 'ok' | 'wait' | 'warn' | 'bad';

/** The history's one line per message. */
export interface StatusLine {
  text: string;
  tone: StatusTone;
  /** Nothing that can still arrive (a receipt) will change it. */
  final: boolean;
}

export type HeadlineTone = 'success' | 'info' | 'warning' | 'error';

/** The message page's headline. */
export interface Headline {
  tone: HeadlineTone;
  title: string;
  message: string;
  whatToDo?: string;
  /** The form can be sent again from the message page (a deliberate click, never automatic). */
  offerRetry: boolean;
}

/** The one-line status; `now` (the app's clock) tells when 72 hours without a final receipt are over. */
export function statusLine(record: SendRecord, now: number): StatusLine {
  const { outcome } = record;
  if (outcome.kind === 'unknown') return { text: 'Outcome unknown', tone: 'warn', final: true };
  if (outcome.kind === 'sending') return { text: 'Sending…', tone: 'wait', final: false };
  if (outcome.kind === 'interrupted') return { text: INTERRUPTED, tone: 'warn', final: true };
  if (outcome.kind !== 'sent' && outcome.kind !== 'partial') return { text: `Not sent: ${notSentReason(outcome)}`, tone: 'bad', final: true };

  const tally = tallyDelivery(outcome.parts, record.receipts, record.createdAt, now);
  const { parts, delivered, waiting, withCarrier, failed } = tally;
  if (delivered === parts) return { text: 'Delivered', tone: 'ok', final: true };
  const final = waiting === 0;
  if (allUnreported(tally)) return { text: EXPIRED_UNREPORTED, tone: 'bad', final: true };
  if (failed.length === 0) {
    if (delivered === 0 && withCarrier === waiting) return { text: WITH_CARRIER, tone: 'wait', final };
    if (delivered === 0) return { text: parts > 1 ? 'Waiting for receipts' : 'Waiting for receipt', tone: 'wait', final };
    return { text: `${delivered} of ${parts} delivered`, tone: 'wait', final };
  }
  const reason = lowerFirst(failed[0]!.reason.title);
  // The message page's words ("Not delivered: …"), so the list and the page say the same.
  if (delivered === 0 && waiting === 0) return { text: `Not delivered: ${reason}`, tone: 'bad', final };
  return { text: `${delivered} of ${parts} delivered, ${failed.length} not delivered: ${reason}`, tone: delivered > 0 ? 'warn' : 'bad', final };
}

/**
 * What the moment a send was made is called beside its time: "Sent" only when Nexmo took at least
 * part of it; "Not sent" when nothing went out; "Tried" when nobody knows.
 */
export function attemptLabel(outcome: RecordOutcome): 'Sent' | 'Not sent' | 'Tried' {
  if (outcome.kind === 'sent' || outcome.kind === 'partial') return 'Sent';
  return outcome.kind === 'unknown' || outcome.kind === 'sending' || outcome.kind === 'interrupted' ? 'Tried' : 'Not sent';
}

/** The words for a send the app stopped while making, in the history and on its page. */
const INTERRUPTED = 'Outcome unknown: the app stopped while sending';

/** What the message page says first: delivery when receipts tell it, else what Nexmo answered. */
export function headline(record: SendRecord, now: number): Headline {
  const { outcome } = record;
  switch (outcome.kind) {
    case 'sent':
      return deliveryHeadline(tallyDelivery(outcome.parts, record.receipts, record.createdAt, now));
    case 'partial': {
      const failed = outcome.parts.filter((part) => part.status !== 0);
      const first = failed[0] && describeSmsStatus(failed[0].status);
      return {
        tone: 'warning',
        title: 'Only part of your message was sent',
        message: `Part${failed.length > 1 ? 's' : ''} ${failed.map((part) => part.index + 1).join(', ')} of ${outcome.parts.length} ${failed.length > 1 ? 'were' : 'was'} not accepted${first ? `: ${first.explanation}` : '.'} The recipient may see an incomplete message.`,
        whatToDo: first?.whatToDo,
        offerRetry: false,
      };
    }
    case 'rejected': {
      const first = outcome.parts[0] && describeSmsStatus(outcome.parts[0].status);
      return {
        tone: 'error',
        title: `Not sent: ${notSentReason(outcome)}`,
        message: first?.explanation ?? 'Nexmo did not accept the message.',
        whatToDo: first?.whatToDo,
        offerRetry: first?.retryable ?? false,
      };
    }
    case 'throttled':
      return {
        tone: 'warning',
        title: `Not sent: ${notSentReason(outcome)}`,
        message: 'Nexmo asked the app to slow down, so this message was not sent.',
        whatToDo: 'Wait a few seconds, then send it again.',
        offerRetry: true,
      };
    case 'unknown':
      return {
        tone: 'warning',
        title: 'We don’t know whether it was sent',
        message: 'Nexmo did not answer in time. The message may or may not have gone out, and the app did not try again automatically, because a second attempt could send it — and charge for it — twice.',
        whatToDo: 'Check the message log in your Nexmo dashboard (or the sandbox outbox) before sending it again.',
        offerRetry: true,
      };
    case 'sending':
      return {
        tone: 'info',
        title: 'Sending…',
        message: 'The app is sending this message to Nexmo. This page updates when Nexmo answers.',
        offerRetry: false,
      };
    case 'interrupted':
      return {
        tone: 'warning',
        title: INTERRUPTED,
        message: 'The app stopped after it started sending this message and before Nexmo’s answer was stored. The message may or may not have gone out. The app does not try again by itself, because a second attempt could send it — and charge for it — twice. If a delivery receipt arrives for it, this page shows it.',
        whatToDo: 'Check the message log in your Nexmo dashboard (or the sandbox outbox) before sending it again.',
        offerRetry: true,
      };
    case 'refused': {
      // A clock off, a key refused: the same explanation the refusal's own page gave.
      const explained = explainProblem(outcome.problem, 'api', '');
      return { tone: 'error', title: `Not sent: ${explained.title}`, message: explained.message, whatToDo: explained.advice ?? 'Try again once the problem is fixed.', offerRetry: true };
    }
    case 'unauthorized':
      return { tone: 'error', title: `Not sent: ${notSentReason(outcome)}`, message: 'Nexmo no longer accepts this connection.', whatToDo: 'Connect again.', offerRetry: false };
    case 'failed':
      return {
        tone: 'error',
        title: `Not sent: ${notSentReason(outcome)}`,
        message: FAILED_MESSAGES[outcome.reason],
        whatToDo: 'Try again in a moment. If it keeps happening, check the service status or the app’s configuration.',
        offerRetry: true,
      };
  }
}

/** A send Nexmo accepted in full: what the receipts say so far. */
function deliveryHeadline(tally: DeliveryTally): Headline {
  const { parts, delivered, waiting, withCarrier, failed } = tally;
  const inParts = parts > 1 ? ` in ${parts} parts` : '';
  if (allUnreported(tally)) {
    return {
      tone: 'error',
      title: EXPIRED_UNREPORTED,
      message: `Nexmo accepted your message${inParts}, but no final delivery receipt came in the 72 hours Nexmo keeps trying, so it most likely never reached the phone.`,
      whatToDo: 'Check the number with the person you are writing to, or send the message again.',
      offerRetry: true,
    };
  }
  if (delivered === parts) {
    return {
      tone: 'success',
      title: 'Delivered',
      message: parts > 1 ? `All ${parts} parts of your message reached the recipient’s phone.` : 'Your message reached the recipient’s phone.',
      offerRetry: false,
    };
  }
  const stillWaiting = waiting > 0 ? ` Waiting for the network to report on the other part${waiting > 1 ? 's' : ''}; this page updates when it does.` : '';
  if (failed.length > 0) {
    const first = failed[0]!.reason;
    if (delivered === 0) {
      return {
        tone: 'error',
        title: `Not delivered: ${lowerFirst(first.title)}`,
        message: `Nexmo accepted your message${inParts}, but the network could not deliver it. ${first.explanation}${stillWaiting}`,
        whatToDo: 'Check the number with the person you are writing to, or send the message again later.',
        // Nothing arrived, so sending again cannot give the recipient the message twice.
        offerRetry: waiting === 0,
      };
    }
    const numbers = failed.map((part) => part.number).join(', ');
    return {
      tone: 'warning',
      title: `Partly delivered: ${delivered} of ${parts} parts`,
      message: `Part${failed.length > 1 ? 's' : ''} ${numbers} could not be delivered: ${lowerFirst(first.title)}. The recipient may see an incomplete message.${stillWaiting}`,
      offerRetry: false,
    };
  }
  if (delivered > 0) {
    return {
      tone: 'info',
      title: `Partly delivered: ${delivered} of ${parts} parts so far`,
      message: `Nexmo accepted your message${inParts}, and the network has delivered ${delivered} of them.${stillWaiting}`,
      offerRetry: false,
    };
  }
  if (withCarrier === waiting) {
    return {
      tone: 'info',
      title: WITH_CARRIER,
      message: `The recipient’s network has your message${inParts} and is trying to deliver it; if the phone is off it keeps trying (Nexmo for up to 72 hours). This page updates when the network reports.`,
      offerRetry: false,
    };
  }
  return {
    tone: 'info',
    title: 'Sent',
    message: `Nexmo accepted your message${inParts}. Waiting for the network’s delivery receipt${parts > 1 ? 's' : ''}; this page updates when ${parts > 1 ? 'they arrive' : 'it arrives'}.`,
    offerRetry: false,
  };
}

/** Said of a send the network has taken (accepted or buffered receipts) but not yet delivered. */
export const WITH_CARRIER = 'With the carrier, not yet delivered';
