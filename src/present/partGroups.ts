// The message page's parts, grouped by the state they are in: a 7-part message whose parts were
// all delivered is one row, "Parts 1–7: Delivered at …", that opens to the seven parts. Parts in
// different states get a group each, in the order of their first part. The server draws the
// groups (views/sent-message.ejs) and the page redraws them from the same view as receipts
// arrive (src/browser/parts-table.ts); a group's summary row is written once, by groupSummary.

import { MINUTE_NOTE, type Moment } from './dates.js';
import { badge, momentMarkup, span, timeNote, type Markup } from './markup.js';
import { WAITING_FOR_RECEIPT } from './receiptCell.js';
import { changedAt, type ReceiptTimes } from './receiptTimes.js';

/** What grouping reads of a part as the message page shows it (see resultView). */
export interface GroupablePart {
  number: number;
  /** Nexmo accepted it (status 0). */
  accepted: boolean;
  /** Nexmo's answer for the part, in words ("Sent", "Not enough credit"). */
  statusTitle: string;
  receipt?: { status: string; title: string; explanation: string; tone: string; final: boolean } & ReceiptTimes;
}

export interface PartGroup {
  /** The state its parts share; the same key keeps the same group open or closed while the page updates. */
  key: string;
  numbers: number[];
  /** "Part 3", "Parts 1–7", "Parts 1, 3 and 5–7". */
  label: string;
  /** The state in words, as its badge ("Delivered", "Waiting for receipt"). */
  title: string;
  /** The badge's tone (badge-ok, badge-warn, badge-bad), or '' for a plain badge. */
  tone: string;
  /** For a final state: when its parts reached it, at `from` or between `from` and `to`. */
  from?: Moment;
  to?: Moment;
  /** "to the minute" when every time the summary shows is known only to the minute. */
  note?: string;
  /** A group of one part has nothing to hide: it is drawn open. */
  open: boolean;
}

export function partGroups(parts: readonly GroupablePart[]): PartGroup[] {
  const byKey = new Map<string, GroupablePart[]>();
  for (const part of parts) {
    const key = stateKey(part);
    byKey.set(key, [...(byKey.get(key) ?? []), part]);
  }
  return [...byKey].map(([key, members]) => group(key, members)).sort((a, b) => a.numbers[0]! - b.numbers[0]!);
}

/** Parts show the same state when they show the same words. */
function stateKey(part: GroupablePart): string {
  if (!part.accepted) return `refused:${part.statusTitle}`;
  if (!part.receipt) return 'waiting';
  return `receipt:${part.receipt.status}:${part.receipt.title}:${part.receipt.explanation}`;
}

function group(key: string, members: GroupablePart[]): PartGroup {
  const numbers = members.map((part) => part.number).sort((a, b) => a - b);
  const first = members[0]!;
  const state = !first.accepted
    ? { title: first.statusTitle, tone: 'bad' }
    : first.receipt
      ? { title: first.receipt.title, tone: first.receipt.tone }
      : { title: WAITING_FOR_RECEIPT, tone: '' };
  return { key, numbers, label: partsLabel(numbers), ...state, ...when(members), open: numbers.length === 1 };
}

/**
 * When a group's parts reached a final state (a receipt's own time: an expired report has none),
 * earliest and latest; nothing for a state that is still changing.
 */
function when(members: GroupablePart[]): Pick<PartGroup, 'from' | 'to' | 'note'> {
  const moments = members
    .map((part) => (part.receipt?.final && part.receipt.status !== 'unreported' ? changedAt(part.receipt) : undefined))
    .filter((moment): moment is Moment => moment !== undefined)
    .sort((a, b) => Date.parse(a.iso) - Date.parse(b.iso));
  const from = moments[0];
  const to = moments.at(-1);
  if (!from || !to) return {};
  const note = moments.every((moment) => moment.precision === 'minute') ? { note: MINUTE_NOTE } : {};
  return from.iso === to.iso ? { from, ...note } : { from, to, ...note };
}

/**
 * A group's summary row, "Parts 1–7: Delivered between … and … (to the minute)": its label, its
 * state as a badge, and for a final state when its parts reached it, the note said once.
 */
export function groupSummary(group: PartGroup): Markup[] {
  const summary: Markup[] = [span('part-group-label', group.label), ': ', badge(group.tone, group.title)];
  if (!group.from) return summary;
  const when: Markup[] = group.to ? ['between ', ...momentMarkup(group.from, false), ' and ', ...momentMarkup(group.to, false)] : ['at ', ...momentMarkup(group.from, false)];
  if (group.note) when.push(' ', timeNote(group.note));
  return [...summary, ' ', span('part-group-when', ...when)];
}

/** "Part 3", "Parts 1 and 2", "Parts 1–7", "Parts 1, 3 and 5–7": runs of three or more as ranges. */
export function partsLabel(numbers: readonly number[]): string {
  if (numbers.length === 1) return `Part ${numbers[0]}`;
  const items: string[] = [];
  let start = 0;
  for (let i = 1; i <= numbers.length; i += 1) {
    if (i < numbers.length && numbers[i] === numbers[i - 1]! + 1) continue;
    const run = numbers.slice(start, i);
    if (run.length >= 3) items.push(`${run[0]}–${run.at(-1)}`);
    else items.push(...run.map(String));
    start = i;
  }
  return `Parts ${items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`}`;
}
