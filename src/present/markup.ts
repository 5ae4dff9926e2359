// A piece of a page that the server draws and the browser redraws (a part's Delivery cell, a
// group's summary row) is written once, as a function that returns it as data: text, spans and
// moments. The server draws that data with views/partials/markup.ejs and the browser with
// src/browser/markup.ts; neither knows any piece, so the two cannot draw it differently. Text
// stays text on both sides (escaped by EJS, set as text in the DOM). No module of Node's here:
// the browser build imports this file.
import type { Moment } from './dates.js';

export type Markup = string | MarkupSpan | MarkupTime;

export interface MarkupSpan {
  tag: 'span';
  /** The class attribute, or '' for none. */
  className: string;
  /** data-* attributes, by their name after "data-" (lowercase, as written in HTML). */
  data?: Readonly<Record<string, string>>;
  children: readonly Markup[];
}

/** A moment in UTC as the server writes it; the browser writes it again in the reader's zone. */
export interface MarkupTime {
  tag: 'time';
  /** Its datetime attribute (see Moment.iso). */
  dateTime: string;
  text: string;
}

export function span(className: string, ...children: Markup[]): MarkupSpan {
  return { tag: 'span', className, children };
}

/** A state in words, as a badge: its tone (ok, wait, warn, bad) colours it; '' leaves it plain. */
export function badge(tone: string, text: string): MarkupSpan {
  return span(tone ? `badge badge-${tone}` : 'badge', text);
}

/** A span with data-* attributes, which a script or a spec finds it by. */
export function dataSpan(className: string, data: Readonly<Record<string, string>>, ...children: Markup[]): MarkupSpan {
  return { tag: 'span', className, data, children };
}

/**
 * A moment (src/present/dates.ts) as a <time>, then, for one known only to the minute,
 * "(to the minute)", unless the caller says that once for several moments.
 */
export function momentMarkup(moment: Moment, withNote = true): Markup[] {
  const time: MarkupTime = { tag: 'time', dateTime: moment.iso, text: moment.text };
  return withNote && moment.note ? [time, ' ', timeNote(moment.note)] : [time];
}

/** What is said beside moments known only to the minute: "(to the minute)". */
export function timeNote(note: string): MarkupSpan {
  return span('time-note', `(${note})`);
}

