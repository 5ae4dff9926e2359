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
 * True when the text has nothing but spaces and line breaks (or none at all): the form refuses
 * it as empty, so the counter shows it as empty too. The server's validation asks this function.
 * @param {string} text
 * @returns {boolean}
 */
export function isBlank(text) {
  return text.trim() === '';
}

/** What the counter says for a text of only blank space, which the form would refuse. */
export const BLANK_TEXT = 'Only blank space · the message is empty';

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

// ---------------------------------------------------------------------------------------------
// Why a text is Unicode, what that costs, and what it would cost as GSM-7

/**
 * @typedef {object} UnicodeCulprit
 * @property {string} char  the code point itself
 * @property {string} code  e.g. "U+2019"
 * @property {string} mark  what the counter highlights: the character, or its name when it is
 *   invisible (a no-break space) or would not show on its own (a combining accent)
 * @property {string} rest  what follows the highlight, e.g. " (U+2019)"
 * @property {number} count  how many times it occurs
 * @property {string} [replacement]  GSM-7 text that can stand in for it (' for ’)
 */

/**
 * Characters people type (or paste, or get from autocorrect) without meaning to leave GSM-7, and
 * the plain GSM-7 text that says the same.
 */
const REPLACEMENTS = new Map([
  ['\u2018', "'"], ['\u2019', "'"], ['\u201A', "'"], ['\u201B', "'"], ['\u2032', "'"], ['\u00B4', "'"], ['`', "'"],
  ['\u201C', '"'], ['\u201D', '"'], ['\u201E', '"'], ['\u201F', '"'], ['\u2033', '"'], ['\u00AB', '"'], ['\u00BB', '"'],
  ['\u2010', '-'], ['\u2011', '-'], ['\u2012', '-'], ['\u2013', '-'], ['\u2014', '-'], ['\u2015', '-'], ['\u2212', '-'],
  ['\u2026', '...'],
  ['\u00A0', ' '], ['\u2007', ' '], ['\u2009', ' '], ['\u202F', ' '],
  ['\u200B', ''], ['\u00AD', ''], ['\uFEFF', ''],
  ['\u2022', '-'],
]);

/** Names for characters a reader cannot see or tell apart by looking. */
const NAMES = new Map([
  ['\u00A0', 'no-break space'],
  ['\u2007', 'figure space'],
  ['\u2009', 'thin space'],
  ['\u202F', 'narrow no-break space'],
  ['\u200B', 'zero-width space'],
  ['\u200D', 'zero-width joiner'],
  ['\u00AD', 'soft hyphen'],
  ['\uFEFF', 'byte order mark'],
  ['\uFE0F', 'emoji variation selector'],
]);

/** At most this many different characters are listed; the rest are counted. */
export const MAX_LISTED_CULPRITS = 8;

