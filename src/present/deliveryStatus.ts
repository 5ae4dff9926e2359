// What a delivery receipt's `status` and `err-code` mean, in words a person can act on.

import { isDeliveryStatus, isFinalStatus, type DeliveryStatus, type Receipt } from '../nexmo/receipts.js';
import { knownCodes, lookupCode } from './codeTable.js';

export interface DeliveryStatusInfo {
  status: string;
  title: string;
  explanation: string;
  /** No later receipt for this part is expected to change the outcome. */
  final: boolean;
}

const DELIVERY: Readonly<Record<DeliveryStatus, Omit<DeliveryStatusInfo, 'status' | 'final'>>> = {
  // Not final: more receipts follow, so both say where the message is, not how it ended.
  accepted: {
    title: 'With the carrier, not yet delivered',
    explanation: 'The recipient’s network has taken the message and is trying to deliver it.',
  },
  delivered: {
    title: 'Delivered',
    explanation: 'The message reached the recipient’s phone.',
  },
  buffered: {
    title: 'With the carrier, not yet delivered',
    explanation: 'The network is holding the message, usually because the phone is off or out of coverage; it will keep trying.',
  },
  expired: {
    title: 'Expired',
    explanation: 'The network gave up before the phone could be reached.',
  },
  failed: {
    title: 'Not delivered',
    explanation: 'The network could not deliver the message.',
  },
  rejected: {
    title: 'Rejected',
    explanation: 'The network or Nexmo refused the message before trying to deliver it.',
  },
  unknown: {
    title: 'Outcome unknown',
    explanation: 'The network did not say whether the message arrived.',
  },
};

/** Plain-language meaning of a receipt's `status`. */
export function describeDeliveryStatus(status: string): DeliveryStatusInfo {
  if (isDeliveryStatus(status)) return { status, ...DELIVERY[status], final: isFinalStatus(status) };
  return {
    status,
    title: 'Unrecognised receipt',
    explanation: 'Nexmo sent a delivery receipt with a status this app does not recognise.',
    final: false,
  };
}

export interface DeliveryErrorInfo {
  code: number;
  title: string;
  explanation: string;
}

const DELIVERY_ERRORS: ReadonlyMap<number, Omit<DeliveryErrorInfo, 'code'>> = new Map([
  [0, { title: 'Delivered', explanation: 'No error: the message was delivered.' }],
  [1, { title: 'Unknown error', explanation: 'The network reported a problem without saying what it was.' }],
  [2, { title: 'Phone unreachable for now', explanation: 'The phone is switched off or out of coverage; it may be reachable later.' }],
  [3, { title: 'Phone unreachable', explanation: 'The network says this phone cannot be reached, and will not be.' }],
  [4, { title: 'Blocked by the recipient', explanation: 'The recipient has barred incoming messages like this one.' }],
  [5, { title: 'Number moved networks', explanation: 'The number was ported to another network and the message could not follow it.' }],
  [6, { title: 'Stopped as spam', explanation: 'The network’s anti-spam filter rejected the message.' }],
  [7, { title: 'Phone busy', explanation: 'The phone was busy and could not take the message.' }],
  [8, { title: 'Network error', explanation: 'The recipient’s network had a fault while delivering.' }],
  [9, { title: 'Number not valid', explanation: 'The network says the number does not exist.' }],
  [10, { title: 'Message not valid', explanation: 'The network could not accept the message as it was formed.' }],
  [11, { title: 'No route', explanation: 'There was no way to route the message to this number.' }],
  [12, { title: 'Destination unreachable', explanation: 'The recipient’s network could not be reached.' }],
  [13, { title: 'Age restriction', explanation: 'The recipient’s account does not accept this kind of message because of an age restriction.' }],
  [14, { title: 'Blocked by the network', explanation: 'The recipient’s network blocked messages to this number.' }],
  [15, { title: 'Recipient out of credit', explanation: 'The recipient’s prepaid phone has no credit left to receive the message.' }],
  [50, { title: 'Filtered: sender', explanation: 'A filter rejected the message because of who sent it.' }],
  [51, { title: 'Filtered: sender ID', explanation: 'A filter rejected the sender name or number shown on the message.' }],
  [52, { title: 'Filtered: content', explanation: 'A filter rejected the message because of what it says.' }],
  [53, { title: 'Filtered: no consent', explanation: 'The recipient has not agreed to receive messages from this sender.' }],
  [54, { title: 'Regulation', explanation: 'Local rules for the recipient’s country stopped the message.' }],
  [99, { title: 'General error', explanation: 'The message failed for a reason the network did not give.' }],
]);

export const KNOWN_DELIVERY_ERROR_CODES = knownCodes(DELIVERY_ERRORS);

/** Plain-language meaning of a receipt's `err-code`; unrecognised codes get a generic sentence. */
export function describeDeliveryError(code: number): DeliveryErrorInfo {
  return lookupCode(DELIVERY_ERRORS, code, () => ({
    title: `Unknown error ${code}`,
    explanation: `The network reported error ${code}, which this app does not recognise.`,
  }));
}

export type ReceiptTone = 'ok' | 'warn' | 'bad';

/** What the message page shows for a part's receipt. */
export function describeReceipt(receipt: Receipt): { title: string; explanation: string; final: boolean; tone: ReceiptTone } {
  const status = describeDeliveryStatus(receipt.status);
  const error = receipt.errCode === 0 ? undefined : describeDeliveryError(receipt.errCode);
  const tone = receipt.status === 'delivered' ? 'ok' : status.final ? 'bad' : 'warn';
  return {
    title: status.title,
    explanation: error ? `${status.explanation} ${error.title}: ${error.explanation}` : status.explanation,
    final: status.final,
    tone,
  };
}
