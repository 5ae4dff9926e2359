// The message page's parts, redrawn as receipts arrive exactly as views/sent-message.ejs draws
// them: a part's Delivery cell (src/present/receiptCell.ts), and the groups of parts in the same
// state (see src/present/partGroups.ts), each a <details> whose summary row opens to its parts.
// Used by message-status.ts, which asks the app for the page's status.
import { groupSummary, type PartGroup } from '../present/partGroups.js';
import { receiptCell, type ShownReceipt } from '../present/receiptCell.js';
import { drawMarkup } from './markup.js';

function element(tag: string, className: string, ...children: Array<string | Node>): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.append(...children);
  return el;
}

/** A part's Delivery cell, for the receipt that arrived: drawn as the server draws it. */
export function drawReceipt(cell: HTMLElement, receipt: ShownReceipt): void {
  cell.replaceChildren(...drawMarkup(receiptCell({ accepted: true, receipt })));
}

const normalised = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** A new, empty group with the column headings of the groups the server drew. */
function newGroup(key: string, headings: HTMLTableSectionElement | null): HTMLDetailsElement {
  const details = document.createElement('details');
  details.className = 'part-group';
  details.dataset.group = key;
  const table = element('table', 'part-table');
  if (headings) table.append(headings.cloneNode(true));
  table.append(document.createElement('tbody'));
  details.append(element('summary', 'part-group-summary'), table);
  return details;
}

/**
 * Returns what regroups the parts inside `container` (#parts) into `groups`. Rows move between
 * groups as their state changes; a group keeps its element (and so whether it is open) while its
 * state lasts. A group the reader opened or closed stays so, and parts the reader had open stay
 * in view when they move to a group of a new state; other groups are open when they hold one
 * part, as the server draws them.
 */
export function watchPartGroups(container: HTMLElement): (groups: readonly PartGroup[]) => void {
  const touched = new Set<string>();
  container.addEventListener('click', (event) => {
    const summary = event.target instanceof Element ? event.target.closest('summary') : null;
    const key = summary?.parentElement?.dataset.group;
    if (key !== undefined && container.contains(summary)) touched.add(key);
  });

  return (groups) => {
    const existing = new Map<string, HTMLDetailsElement>();
    for (const details of Array.from(container.querySelectorAll<HTMLDetailsElement>(':scope > details[data-group]'))) existing.set(details.dataset.group ?? '', details);
    const rows = new Map<string, HTMLTableRowElement>();
    for (const row of Array.from(container.querySelectorAll<HTMLTableRowElement>('tr[data-part]'))) rows.set(row.dataset.part ?? '', row);
    const headings = container.querySelector('thead');
    // The parts in a group the reader opened.
    const inView = new Set<string>();
    for (const [key, details] of existing) {
      if (touched.has(key) && details.open) for (const row of Array.from(details.querySelectorAll<HTMLTableRowElement>('tr[data-part]'))) inView.add(row.dataset.part ?? '');
    }

    const wanted = groups.map((group) => {
      const details = existing.get(group.key) ?? newGroup(group.key, headings);
      const summary = details.querySelector('summary');
      const nodes = drawMarkup(groupSummary(group));
      const text = nodes.map((node) => node.textContent).join('');
      if (summary && normalised(summary.textContent) !== normalised(text)) summary.replaceChildren(...nodes);
      const body = details.querySelector('tbody');
      const order = group.numbers.map(String);
      if (body && Array.from(body.rows, (row) => row.dataset.part).join() !== order.join()) {
        for (const number of order) {
          const row = rows.get(number);
          if (row) body.append(row);
        }
      }
      const readersChoice = touched.has(group.key) && existing.has(group.key);
      if (!readersChoice && order.some((number) => inView.has(number))) {
        details.open = true;
        touched.add(group.key);
      } else if (!readersChoice) {
        details.open = group.open;
      }
      return details;
    });
    // In the groups' order, and only the groups that still hold parts.
    wanted.forEach((details, i) => {
      if (container.children[i] !== details) container.insertBefore(details, container.children[i] ?? null);
    });
    for (const details of existing.values()) if (!wanted.includes(details)) details.remove();
  };
}
