// The two times a part's receipt carries, each written to the precision its source has: when the
// carrier says the status changed (scts, to the minute) and when Nexmo reported it
// (message-timestamp, to the second). A receipt without scts has no carrier time at all; its
// status time is only when it was reported, and is not shown twice.

import type { Receipt } from '../nexmo/receipts.js';
import { formatMoment, type Moment } from './dates.js';

export interface ReceiptTimes {
  /** The carrier's time, known to the minute; absent when the receipt had no scts. */
  carrier?: Moment;
  /** When Nexmo reported it (message-timestamp), else when the app received it. */
  reported?: Moment;
}

export function receiptTimes(receipt: Receipt): ReceiptTimes {
  const carrier = fromCarrier(receipt) ? moment(receipt.at, 'minute') : undefined;
  // Receipts stored before arrivedAt was kept had no carrier time: `at` was when they were reported.
  const reported = moment(receipt.arrivedAt ?? (carrier ? undefined : receipt.at), 'second');
  return { ...(carrier && { carrier }), ...(reported && { reported }) };
}

/** When the part reached its receipt's status: the carrier's time, else when it was reported. */
export function changedAt(times: ReceiptTimes): Moment | undefined {
  return times.carrier ?? times.reported;
}

/**
 * Whether `at` is the carrier's scts. A receipt stored before its source was kept says so by
 * `at` differing from when it arrived: scts was read from the release that kept arrivedAt on.
 */
function fromCarrier(receipt: Receipt): boolean {
  if (receipt.atSource !== undefined) return receipt.atSource === 'scts';
  return receipt.arrivedAt !== undefined && receipt.at !== receipt.arrivedAt;
}

function moment(iso: string | undefined, precision: 'second' | 'minute'): Moment | undefined {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(ms) ? undefined : formatMoment(ms, precision);
}
