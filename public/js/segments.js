// SMS length counting shared by the server (initial render, validation) and the browser (live
// counter), so both always agree. Plain ES module with no imports: it runs as-is in both.

/**
 * @typedef {'GSM-7' | 'UCS-2'} SmsEncoding
 *
 * @typedef {object} SegmentCount
 * @property {SmsEncoding} encoding
 * @property {number} units  septets for GSM-7 (extension characters and form feed take two),
 *   UTF-16 code units for UCS-2 (characters outside the BMP, such as most emoji, take two)
 * @property {number} characters  what a person counts: Unicode code points
 * @property {number} parts  0 for an empty text, so a page can say "empty" rather than "1 part"
 * @property {number} perPart  160 / 70 while the text fits in one message, 153 / 67 once split
 *   (the rest of each part carries the header that joins the parts up again)
 * @property {number} remainingInPart  units still free in the last part
 */

/** Nexmo refuses longer texts. */
export const MAX_CHARACTERS = 3200;
/** Past this, each extra part is billed and long concatenations are unreliable on some phones. */
export const MAX_RECOMMENDED_PARTS = 6;
/** Class the counter carries while `needsWarning` holds; the server renders it the same way. */
export const WARNING_CLASS = 'sms-counter--warning';

// GSM 03.38 default alphabet, in table order (0x1B, the escape to the extension table, is not a
// character of its own and is left out). Greek capitals are written as escapes because several
// look exactly like Latin letters.
const GSM_BASIC = new Set(
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
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const GSM = { single: 160, perPart: 153 };
const UCS2 = { single: 70, perPart: 67 };

/**
 * True when every character can be sent with GSM-7 (`type=text`).
 * @param {string} text
 * @returns {boolean}
 */
export function isGsm7(text) {
  for (const ch of text) {
    if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  }
  return true;
}

/**
 * How many units each character takes, in order.
 * @param {string} text
 * @param {boolean} gsm
 * @returns {number[]}
 */
function unitSizes(text, gsm) {
  const sizes = [];
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
 *
 * @param {string} text
 * @returns {SegmentCount}
 */
export function countSegments(text) {
  const gsm = isGsm7(text);
  const limits = gsm ? GSM : UCS2;
  const sizes = unitSizes(text, gsm);
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const base = { encoding: gsm ? 'GSM-7' : 'UCS-2', units, characters: sizes.length };

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
 * True when the counter should stand out: over Nexmo's length limit, or more parts than advised.
 * @param {SegmentCount} count
 * @returns {boolean}
 */
export function needsWarning(count) {
  return count.characters > MAX_CHARACTERS || count.parts > MAX_RECOMMENDED_PARTS;
}

/**
 * @param {number} n
 * @param {string} word
 */
function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The counter's sentence, e.g. "42 characters · GSM-7 · 1 part (118 left in this part)".
 * The warning travels in the words too, not only in the styling.
 * @param {SegmentCount} count
 * @returns {string}
 */
export function describeCount(count) {
  if (count.parts === 0) return '0 characters · the message is empty';

  const encoding = count.encoding === 'GSM-7' ? 'GSM-7' : 'Unicode (UCS-2)';
  let text =
    `${plural(count.characters, 'character')} · ${encoding} · ${plural(count.parts, 'part')}` +
    ` (${count.remainingInPart} left in this part)`;
  if (count.characters > MAX_CHARACTERS) {
    text += ` · Too long: Nexmo accepts at most ${MAX_CHARACTERS} characters`;
  } else if (count.parts > MAX_RECOMMENDED_PARTS) {
    text += ` · More than ${MAX_RECOMMENDED_PARTS} parts: each part is billed, and some phones may not join them up`;
  }
  return text;
}
