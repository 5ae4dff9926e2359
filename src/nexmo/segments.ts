// SMS length counting: GSM-7 or Unicode (UCS-2), units, parts and the room left. Used by the
// server (validation, the first render) and, compiled for the browser (src/browser/), by the live
// counter, so both always agree. No imports and nothing of Node's: it runs in both.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /**
   * Septets for GSM-7 (extension characters and form feed take two), UTF-16 code units for
   * UCS-2 (characters outside the BMP, such as most emoji, take two).
   */
  units: number;
  /** What a person counts: Unicode code points. */
  characters: number;
  /** 0 for an empty text, so a page can say "empty" rather than "1 part". */
  parts: number;
  /**
   * 160 / 70 while the text fits in one message, 153 / 67 once split (the rest of each part
   * carries the header that joins the parts up again).
   */
  perPart: number;
  /** Units still free in the last part. */
  remainingInPart: number;
}

/** Nexmo refuses longer texts. */
export const MAX_CHARACTERS = 3200;
/** Past this, each extra part is billed and long concatenations are unreliable on some phones. */
export const MAX_RECOMMENDED_PARTS = 6;
// GSM 03.38 default alphabet, in table order (0x1B, the escape to the extension table, is not a
// character of its own and is left out). Greek capitals are written as escapes because several
// look exactly like Latin letters.
const GSM_BASIC: ReadonlySet<string> = new Set(
  '@£$¥èéùìòÇ\nØø\rÅå' +
    '\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039EÆæßÉ' +
    ' !"#¤%&\'()*+,-./' +
    '0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNO' +
    'PQRSTUVWXYZÄÖÑÜ§' +
    '¿abcdefghijklmno' +
    'pqrstuvwxyzäöñüà',
);

// Sent as escape + character, so each costs two septets.
const GSM_EXTENSION: ReadonlySet<string> = new Set('\f^{}\\[~]|€');

const GSM = { single: 160, perPart: 153 };
const UCS2 = { single: 70, perPart: 67 };

/** True when every character can be sent with GSM-7 (`type=text`). */
export function isGsm7(text: string): boolean {
  for (const ch of text) {
    if (!isGsm7Character(ch)) return false;
  }
  return true;
}

/** One character (code point) GSM-7 can carry, from either table. */
export function isGsm7Character(ch: string): boolean {
  return GSM_BASIC.has(ch) || GSM_EXTENSION.has(ch);
}

/** How many units each character takes, in order. */
function unitSizes(text: string, gsm: boolean): number[] {
  const sizes: number[] = [];
  for (const ch of text) {
    // for...of walks code points, so a surrogate pair arrives as one two-unit character.
    sizes.push(gsm ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length);
  }
  return sizes;
}

/**
 * Counts units, parts and the room left, the way the message will be split.
 *
 * A split never cuts an escape pair (GSM-7 extension character) or a surrogate pair: carriers
 * move such a two-unit character whole into the next part, leaving one unit unused. Parts are
 * therefore counted by packing characters greedily rather than by dividing the unit count, which
 * can need one part more (152 plain characters, then `€`, then 152 more: 306 units, 3 parts).
 */
export function countSegments(text: string): SegmentCount {
  const gsm = isGsm7(text);
  const limits = gsm ? GSM : UCS2;
  const sizes = unitSizes(text, gsm);
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const base = { encoding: (gsm ? 'GSM-7' : 'UCS-2') as SmsEncoding, units, characters: sizes.length };

  if (units === 0) {
    return { ...base, parts: 0, perPart: limits.single, remainingInPart: limits.single };
  }
  if (units <= limits.single) {
    return { ...base, parts: 1, perPart: limits.single, remainingInPart: limits.single - units };
  }

  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.perPart) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return { ...base, parts, perPart: limits.perPart, remainingInPart: limits.perPart - used };
}

/**
 * True when the text has nothing but spaces and line breaks (or none at all): the form refuses
 * it as empty, so the counter shows it as empty too. The server's validation asks this function.
 */
export function isBlank(text: string): boolean {
  return text.trim() === '';
}

// ---------------------------------------------------------------------------------------------
// What a Unicode text would be in GSM-7

/**
 * Characters people type (or paste, or get from autocorrect) without meaning to leave GSM-7, and
 * the plain GSM-7 text that says the same.
 */
export const REPLACEMENTS = new Map<string, string>([
  ['\u2018', "'"], ['\u2019', "'"], ['\u201A', "'"], ['\u201B', "'"], ['\u2032', "'"], ['\u00B4', "'"], ['`', "'"],
  ['\u201C', '"'], ['\u201D', '"'], ['\u201E', '"'], ['\u201F', '"'], ['\u2033', '"'], ['\u00AB', '"'], ['\u00BB', '"'],
  ['\u2010', '-'], ['\u2011', '-'], ['\u2012', '-'], ['\u2013', '-'], ['\u2014', '-'], ['\u2015', '-'], ['\u2212', '-'],
  ['\u2026', '...'],
  ['\u00A0', ' '], ['\u2007', ' '], ['\u2009', ' '], ['\u202F', ' '],
  ['\u200B', ''], ['\u00AD', ''], ['\uFEFF', ''],
  ['\u2022', '-'],
]);

/**
 * The text as it could go out in GSM-7: each character outside GSM-7 replaced by its plain
 * equivalent where there is one, and left out where there is none (an emoji).
 */
export function asGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (isGsm7Character(ch)) out += ch;
    else out += REPLACEMENTS.get(ch) ?? '';
  }
  return out;
}