/** @param {string} ch */
function codeOf(ch) {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The characters that make a text Unicode (UCS-2): every one GSM-7 cannot carry, once each, in
 * the order they first appear. Empty for a GSM-7 text.
 * @param {string} text
 * @returns {UnicodeCulprit[]}
 */
export function unicodeCulprits(text) {
  /** @type {Map<string, UnicodeCulprit>} */
  const found = new Map();
  for (const ch of text) {
    if (GSM_BASIC.has(ch) || GSM_EXTENSION.has(ch)) continue;
    const seen = found.get(ch);
    if (seen) {
      seen.count += 1;
      continue;
    }
    const code = codeOf(ch);
    const name = NAMES.get(ch) ?? (/^[\p{Z}\p{C}]$/u.test(ch) ? 'invisible character' : undefined);
    // A combining mark is drawn on a dotted circle, as character tables show it.
    const mark = name ?? (/^\p{M}$/u.test(ch) ? `\u25CC${ch}` : ch);
    /** @type {UnicodeCulprit} */
    const culprit = { char: ch, code, mark, rest: ` (${code})`, count: 1 };
    const replacement = REPLACEMENTS.get(ch);
    if (replacement !== undefined) culprit.replacement = replacement;
    found.set(ch, culprit);
  }
  return [...found.values()];
}

/**
 * The text as it could go out in GSM-7: each character outside GSM-7 replaced by its plain
 * equivalent where there is one, and left out where there is none (an emoji).
 * @param {string} text
 * @returns {string}
 */
export function asGsm7(text) {
  let out = '';
  for (const ch of text) {
    if (GSM_BASIC.has(ch) || GSM_EXTENSION.has(ch)) out += ch;
    else out += REPLACEMENTS.get(ch) ?? '';
  }
  return out;
}

/**
 * "Unicode because of: ’ (U+2019), 😀 (U+1F600)", the counter's list as plain text.
 * @param {UnicodeCulprit[]} culprits
 * @returns {string}
 */
export function describeCulprits(culprits) {
  const listed = culprits.slice(0, MAX_LISTED_CULPRITS).map((c) => c.mark + c.rest);
  const more = culprits.length - listed.length;
  return `Unicode because of: ${listed.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

/**
 * What to do about the culprits, e.g. "Replace ’ with ' to send it as GSM-7: 160 characters a
 * part instead of 70." Characters with a plain equivalent are to be replaced, others removed.
 * @param {UnicodeCulprit[]} culprits
 * @returns {string}
 */
export function describeReplacement(culprits) {
  const listed = culprits.slice(0, MAX_LISTED_CULPRITS);
  const swaps = listed.filter((c) => c.replacement).map((c) => `${c.mark} with ${c.replacement === ' ' ? 'a plain space' : c.replacement}`);
  const removals = listed.filter((c) => !c.replacement).map((c) => c.mark);
  const steps = [];
  if (swaps.length > 0) steps.push(`Replace ${list(swaps)}`);
  if (removals.length > 0) steps.push(`${steps.length > 0 ? 'remove' : 'Remove'} ${list(removals)}`);
  const others = culprits.length > listed.length ? ' (and the other characters likewise)' : '';
  return `${steps.join(', and ')}${others} to send it as GSM-7: 160 characters a part instead of 70.`;
}

/** @param {string[]} items */
function list(items) {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const TIMES = new Map([[2, 'double'], [3, 'triple'], [4, 'quadruple']]);

/**
 * A warning when Unicode makes the message take more parts than the same text in GSM-7 would,
 * e.g. "This one character triples the message: 3 parts instead of 1." or "These characters
 * add a part: 3 parts instead of 2." Undefined otherwise.
 * @param {UnicodeCulprit[]} culprits
 * @param {number} parts  as it will be sent (Unicode)
 * @param {number} gsmParts  with the culprits replaced or removed (asGsm7)
 * @returns {string | undefined}
 */
export function describeMultipliedParts(culprits, parts, gsmParts) {
  if (culprits.length === 0 || gsmParts === 0 || parts <= gsmParts) return undefined;
  const one = culprits.length === 1;
  const who = one ? (culprits[0]?.count === 1 ? 'This one character' : 'This character') : 'These characters';
  const factor = parts / gsmParts;
  const times = Number.isInteger(factor) ? TIMES.get(factor) : undefined;
  const added = parts - gsmParts;
  const verb = times ? `${times}${one ? 's' : ''} the message` : `add${one ? 's' : ''} ${added === 1 ? 'a part' : `${added} parts`}`;
  return `${who} ${verb}: ${plural(parts, 'part')} instead of ${gsmParts}.`;
}

// ---------------------------------------------------------------------------------------------
// The estimated cost

const PRICE = /^(\d{1,6})(?:\.(\d{1,8}))?$/;
const EURO = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 8 });

/**
 * True for a price per part as Nexmo writes it: a plain decimal string such as "0.03330000".
 * @param {unknown} price
 * @returns {price is string}
 */
export function isPartPrice(price) {
  return typeof price === 'string' && PRICE.test(price);
}

/**
 * `parts` times `partPrice`, exactly (in units of 10⁻⁸ €, as Nexmo prices are written), as a
 * decimal string with 8 places.
 * @param {number} parts
 * @param {string} partPrice
 * @returns {string}
 */
export function multiplyPrice(parts, partPrice) {
  const match = PRICE.exec(partPrice);
  if (!match) throw new RangeError(`not a price: ${partPrice}`);
  const units = (Number(match[1]) * 1e8 + Number((match[2] ?? '').padEnd(8, '0'))) * parts;
  return `${Math.floor(units / 1e8)}.${String(units % 1e8).padStart(8, '0')}`;
}

/** @param {string} amount */
function euro(amount) {
  // Intl formats a decimal string exactly (Intl.NumberFormat v3); its typings may predate that.
  return EURO.format(/** @type {any} */ (amount));
}

/**
 * "Estimated cost: €0.0999 (3 parts × €0.0333)", or undefined for an empty text or when no
 * price is known (the counter then says nothing about money).
 * @param {number} parts
 * @param {string | undefined} partPrice
 * @returns {string | undefined}
 */
export function describeCost(parts, partPrice) {
  if (parts === 0 || !isPartPrice(partPrice)) return undefined;
  return `Estimated cost: ${euro(multiplyPrice(parts, partPrice))} (${plural(parts, 'part')} × ${euro(partPrice)})`;
}

// ---------------------------------------------------------------------------------------------
// Everything the counter shows

/**
 * @typedef {object} CounterView
 * @property {string} text  the sentence (describeCount)
 * @property {boolean} warning  whether the sentence carries WARNING_CLASS
 * @property {string | undefined} cost  describeCost, when a price is known
 * @property {{ culprits: UnicodeCulprit[], more: number, listed: string, hint: string } | undefined} unicode
 *   why the text is Unicode: the characters to highlight (at most MAX_LISTED_CULPRITS), how many
 *   more there are, the whole list as plain text, and what to do
 * @property {string | undefined} multiplied  describeMultipliedParts
 */

/**
 * What the counter shows for a text: the server renders it first, the browser redraws it from
 * the same function as the text changes.
 * @param {string} text
 * @param {string} [partPrice]  the last known price of one part
 * @returns {CounterView}
 */
export function counterView(text, partPrice) {
  // Spaces alone are no message: no parts, no cost, nothing to say about their encoding.
  if (text !== '' && isBlank(text)) {
    return { text: BLANK_TEXT, warning: false, cost: undefined, unicode: undefined, multiplied: undefined };
  }
  const count = countSegments(text);
  const culprits = unicodeCulprits(text);
  const gsmParts = culprits.length === 0 ? count.parts : countSegments(asGsm7(text)).parts;
  return {
    text: describeCount(count),
    warning: needsWarning(count),
    cost: describeCost(count.parts, partPrice),
    unicode:
      culprits.length === 0
        ? undefined
        : {
            culprits: culprits.slice(0, MAX_LISTED_CULPRITS),
            more: Math.max(0, culprits.length - MAX_LISTED_CULPRITS),
            listed: describeCulprits(culprits),
            hint: describeReplacement(culprits),
          },
    multiplied: describeMultipliedParts(culprits, count.parts, gsmParts),
  };
}
