// Moments in the reader's time zone. The server writes every <time datetime> in UTC, as it
// cannot know the reader's zone; these write the same pattern again in the reader's zone (see
// src/present/dates.ts, which both use), keeping the server's UTC text as the element's title.
import { momentText, precisionOf } from '../present/dates.js';

/** Rewrites a <time datetime> in the reader's zone, at the precision its datetime was written with. */
export function showInLocalTime(time: HTMLTimeElement): void {
  const date = new Date(time.dateTime);
  if (Number.isNaN(date.getTime())) return;
  const local = momentText(date, precisionOf(time.dateTime));
  if (time.textContent === local) return;
  if (!time.title) time.title = (time.textContent ?? '').trim();
  time.textContent = local;
}
