// Why a text is Unicode (UCS-2) and what that costs: the characters to blame, what to replace
// them with, and how many parts they add. The counter's words; shared with the browser.

import { REPLACEMENTS, isGsm7Character } from '../nexmo/segments.js';
import { plural } from './plural.js';

export interface UnicodeCulprit {
  /** The code point itself. */
  char: string;
  /** e.g. "U+2019". */
  code: string;
  /**
   * What the counter highlights: the character, or its name when it is invisible (a no-break
   * space) or would not show on its own (a combining accent).
   */
  mark: string;
  /** What follows the highlight, e.g. " (U+2019)". */
  rest: string;
  /** How many times it occurs. */
  count: number;
  /** GSM-7 text that can stand in for it (' for ’). */
  replacement?: string;
}

/** Names for characters a reader cannot see or tell apart by looking. */
const NAMES: ReadonlyMap<string, string> = new Map([
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

function codeOf(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The characters that make a text Unicode (UCS-2): every one GSM-7 cannot carry, once each, in
 * the order they first appear. Empty for a GSM-7 text.
 */
export function unicodeCulprits(text: string): UnicodeCulprit[] {
  const found = new Map<string, UnicodeCulprit>();
  for (const ch of text) {
    if (isGsm7Character(ch)) continue;
    const seen = found.get(ch);
    if (seen) {
      seen.count += 1;
      continue;
    }
    const code = codeOf(ch);
    const name = NAMES.get(ch) ?? (/^[\p{Z}\p{C}]$/u.test(ch) ? 'invisible character' : undefined);
    // A combining mark is drawn on a dotted circle, as character tables show it.
    const mark = name ?? (/^\p{M}$/u.test(ch) ? `\u25CC${ch}` : ch);
    const culprit: UnicodeCulprit = { char: ch, code, mark, rest: ` (${code})`, count: 1 };
    const replacement = REPLACEMENTS.get(ch);
    if (replacement !== undefined) culprit.replacement = replacement;
    found.set(ch, culprit);
  }
  return [...found.values()];
}

/**
 * "Unicode because of: ’ (U+2019), 😀 (U+1F600)", the counter's list as plain text.
 */
export function describeCulprits(culprits: readonly UnicodeCulprit[]): string {
  const listed = culprits.slice(0, MAX_LISTED_CULPRITS).map((c) => c.mark + c.rest);
  const more = culprits.length - listed.length;
  return `Unicode because of: ${listed.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

/**
 * What to do about the culprits, e.g. "Replace ’ with ' to send it as GSM-7: 160 characters a
 * part instead of 70." Characters with a plain equivalent are to be replaced, others removed.
 */
export function describeReplacement(culprits: readonly UnicodeCulprit[]): string {
  const listed = culprits.slice(0, MAX_LISTED_CULPRITS);
  const swaps = listed.filter((c) => c.replacement).map((c) => `${c.mark} with ${c.replacement === ' ' ? 'a plain space' : c.replacement}`);
  const removals = listed.filter((c) => !c.replacement).map((c) => c.mark);
  const steps: string[] = [];
  if (swaps.length > 0) steps.push(`Replace ${list(swaps)}`);
  if (removals.length > 0) steps.push(`${steps.length > 0 ? 'remove' : 'Remove'} ${list(removals)}`);
  const others = culprits.length > listed.length ? ' (and the other characters likewise)' : '';
  return `${steps.join(', and ')}${others} to send it as GSM-7: 160 characters a part instead of 70.`;
}

function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const TIMES: ReadonlyMap<number, string> = new Map([[2, 'double'], [3, 'triple'], [4, 'quadruple']]);

/**
 * A warning when Unicode makes the message take more parts than the same text in GSM-7 would,
 * e.g. "This one character triples the message: 3 parts instead of 1." or "These characters
 * add a part: 3 parts instead of 2." Undefined otherwise. `parts`: as it will be sent
 * (Unicode); `gsmParts`: with the culprits replaced or removed (asGsm7).
 */
export function describeMultipliedParts(culprits: readonly UnicodeCulprit[], parts: number, gsmParts: number): string | undefined {
  if (culprits.length === 0 || gsmParts === 0 || parts <= gsmParts) return undefined;
  const one = culprits.length === 1;
  const who = one ? (culprits[0]?.count === 1 ? 'This one character' : 'This character') : 'These characters';
  const factor = parts / gsmParts;
  const times = Number.isInteger(factor) ? TIMES.get(factor) : undefined;
  const added = parts - gsmParts;
  const verb = times ? `${times}${one ? 's' : ''} the message` : `add${one ? 's' : ''} ${added === 1 ? 'a part' : `${added} parts`}`;
  return `${who} ${verb}: ${plural(parts, 'part')} instead of ${gsmParts}.`;
}

