// Keeps the message page current while receipts are due: the headline, and each part's
// "Delivery" cell. Stops once every accepted part has a final receipt.
import { pollUntilFinal } from './poll.js';

const headline = document.getElementById('headline');
const url = headline?.dataset.statusUrl;
const table = document.getElementById('parts');
const announcer = document.getElementById('receipt-announcer');

// As local-time.js writes the times the server drew: in the reader's zone, the UTC text as title.
const LOCAL = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

/** @param {string | undefined} iso @param {string} utcText */
function timeElement(iso, utcText) {
  const time = document.createElement('time');
  const date = new Date(iso ?? '');
  time.dateTime = iso ?? '';
  if (Number.isNaN(date.getTime())) time.textContent = utcText;
  else {
    time.title = utcText;
    time.textContent = LOCAL.format(date);
  }
  return time;
}

/**
 * Draws a part's receipt as the server does (views/sent-message.ejs): its words, then when the
 * carrier says the status changed and when the receipt was reported.
 * @param {HTMLElement} cell
 * @param {{title: string, explanation: string, tone: string, at?: string, atText?: string, arrivedAt?: string, arrivedText?: string}} receipt
 */
function renderReceipt(cell, receipt) {
  const badge = document.createElement('span');
  badge.className = `badge badge-${receipt.tone}`;
  badge.textContent = receipt.title;
  const detail = document.createElement('span');
  detail.className = 'small muted block';
  detail.textContent = receipt.explanation;
  const shown = [badge, detail];
  if (receipt.atText) {
    const times = document.createElement('span');
    times.className = 'small block';
    times.dataset.receipt = 'times';
    times.append('Carrier time ', timeElement(receipt.at, receipt.atText));
    if (receipt.arrivedText) {
      const reported = document.createElement('span');
      reported.className = 'muted';
      reported.append(' reported ', timeElement(receipt.arrivedAt, receipt.arrivedText));
      times.append(reported);
    }
    shown.push(times);
  }
  cell.replaceChildren(...shown);
}

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
      renderReceipt(cell, part.receipt);
      cell.dataset.shown = seen;
      arrived.push(data.parts.length > 1 ? `Part ${part.number} of ${data.parts.length}: ${part.receipt.title}.` : `Delivery receipt: ${part.receipt.title}.`);
    }
  }
  // One polite announcement per answer, for the receipts it brought (those drawn by the server
  // carry data-shown, so they are not announced again).
  if (announcer && arrived.length > 0) announcer.textContent = arrived.join(' ');
  return data.complete;
}

if (headline && url) pollUntilFinal(() => url, apply);
