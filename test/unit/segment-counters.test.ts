// Where GSM-7 and UCS-2 texts split into parts, checked against both counters: the app's (what
// the form shows and the server validates) and the sandbox's own (what the sandbox bills). They
// are written separately on purpose, so one table keeps them agreeing with each other and with
// the carriers' rules: 160 septets or 70 UTF-16 units in a single message, 153 or 67 per part
// once split, extension characters (form feed included) taking two septets, surrogate pairs two
// units, and a two-unit character never cut across parts.
import { describe, expect, it } from 'vitest';

import { countSegments as appCount } from '../../src/nexmo/segments.js';
import { countSegments as sandboxCount } from '../../packages/sandbox/src/segments.js';

type Encoding = 'GSM-7' | 'UCS-2';
interface Counted {
  encoding: Encoding;
  units: number;
  parts: number;
  /** Units still free in the last part; only the app's counter reports it. */
  remainingInPart?: number;
}

const COUNTERS: Array<{ name: string; reportsRemaining: boolean; count: (text: string) => Counted }> = [
  {
    name: "the app's counter (src/nexmo/segments.ts)",
    reportsRemaining: true,
    count: (text) => {
      const { encoding, units, parts, remainingInPart } = appCount(text);
      return { encoding, units, parts, remainingInPart };
    },
  },
  {
    name: "the sandbox's billing counter (packages/sandbox/src/segments.ts)",
    reportsRemaining: false,
    count: (text) => {
      // type=text: the sandbox bills a text with any character outside GSM-7 as UCS-2.
      const { encoding, units, parts } = sandboxCount(text, 'text');
      return { encoding: encoding === 'gsm7' ? 'GSM-7' : 'UCS-2', units, parts };
    },
  },
];

const a = (n: number) => 'a'.repeat(n);
const zh = (n: number) => 'ж'.repeat(n); // Cyrillic: outside GSM-7, one UTF-16 unit each
const EMOJI = '😀'; // outside the BMP: a surrogate pair, two UTF-16 units
const EXTENSION = '|^€{}[]~\\\f'; // the GSM-7 extension table, form feed included

const gsm = (units: number, parts: number, remainingInPart: number): Counted => ({ encoding: 'GSM-7', units, parts, remainingInPart });
const ucs = (units: number, parts: number, remainingInPart: number): Counted => ({ encoding: 'UCS-2', units, parts, remainingInPart });

const BOUNDARIES: Array<[string, string, Counted]> = [
  // GSM-7: 160 in one message, 153 per part after.
  ['160 GSM-7 characters in one part', a(160), gsm(160, 1, 0)],
  ['161 GSM-7 characters in two parts of 153', a(161), gsm(161, 2, 145)],
  ['306 GSM-7 characters filling two parts exactly', a(306), gsm(306, 2, 0)],
  ['307 GSM-7 characters in three parts', a(307), gsm(307, 3, 152)],
  // Extension characters take two septets.
  ['every extension character as two septets', EXTENSION, gsm(20, 1, 140)],
  ['80 € filling one message (160 septets)', '€'.repeat(80), gsm(160, 1, 0)],
  ['81 € in two parts (76 fit in the first)', '€'.repeat(81), gsm(162, 2, 143)],
  ['158 characters and a closing € in one part', `${a(158)}€`, gsm(160, 1, 0)],
  ['159 characters and a closing € in two parts', `${a(159)}€`, gsm(161, 2, 145)],
  ['an escape pair that would straddle a part boundary, moved whole into the next part', `${a(152)}€${a(7)}`, gsm(161, 2, 144)],
  ['that wasted septet pushing 306 septets into a third part', `${a(152)}€${a(152)}`, gsm(306, 3, 152)],
  ['an escape pair ending exactly on the boundary, kept in the earlier part', `${a(151)}€${a(153)}`, gsm(306, 2, 0)],
  // Form feed is an extension character too.
  ['158 characters and a form feed in one part', `${a(158)}\f`, gsm(160, 1, 0)],
  ['159 characters and a form feed in two parts', `${a(159)}\f`, gsm(161, 2, 145)],
  ['a form feed that would straddle a part boundary, moved whole', `${a(152)}\f${a(152)}`, gsm(306, 3, 152)],
  // UCS-2: 70 in one message, 67 per part after.
  ['70 UCS-2 units in one part', zh(70), ucs(70, 1, 0)],
  ['71 UCS-2 units in two parts of 67', zh(71), ucs(71, 2, 63)],
  ['134 UCS-2 units filling two parts exactly', zh(134), ucs(134, 2, 0)],
  ['135 UCS-2 units in three parts', zh(135), ucs(135, 3, 66)],
  ['69 GSM-7 characters and one outside it, all UCS-2, in one part', `${a(69)}ж`, ucs(70, 1, 0)],
  ['70 GSM-7 characters and one outside it, all UCS-2, in two parts', `${a(70)}ж`, ucs(71, 2, 63)],
  ['€ as one unit once the text is UCS-2 (no escape), 70 in one part', `ж${'€'.repeat(69)}`, ucs(70, 1, 0)],
  // Emoji: surrogate pairs, two units, never split.
  ['35 emoji filling one message (70 units)', EMOJI.repeat(35), ucs(70, 1, 0)],
  ['36 emoji in two parts (33 fit in the first)', EMOJI.repeat(36), ucs(72, 2, 61)],
  ['68 units and a closing emoji in one part', `${zh(68)}${EMOJI}`, ucs(70, 1, 0)],
  ['69 units and a closing emoji in two parts', `${zh(69)}${EMOJI}`, ucs(71, 2, 63)],
  ['a surrogate pair that would straddle a part boundary, moved whole into the next part', `${zh(66)}${EMOJI}${zh(66)}`, ucs(134, 3, 66)],
  ['a surrogate pair ending exactly on the boundary, kept in the earlier part', `${zh(65)}${EMOJI}${zh(67)}`, ucs(134, 2, 0)],
];

describe.each(COUNTERS)('$name', ({ count, reportsRemaining }) => {
  it.each(BOUNDARIES)('counts %s', (_name, text, expected) => {
    const { remainingInPart, ...common } = expected;
    expect(count(text)).toStrictEqual(reportsRemaining ? { ...common, remainingInPart } : common);
  });
});
