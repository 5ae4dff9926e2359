// Keeps the status column of the message history current: asks about the rows still waiting
// for receipts, in one request, until none is.
import { badge } from '../present/markup.js';
import { drawMarkup } from './markup.js';
import { pollUntilFinal } from './poll.js';

/** The history's status JSON (GET /messages/status.json?ids=…): a line per message still there. */
interface HistoryStatus {
  messages: Partial<Record<string, { text: string; tone: string; final: boolean }>>;
}

const table = document.getElementById('history');
const url = table?.dataset.statusUrl;
const announcer = document.getElementById('status-announcer');

/** The status cells whose message can still change. */
const pending = (within: HTMLElement): HTMLElement[] => Array.from(within.querySelectorAll<HTMLElement>('[data-status-for][data-pending]'));

function apply(within: HTMLElement, data: HistoryStatus): boolean {
  const changed: string[] = [];
  for (const cell of pending(within)) {
    const status = data.messages[cell.dataset.statusFor ?? ''];
    if (!status) {
      delete cell.dataset.pending; // no longer there to ask about
      continue;
    }
    if (cell.textContent !== status.text) {
      // The cell as the server draws it (src/present/history.ts).
      cell.replaceChildren(...drawMarkup([badge(status.tone, status.text)]));
      // The number alone, without the country written below it.
      const toCell = cell.closest('tr')?.querySelector('[data-label="To"]');
      const to = (toCell?.querySelector('[data-number]') ?? toCell)?.textContent?.trim();
      changed.push(to ? `Message to ${to}: ${status.text}.` : `${status.text}.`);
    }
    if (status.final) delete cell.dataset.pending;
  }
  // One polite announcement per answer, for the statuses that changed.
  if (announcer && changed.length > 0) announcer.textContent = changed.join(' ');
  return pending(within).length === 0;
}

if (table && url) {
  pollUntilFinal<HistoryStatus>(
    () => `${url}?ids=${pending(table).map((cell) => cell.dataset.statusFor).join(',')}`,
    (data) => apply(table, data),
  );
}
