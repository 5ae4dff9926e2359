// Turns a stored send into what the result page and its live receipt updates show. Only
// sentences written here reach the page; nothing of the provider's raw reply does.

import type { FailureReason, SendOutcome } from '../nexmo/types.js';
import type { SendRecord } from '../store/types.js';
import { formatMoment } from './dates.js';
import { describeReceipt } from './deliveryStatus.js';
import { formatEuro } from './money.js';
import { describeSmsStatus } from './smsStatus.js';

type Tone = 'success' | 'warning' | 'error';

interface Headline {
  tone: Tone;
  title: string;
  message: string;
  whatToDo?: string;
  /** The form can be sent again from the result page (a deliberate click, never automatic). */
  offerRetry: boolean;
}

export function resultView(record: SendRecord) {
  const { outcome } = record;
  const parts = 'parts' in outcome ? outcome.parts : [];
  const lastBalance = parts.at(-1)?.remainingBalance;
  return {
    id: record.id,
    sentAt: formatMoment(record.createdAt),
    request: record.request,
    encoding: record.request.type === 'unicode' ? 'Unicode (UCS-2)' : 'GSM-7 text',
    headline: headline(outcome),
    parts: parts.map((part) => {
      const status = describeSmsStatus(part.status);
      return {
        number: part.index + 1,
        accepted: part.status === 0,
        messageId: part.messageId,
        status: part.status,
        statusTitle: status.title,
        statusExplanation: status.explanation,
        price: part.price === undefined ? undefined : formatEuro(part.price),
        network: part.network,
        remainingBalance: part.remainingBalance === undefined ? undefined : formatEuro(part.remainingBalance),
        receipt: part.messageId ? receiptOf(record, part.messageId) : undefined,
      };
    }),
    totalPrice: 'totalPrice' in outcome ? formatEuro(outcome.totalPrice) : undefined,
    remainingBalance: lastBalance === undefined ? undefined : formatEuro(lastBalance),
    watchReceipts: parts.some((part) => part.status === 0 && part.messageId),
  };
}

/** The receipts alone, for the page to update itself without reloading. */
export function receiptsView(record: SendRecord) {
  const view = resultView(record);
  const accepted = view.parts.filter((part) => part.accepted && part.messageId);
  return {
    parts: view.parts.map((part) => ({ number: part.number, messageId: part.messageId, receipt: part.receipt ?? null })),
    complete: accepted.every((part) => part.receipt?.final === true),
  };
}

function receiptOf(record: SendRecord, messageId: string) {
  const receipt = record.receipts[messageId];
  return receipt ? { ...describeReceipt(receipt), at: receipt.at, status: receipt.status } : undefined;
}

function headline(outcome: SendOutcome): Headline {
  switch (outcome.kind) {
    case 'sent': {
      const count = outcome.parts.length;
      return {
        tone: 'success',
        title: 'Sent',
        message: `Nexmo accepted your message${count > 1 ? ` in ${count} parts` : ''}. Delivery receipts appear below as the network reports them.`,
        offerRetry: false,
      };
    }
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
        title: `Not sent: ${first ? first.title.toLowerCase() : 'refused'}`,
        message: first?.explanation ?? 'Nexmo did not accept the message.',
        whatToDo: first?.whatToDo,
        offerRetry: first?.retryable ?? false,
      };
    }
    case 'throttled':
      return {
        tone: 'warning',
        title: 'Not sent: too many messages at once',
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
    case 'unauthorized':
      // Routes disconnect instead of storing this; kept for completeness of the union.
      return { tone: 'error', title: 'Not sent: connection no longer valid', message: 'Nexmo no longer accepts this connection.', whatToDo: 'Connect again.', offerRetry: false };
    case 'failed':
      return failedHeadline(outcome.reason);
  }
}

function failedHeadline(reason: FailureReason): Headline {
  const messages = {
    'server-error': 'Nexmo had a problem of its own and did not send the message.',
    'bad-reply': 'Nexmo answered with something the app could not read, so the message is treated as not sent.',
    network: 'The app could not reach Nexmo, so the message was not sent.',
    redirect: 'Nexmo answered with a redirect. The app never re-sends a signed request to another address, so the message was not sent.',
  } as const;
  return { tone: 'error', title: 'Not sent', message: messages[reason], whatToDo: 'Try again in a moment. If it keeps happening, check the service status or the app’s configuration.', offerRetry: true };
}
