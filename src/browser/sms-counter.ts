// Live length counter for the SMS form. The server already renders the first count into
// #sms-counter (and the cost and Unicode notes beside it) with the same counterView, so the page
// works without this script; this only keeps them current. Compiled by `npm run build` into
// public/js/app/ with the modules it imports (see tsconfig.browser.json).
import { isPartPrice } from '../nexmo/money.js';
import { WARNING_CLASS, counterView, type CounterView } from '../present/smsCounter.js';

const textarea = document.querySelector('textarea[name=text]');
const output = document.getElementById('sms-counter');
// Absent on pages (and in tests) that only have the sentence.
const box = document.getElementById('sms-counter-box');
const cost = document.getElementById('sms-cost');
const notes = document.getElementById('sms-unicode');
const partPrice = box?.dataset.partPrice;

/**
 * A textarea's value uses bare LF, but the form submits every line break as CRLF, and that is
 * what the server counts and sends. Count the submitted form so both show the same numbers.
 */
function asSubmitted(value: string): string {
  return value.replace(/\r\n|\r|\n/g, '\r\n');
}

function element(tag: string, className: string, ...children: Array<string | Node>): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  el.append(...children);
  return el;
}

/**
 * The notes under the counter: the parts warning, the characters that made the text Unicode
 * (highlighted) and what to do about them; the same markup the server draws.
 */
function noteNodes(view: CounterView): HTMLElement[] {
  const nodes: HTMLElement[] = [];
  if (view.multiplied) nodes.push(element('p', 'counter-multiplied', view.multiplied));
  if (view.unicode) {
    const list: Array<string | Node> = ['Unicode because of: '];
    view.unicode.culprits.forEach((c, i) => {
      if (i > 0) list.push(', ');
      list.push(element('mark', 'culprit', c.mark), c.rest);
    });
    if (view.unicode.more > 0) list.push(`, and ${view.unicode.more} more`);
    nodes.push(element('p', 'counter-culprits', ...list), element('p', 'counter-hint', view.unicode.hint));
  }
  return nodes;
}

/** The notes as text, to tell whether what is shown is already right. */
function notesText(view: CounterView): string {
  return [view.multiplied, view.unicode?.listed, view.unicode?.hint].filter(Boolean).join(' ');
}

const normalised = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

function update(): void {
  if (!(textarea instanceof HTMLTextAreaElement) || !output) return;
  const view = counterView(asSubmitted(textarea.value), isPartPrice(partPrice) ? partPrice : undefined);
  // Rewriting identical text would make some screen readers announce it again.
  if (output.textContent !== view.text) output.textContent = view.text;
  output.classList.toggle(WARNING_CLASS, view.warning);
  if (cost) {
    if (cost.textContent !== (view.cost ?? '')) cost.textContent = view.cost ?? '';
    cost.hidden = !view.cost;
  }
  if (notes && normalised(notes.textContent) !== normalised(notesText(view))) notes.replaceChildren(...noteNodes(view));
}

if (textarea instanceof HTMLTextAreaElement && output) {
  textarea.addEventListener('input', update);
  // The browser may put a draft back that the server-drawn count predates, firing no input
  // event: after Back, Chromium loads this no-store page again and refills its fields once its
  // scripts have run (by the load event), and a page from the back/forward cache is shown again
  // as it was left. So count now, and again whenever the page is shown.
  update();
  window.addEventListener('pageshow', update);
}
