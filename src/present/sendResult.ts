// Turns a stored send into what the message page and its live updates show. Only
// sentences written here reach the page; nothing of the provider's raw reply does.

import type { SendRecord } from '../store/types.js';
import { formatMoment } from './dates.js';
import { describeReceipt } from './deliveryStatus.js';
import { attemptLabel, headline, NO_REPORT, reportOverdue, statusLine } from './messageStatus.js';
import { formatBalance, formatEuro } from './money.js';
import { describeNetwork } from './networks.js';
import { groupSummary, partGroups } from './partGroups.js';
import { receiptCell } from './receiptCell.js';
import { receiptTimes } from './receiptTimes.js';
import { describeSmsStatus } from './smsStatus.js';

/** The message page; `now` is the app's clock (see DELIVERY_REPORT_WINDOW_MS). */
export function resultView(record: SendRecord, now: number) {
  const { outcome } = record;
  const parts = 'parts' in outcome ? outcome.parts : [];
  const lastBalance = parts.at(-1)?.remainingBalance;
  const partViews = parts.map((part) => {
    const status = describeSmsStatus(part.status);
    const accepted = part.status === 0;
    const receipt = part.messageId && accepted ? receiptOf(record, part.messageId, now) : undefined;
    return {
      number: part.index + 1,
      accepted,
      messageId: part.messageId,
      status: part.status,
      statusTitle: status.title,
      statusExplanation: status.explanation,
      // A part Nexmo refused cost nothing: no price rather than €0.00.
      price: part.price === undefined || part.status !== 0 ? undefined : formatEuro(part.price),
      network: describeNetwork(part.network),
      remainingBalance: part.remainingBalance === undefined ? undefined : formatBalance(part.remainingBalance),
      receipt,
      /** The Delivery cell, drawn by the same function as the page's live updates. */
      delivery: receiptCell({ accepted, receipt }),
    };
  });
  return {
    id: record.id,
    sending: outcome.kind === 'sending',
    sentAt: formatMoment(record.createdAt),
    sentLabel: attemptLabel(outcome),
    request: record.request,
    encoding: record.request.type === 'unicode' ? 'Unicode (UCS-2)' : 'GSM-7 text',
    headline: headline(record, now),
    status: statusLine(record, now),
    parts: partViews,
    /** The parts by the state they are in, each group one row that opens (see partGroups). */
    groups: partGroups(partViews).map((group) => ({ ...group, summary: groupSummary(group) })),
    // Only for a send that went out (in full or in part): a refused one has no price to show.
    totalPrice: outcome.kind === 'sent' || outcome.kind === 'partial' ? formatEuro(outcome.totalPrice) : undefined,
    remainingBalance: lastBalance === undefined ? undefined : formatBalance(lastBalance),
    /** A new form with the same sender and recipient (GET /sms checks them again). */
    sendAnotherHref: sendAnotherHref(record),
  };
}

export function sendAnotherHref(record: SendRecord): string {
  const query = new URLSearchParams({ from: record.request.from, to: `+${record.request.to}` });
  return `/sms?${query.toString()}`;
}

/**
 * What can change after the page was drawn (the headline, the status, each part's receipt), for
 * the page to update itself without reloading. `complete`: nothing more is expected.
 */
export function statusView(record: SendRecord, now: number) {
  const view = resultView(record, now);
  const accepted = view.parts.filter((part) => part.accepted && part.messageId);
  const { offerRetry: _offerRetry, ...headline } = view.headline;
  return {
    id: view.id,
    headline,
    status: view.status,
    parts: view.parts.map((part) => ({ number: part.number, messageId: part.messageId, receipt: part.receipt ?? null })),
    // The page draws each group's summary itself, with the same groupSummary.
    groups: view.groups.map(({ summary: _summary, ...group }) => group),
    /** Still waiting for the provider's reply: the page reloads once it is stored. */
    sending: record.outcome.kind === 'sending',
    complete: record.outcome.kind !== 'sending' && accepted.every((part) => part.receipt?.final === true),
  };
}

/**
 * A part's Delivery cell: the latest receipt's words, when the carrier says the status changed
 * (scts, to the minute) and when Nexmo reported it (see receiptTimes). `at` tells one receipt
 * from the next. Past 72 hours with no final receipt, the part is shown as unreported, whatever
 * non-final receipt it had.
 */
function receiptOf(record: SendRecord, messageId: string, now: number) {
  const receipt = record.receipts[messageId];
  const shown = receipt ? describeReceipt(receipt) : undefined;
  const times = receipt ? { at: receipt.at, ...receiptTimes(receipt) } : {};
  if (!shown?.final && reportOverdue(record.createdAt, now)) {
    return { title: 'Expired', explanation: `${NO_REPORT.title}. ${NO_REPORT.explanation}`, final: true, tone: 'bad' as const, status: 'unreported', ...times };
  }
  return receipt && shown ? { ...shown, status: receipt.status, ...times } : undefined;
}
