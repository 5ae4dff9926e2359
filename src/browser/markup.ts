// Draws markup that src/present/ returns as data (see src/present/markup.ts) into the page, as
// views/partials/markup.ejs draws it on the server; a <time> is then written in the reader's
// zone, as local-time.ts writes the server's. Text is set as text, never parsed as HTML.
import type { Markup } from '../present/markup.js';
import { showInLocalTime } from './times.js';

export function drawMarkup(nodes: readonly Markup[]): Node[] {
  return nodes.map((node) => {
    if (typeof node === 'string') return document.createTextNode(node);
    if (node.tag === 'time') {
      const time = document.createElement('time');
      time.dateTime = node.dateTime;
      time.textContent = node.text;
      showInLocalTime(time);
      return time;
    }
    const span = document.createElement('span');
    if (node.className) span.className = node.className;
    for (const [name, value] of Object.entries(node.data ?? {})) span.setAttribute(`data-${name}`, value);
    span.append(...drawMarkup(node.children));
    return span;
  });
}
