// What the SMS form's counter shows for a text: its length, parts and encoding, the warning,
// the estimated cost and why it is Unicode. The server renders it first; the browser redraws it
// from this same module (compiled from src/browser/) as the text changes.

import { MAX_CHARACTERS, MAX_RECOMMENDED_PARTS, asGsm7, countSegments, isBlank, type SegmentCount } from '../nexmo/segments.js';
import { isPartPrice, multiplyPrice } from '../nexmo/money.js';
import { formatEuro } from './money.js';
import { plural } from './plural.js';
import { MAX_LISTED_CULPRITS, describeCulprits, describeMultipliedParts, describeReplacement, unicodeCulprits, type UnicodeCulprit } from './unicodeHints.js';

/** Class the counter carries while `needsWarning` holds; the server renders it the same way. */
export const WARNING_CLASS = 'sms-counter--warning';

/** What the counter says for a text of only blank space, which the form would refuse. */
export const BLANK_TEXT = 'Only blank space · the message is empty';

/** True when the counter should stand out: over Nexmo's length limit, or more parts than advised. */
export function needsWarning(count: SegmentCount): boolean {
  return count.characters > MAX_CHARACTERS || count.parts > MAX_RECOMMENDED_PARTS;
}

/**
 * The counter's sentence, e.g. "42 characters · GSM-7 · 1 part (118 left in this part)".
 * The warning travels in the words too, not only in the styling.
 */
export function describeCount(count: SegmentCount): string {
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

/**
 * "Estimated cost: €0.0999 (3 parts × €0.0333)", or undefined for an empty text or when no
 * price is known (the counter then says nothing about money).
 */
export function describeCost(parts: number, partPrice: string | undefined): string | undefined {
  if (parts === 0 || !isPartPrice(partPrice)) return undefined;
  return `Estimated cost: ${formatEuro(multiplyPrice(parts, partPrice))} (${plural(parts, 'part')} × ${formatEuro(partPrice)})`;
}

export interface CounterView {
  /** The sentence (describeCount). */
  text: string;
  /** Whether the sentence carries WARNING_CLASS. */
  warning: boolean;
  /** describeCost, when a price is known. */
  cost: string | undefined;
  /**
   * Why the text is Unicode: the characters to highlight (at most MAX_LISTED_CULPRITS), how
   * many more there are, the whole list as plain text, and what to do.
   */
  unicode: { culprits: UnicodeCulprit[]; more: number; listed: string; hint: string } | undefined;
  /** describeMultipliedParts. */
  multiplied: string | undefined;
}

/** Everything the counter shows for `text`; `partPrice`: the last known price of one part. */
export function counterView(text: string, partPrice?: string): CounterView {
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
