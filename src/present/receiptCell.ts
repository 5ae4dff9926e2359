// A part's Delivery cell on the message page, written once: the server draws it
// (views/partials/part-group.ejs) and the page redraws it as receipts arrive
// (src/browser/parts-table.ts), both from what receiptCell returns. The receipt's words, then
// when the carrier changed its status (to the minute) and when Nexmo reported it (see
// receiptTimes.ts); "Waiting for receipt" for an accepted part with none yet; a dash for a part
// Nexmo refused, which gets no receipt.
import { badge, dataSpan, momentMarkup, span, type Markup } from './markup.js';
import type { ReceiptTimes } from './receiptTimes.js';

/** The state of an accepted part with no receipt yet, in its cell and its group's summary. */
export const WAITING_FOR_RECEIPT = 'Waiting for receipt';

/** A part's receipt as the page shows it (receiptOf in sendResult.ts; the status JSON carries it). */
export interface ShownReceipt extends ReceiptTimes {
  title: string;
  explanation: string;
  /** The badge's tone: badge-ok, badge-warn, badge-bad. */
  tone: string;
}

export interface CellPart {
  /** Nexmo accepted the part (status 0): a receipt is due. */
  accepted: boolean;
  receipt?: ShownReceipt | null;
}

export function receiptCell({ accepted, receipt }: CellPart): Markup[] {
  if (!receipt) return accepted ? [badge('', WAITING_FOR_RECEIPT)] : ['—'];
  const cell: Markup[] = [badge(receipt.tone, receipt.title), span('small muted block', receipt.explanation)];
  const times = timesOf(receipt);
  return times ? [...cell, times] : cell;
}

/** "Carrier time … reported …", or "Reported …" for a receipt without the carrier's time. */
function timesOf({ carrier, reported }: ReceiptTimes): Markup | undefined {
  const times = (...children: Markup[]) => dataSpan('small block', { receipt: 'times' }, ...children);
  if (carrier) return times('Carrier time ', ...momentMarkup(carrier), ...(reported ? [span('muted', ' reported ', ...momentMarkup(reported))] : []));
  if (reported) return times('Reported ', ...momentMarkup(reported));
  return undefined;
}
