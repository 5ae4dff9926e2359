// The message history: one row per send, newest first, a page at a time.

import { formatNumber } from './phoneNumbers.js';
import { countSegments } from '../nexmo/segments.js';
import type { MessagePage, SendRecord } from '../store/types.js';
import { formatMoment } from './dates.js';
import { badge } from './markup.js';
import { attemptLabel, statusLine } from './messageStatus.js';

export const HISTORY_PAGE_SIZE = 20;

/** How many characters of the text a row shows. */
const EXCERPT_LENGTH = 40;

/** The 1-based page count for `total` messages; an empty history still has its one (empty) page. */
export function pageCount(total: number, pageSize = HISTORY_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** `now` is the app's clock, for the messages whose 72 hours without a final receipt are over. */
export function historyView(page: MessagePage, pageNumber: number, now: number, pageSize = HISTORY_PAGE_SIZE) {
  const pages = pageCount(page.total, pageSize);
  const rows = page.records.map((record) => historyRow(record, now));
  return {
    rows,
    total: page.total,
    pageNumber,
    pages,
    /** Where the newer and older pages are, when there are any. */
    newer: pageNumber > 1 ? pageHref(pageNumber - 1) : undefined,
    older: pageNumber < pages ? pageHref(pageNumber + 1) : undefined,
    /** Rows whose status can still change, for the page to watch. */
    watchIds: rows.filter((row) => !row.status.final).map((row) => row.id),
  };
}

export function historyRow(record: SendRecord, now: number) {
  const status = statusLine(record, now);
  const parts = 'parts' in record.outcome ? record.outcome.parts.length : countSegments(record.request.text).parts;
  return {
    id: record.id,
    sentAt: formatMoment(record.createdAt),
    sentLabel: attemptLabel(record.outcome),
    ...destination(record.request.to),
    excerpt: excerpt(record.request.text),
    parts,
    status,
    /** The Status cell, as the page redraws it when the status changes (src/browser/history-status.ts). */
    statusCell: [badge(status.tone, status.text)],
  };
}

/** The number as the library writes it, and its country for the line below it. */
function destination(digits: string): { to: string; toCountry: string | undefined } {
  const { international, country } = formatNumber(digits);
  return { to: international, toCountry: country };
}

export function pageHref(pageNumber: number): string {
  return pageNumber === 1 ? '/messages' : `/messages?page=${pageNumber}`;
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The start of the text on one line, cut between characters as people see them (never inside an emoji). */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(GRAPHEMES.segment(oneLine), (s) => s.segment);
  return characters.length <= length ? oneLine : `${characters.slice(0, length - 1).join('').trimEnd()}…`;
}
