// Where each part of an answered send stands: delivered, not delivered (and why), still with
// the carrier, or still waiting. The history's line and the message page's headline both read
// this one tally, so they never disagree.

import type { Receipt } from '../nexmo/receipts.js';
import type { SentPart } from '../nexmo/types.js';
import { describeDeliveryError, describeDeliveryStatus } from './deliveryStatus.js';
import { describeSmsStatus } from './smsStatus.js';

export interface Reason {
  title: string;
  explanation: string;
}

/**
 * Nexmo keeps trying to deliver for 72 hours, then reports `expired`. A part with no final
 * receipt that long after sending will get none: the app says so rather than wait for ever.
 */
export const DELIVERY_REPORT_WINDOW_MS = 72 * 60 * 60 * 1000;

/** What a part with no final receipt after DELIVERY_REPORT_WINDOW_MS is shown as. */
export const NO_REPORT: Reason = {
  title: 'No delivery report within 72 hours',
  explanation: 'Nexmo stops trying after 72 hours, and no final delivery receipt came for this part: it most likely never reached the phone.',
};

/** The headline and status line of a send whose every undelivered part went unreported. */
export const EXPIRED_UNREPORTED = 'Expired: no delivery report within 72 hours';

/** Where each part of an answered send stands. */
export interface DeliveryTally {
  parts: number;
  delivered: number;
  /** Accepted by Nexmo, no final receipt yet (and the 72 hours not over). */
  waiting: number;
  /** Of those waiting, the parts the network has reported taking (accepted or buffered). */
  withCarrier: number;
  /** Parts Nexmo did not accept, or that the network reported as not delivered, or never reported on; in part order. */
  failed: { number: number; reason: Reason; unreported?: true }[];
}

/** Whether a part sent at `sentAt` with no final receipt by `now` will never get one. */
export function reportOverdue(sentAt: number, now: number): boolean {
  return now - sentAt >= DELIVERY_REPORT_WINDOW_MS;
}

export function tallyDelivery(parts: readonly SentPart[], receipts: Readonly<Record<string, Receipt>>, sentAt: number, now: number): DeliveryTally {
  const tally: DeliveryTally = { parts: parts.length, delivered: 0, waiting: 0, withCarrier: 0, failed: [] };
  for (const part of parts) {
    const number = part.index + 1;
    if (part.status !== 0 || !part.messageId) {
      const status = describeSmsStatus(part.status);
      tally.failed.push({ number, reason: { title: status.title, explanation: status.explanation } });
      continue;
    }
    const receipt = receipts[part.messageId];
    if (!receipt || !describeDeliveryStatus(receipt.status).final) {
      if (reportOverdue(sentAt, now)) tally.failed.push({ number, reason: NO_REPORT, unreported: true });
      else {
        tally.waiting += 1;
        if (receipt) tally.withCarrier += 1;
      }
    } else if (receipt.status === 'delivered') tally.delivered += 1;
    else tally.failed.push({ number, reason: failureReason(receipt) });
  }
  return tally;
}

/** The network's err-code when it gave one, else what the receipt's status says; an expiry is named as one. */
function failureReason(receipt: Receipt): Reason {
  const { title, explanation } = receipt.errCode === 0 || receipt.status === 'expired' ? describeDeliveryStatus(receipt.status) : describeDeliveryError(receipt.errCode);
  return { title, explanation };
}

/** Nothing delivered, nothing still due, and every part Nexmo took went unreported for 72 hours. */
export function allUnreported(tally: DeliveryTally): boolean {
  return tally.delivered === 0 && tally.waiting === 0 && tally.failed.length > 0 && tally.failed.every((part) => part.unreported);
}
