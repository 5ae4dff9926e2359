// Keeps the message page current while receipts are due: the headline, each part's "Delivery"
// cell, and the groups of parts in the same state. Stops once every accepted part has a final
// receipt. The parts are drawn by parts-table.ts, as the server draws them.
import type { PartGroup } from '../present/partGroups.js';
import type { ShownReceipt } from '../present/receiptCell.js';
import { drawReceipt, watchPartGroups } from './parts-table.js';
import { pollUntilFinal } from './poll.js';

/** The message page's headline, as the status JSON gives it (see headline in src/present/messageStatus.ts). */
interface HeadlineView {
  tone: string;
  title: string;
  message: string;
  whatToDo?: string;
}

/** The message's status JSON (GET /messages/:id/status.json, statusView in src/present/sendResult.ts). */
interface MessageStatus {
  headline: HeadlineView;
  parts: Array<{ number: number; messageId?: string; receipt: (ShownReceipt & { status: string; at?: string }) | null }>;
  groups?: PartGroup[];
  sending: boolean;
  complete: boolean;
}

const headline = document.getElementById('headline');
const url = headline?.dataset.statusUrl;
const table = document.getElementById('parts');
const regroup = table ? watchPartGroups(table) : undefined;
const announcer = document.getElementById('receipt-announcer');

/** The headline's pieces, as views/sent-message.ejs draws them; undefined when one is missing. */
function headlinePieces(box: HTMLElement) {
  const title = box.querySelector('[data-headline="title"]');
  const message = box.querySelector('[data-headline="message"]');
  const whatToDo = box.querySelector<HTMLElement>('[data-headline="what-to-do"]');
  const whatToDoText = whatToDo?.querySelector('span');
  return title && message && whatToDo && whatToDoText ? { box, title, message, whatToDo, whatToDoText } : undefined;
}

const pieces = headline ? headlinePieces(headline) : undefined;

/** Redraws the headline only when it changed, so its live region announces changes, not polls. */
function renderHeadline(next: HeadlineView): void {
  if (!pieces) return;
  const { box, title, message, whatToDo, whatToDoText } = pieces;
  const className = `notice notice-${next.tone}`;
  const same = box.className === className && title.textContent === next.title && message.textContent === next.message && whatToDoText.textContent === (next.whatToDo ?? '');
  if (same) return;
  box.className = className;
  title.textContent = next.title;
  message.textContent = next.message;
  whatToDoText.textContent = next.whatToDo ?? '';
  whatToDo.hidden = !next.whatToDo;
  document.title = `${next.title} · Nexmo SMS`;
}

// Drawn while the first press of Send was still waiting for Nexmo: once its answer is stored,
// the whole page (parts, prices) is drawn again from it.
const wasSending = headline?.dataset.sending === 'true';

function apply(data: MessageStatus): boolean {
  if (wasSending && !data.sending) {
    window.location.reload();
    return true;
  }
  renderHeadline(data.headline);
  const arrived: string[] = [];
  for (const part of data.parts) {
    if (!table || !part.messageId || !part.receipt) continue;
    const cell = table.querySelector<HTMLElement>(`[data-receipt-for="${CSS.escape(part.messageId)}"]`);
    // A new status, or the same one with a later carrier time (a part buffered twice).
    const seen = `${part.receipt.status}@${part.receipt.at ?? ''}`;
    if (cell && cell.dataset.shown !== seen) {
      drawReceipt(cell, part.receipt);
      cell.dataset.shown = seen;
      arrived.push(data.parts.length > 1 ? `Part ${part.number} of ${data.parts.length}: ${part.receipt.title}.` : `Delivery receipt: ${part.receipt.title}.`);
    }
  }
  if (regroup && data.groups) regroup(data.groups);
  // One polite announcement per answer, for the receipts it brought (those drawn by the server
  // carry data-shown, so they are not announced again).
  if (announcer && arrived.length > 0) announcer.textContent = arrived.join(' ');
  return data.complete;
}

if (headline && url) pollUntilFinal<MessageStatus>(() => url, apply);
