/**
 * How many SMS parts a text takes, as the sandbox bills it. Kept here rather than shared with
 * the app so that a counting bug on one side shows up as a mismatch instead of agreeing with
 * itself.
 */

// GSM 03.38 default alphabet (ESC at 0x1B is not a character of its own).
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Extension table: sent as ESC + char, so each costs two septets.
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

export type Encoding = 'gsm7' | 'ucs2';

export interface SegmentCount {
  encoding: Encoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  parts: number;
}

const LIMITS: Record<Encoding, { single: number; perPart: number }> = {
  gsm7: { single: 160, perPart: 153 },
  ucs2: { single: 70, perPart: 67 },
};

export function isGsm7(text: string): boolean {
  for (const ch of text) {
    if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) return false;
  }
  return true;
}

/**
 * `type=unicode` always means UCS-2. `type=text` with a character outside GSM-7 is accepted and
 * billed as UCS-2: real Nexmo would deliver it mangled (replacement characters), and billing it
 * as unicode is the honest price of what the user actually typed.
 */
export function countSegments(text: string, type: 'text' | 'unicode'): SegmentCount {
  const encoding: Encoding = type === 'text' && isGsm7(text) ? 'gsm7' : 'ucs2';
  // One entry per character: its cost in units. Iterating by code point keeps a surrogate
  // pair (2 units) and an escaped GSM-7 character (2 septets) together.
  const costs: number[] = [];
  for (const ch of text) {
    costs.push(encoding === 'gsm7' ? (GSM7_EXTENSION.has(ch) ? 2 : 1) : ch.length);
  }
  const units = costs.reduce((sum, c) => sum + c, 0);
  const { single, perPart } = LIMITS[encoding];
  if (units <= single) return { encoding, units, parts: 1 };

  // Handsets cannot rebuild a character split across two parts, so a part closes early
  // rather than cut an escape sequence or a surrogate pair in half.
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, parts };
}
