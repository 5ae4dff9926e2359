// Keeps the message page current while receipts are due: the headline, each part's "Delivery"
// cell, and the groups of parts in the same state. Stops once every accepted part has a final
// receipt. The parts are drawn by src/browser/parts-table.ts, as the server draws them.
import { drawReceipt, watchPartGroups } from './app/browser/parts-table.js';
import { pollUntilFinal } from './poll.js';

const headline = document.getElementById('headline');
const url = headline?.dataset.statusUrl;
const table = document.getElementById('parts');
const regroup = table ? watchPartGroups(table) : undefined;
const announcer = document.getElementById('receipt-announcer');

const title = headline?.querySelector('[data-headline="title"]');
const message = headline?.querySelector('[data-headline="message"]');
const whatToDo = headline?.querySelector('[data-headline="what-to-do"]');

/**
 * Redraws the headline only when it changed, so its live region announces changes, not polls.
 * @param {{tone: string, title: string, message: string, whatToDo?: string}} next
 */
function renderHeadline(next) {
  const className = `notice notice-${next.tone}`;
  const same = headline.className === className && title.textContent === next.title && message.textContent === next.message && whatToDo.querySelector('span').textContent === (next.whatToDo ?? '');
  if (same) return;
  headline.className = className;
  title.textContent = next.title;
  message.textContent = next.message;
  whatToDo.querySelector('span').textContent = next.whatToDo ?? '';
  whatToDo.hidden = !next.whatToDo;
  document.title = `${next.title} · Nexmo SMS`;
}

// Drawn while the first press of Send was still waiting for Nexmo: once its answer is stored,
// the whole page (parts, prices) is drawn again from it.
const wasSending = headline?.dataset.sending === 'true';

function apply(data) {
  if (wasSending && !data.sending) {
    window.location.reload();
    return true;
  }
  renderHeadline(data.headline);
  const arrived = [];
  for (const part of table ? data.parts : []) {
    if (!part.messageId || !part.receipt) continue;
    const cell = table.querySelector(`[data-receipt-for="${CSS.escape(part.messageId)}"]`);
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

if (headline && url) pollUntilFinal(() => url, apply);
