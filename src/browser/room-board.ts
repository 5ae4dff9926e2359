// Keeps the room board (GET /room) current without a reload: asks /room.json every few seconds
// while the page is shown, and redraws the rows with the words the server uses
// (src/present/room.ts). "Pause updates" stops it, for someone who wants to read a still board.
import { roomRowView, roomSummary, type RoomJson, type RoomPersonJson } from '../present/room.js';
import { momentMarkup } from '../present/markup.js';
import { drawMarkup } from './markup.js';

const table = document.getElementById('room-table') as HTMLTableElement | null;
const summary = document.getElementById('room-summary');
const pause = document.getElementById('room-pause') as HTMLButtonElement | null;

function cell(tag: 'th' | 'td', label: string, content: Node | string, className?: string): HTMLElement {
  const element = document.createElement(tag);
  element.dataset.label = label;
  if (tag === 'th') element.setAttribute('scope', 'row');
  if (className) element.className = className;
  element.append(content);
  return element;
}

/** A row as views/room.ejs draws it. */
function row(person: RoomPersonJson): HTMLTableRowElement {
  const view = roomRowView(person);
  const tr = document.createElement('tr');
  tr.dataset.person = view.name;
  const leg = document.createElement('span');
  leg.title = view.legHint;
  leg.textContent = view.leg;
  const [time] = drawMarkup(momentMarkup(view.lastSeen, false));
  const sends = cell('td', 'Sends', String(view.sends), 'num');
  sends.dataset.count = 'sends';
  const deliveries = cell('td', 'Delivered', String(view.deliveries), 'num');
  deliveries.dataset.count = 'deliveries';
  tr.append(cell('th', 'Account', view.name), cell('td', 'Leg', leg), sends, deliveries, cell('td', 'Last seen', time!));
  return tr;
}

function isBoard(data: unknown): data is RoomJson {
  return typeof data === 'object' && data !== null && Array.isArray((data as RoomJson).people);
}

function draw(board: HTMLTableElement, data: RoomJson): void {
  const body = board.tBodies[0] ?? board.createTBody();
  body.replaceChildren(...data.people.map(row));
  board.hidden = data.people.length === 0;
  // The status line is read out only when what it says changes (a person joined or left).
  const text = roomSummary(data.people.length);
  if (summary && summary.textContent !== text) summary.textContent = text;
}

if (table) {
  const url = table.dataset.jsonUrl ?? '/room.json';
  const every = Number(table.dataset.pollMs) || 3000;
  let paused = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    clearTimeout(timer);
    if (!paused) timer = setTimeout(() => void tick(), every);
  };

  async function tick(): Promise<void> {
    if (paused) return;
    if (document.hidden) {
      document.addEventListener('visibilitychange', () => void tick(), { once: true });
      return;
    }
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      const json = response.ok && (response.headers.get('content-type') ?? '').startsWith('application/json');
      const data: unknown = json ? await response.json() : undefined;
      if (isBoard(data) && !paused) draw(table!, data);
    } catch {
      // A network blip: the board keeps what it shows and asks again.
    }
    schedule();
  }

  if (pause) {
    pause.hidden = false;
    pause.addEventListener('click', () => {
      paused = !paused;
      pause.setAttribute('aria-pressed', String(paused));
      if (paused) clearTimeout(timer);
      else void tick();
    });
  }
  schedule();
}
