// The one way the app writes a moment, on the server and in the browser alike: "23 Nov 2026,
// 12:01:40 UTC". The server cannot know the reader's time zone, so it writes UTC; the browser
// (src/browser/local-time.ts) writes the same pattern again in the reader's zone. Only the zone
// differs, never the pattern: the text is assembled here from Intl's numbers, not left to each
// engine's locale data, which Node and Chromium may hold in different versions.
//
// A moment shows the precision its source has: seconds for the app's own clock and Nexmo's
// message-timestamp, minutes for a carrier's scts (YYMMDDHHMM), which no one may pad with
// seconds it never had. No module of Node's here: the browser build imports this file.

export type Precision = 'second' | 'minute';

export interface Moment {
  /** For <time datetime>: ISO 8601 in UTC, without seconds for a moment known to the minute. */
  iso: string;
  /** For people: "23 Nov 2026, 12:01:40 UTC", or "23 Nov 2026, 12:01 UTC" to the minute. */
  text: string;
  precision: Precision;
  /** Said beside a moment known only to the minute, so its missing seconds are not read as :00. */
  note?: string;
}

/** What a moment known only to the minute says beside it. */
export const MINUTE_NOTE = 'to the minute';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** One formatter per zone (making one costs far more than using it); '' is the reader's own. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * The text of a moment in `timeZone` (an IANA name; the reader's own when undefined), to the
 * second or to the minute: "23 Nov 2026, 12:01:40 UTC", "24 Nov 2026, 02:01 GMT+9".
 */
export function momentText(date: Date, precision: Precision, timeZone?: string): string {
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(date)) part[type] = value;
  const clock = precision === 'second' ? `${part.hour}:${part.minute}:${part.second}` : `${part.hour}:${part.minute}`;
  return `${Number(part.day)} ${MONTHS[Number(part.month) - 1]} ${part.year}, ${clock} ${part.timeZoneName}`;
}

/** A datetime attribute's value that names its minute only: "2026-11-23T12:01Z". */
const MINUTE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;

/** The precision a <time datetime> value was written with (see formatMoment). */
export function precisionOf(iso: string): Precision {
  return MINUTE_ISO.test(iso) ? 'minute' : 'second';
}

/** A moment of the app's clock (or any known to the second), or one known only to the minute. */
export function formatMoment(epochMs: number, precision: Precision = 'second'): Moment {
  const date = new Date(epochMs);
  const iso = date.toISOString();
  const text = momentText(date, precision, 'UTC');
  return precision === 'second' ? { iso, text, precision } : { iso: `${iso.slice(0, 16)}Z`, text, precision, note: MINUTE_NOTE };
}
