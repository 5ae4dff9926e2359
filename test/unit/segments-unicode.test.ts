// Why a text is Unicode, what switching to Unicode costs in parts, and the estimated price: the
// counter's words (src/present/smsCounter.ts, unicodeHints.ts), which the browser build shares.
import { describe, expect, it } from 'vitest';

import { isPartPrice, multiplyPrice } from '../../src/nexmo/money.js';
import { asGsm7, countSegments } from '../../src/nexmo/segments.js';
import { counterView, describeCost } from '../../src/present/smsCounter.js';
import { MAX_LISTED_CULPRITS, describeCulprits, describeMultipliedParts, describeReplacement, unicodeCulprits } from '../../src/present/unicodeHints.js';
import { checkSmsForm } from '../../src/present/smsForm.js';

describe('unicodeCulprits', () => {
  it('finds nothing in a GSM-7 text, extension characters included', () => {
    expect(unicodeCulprits('Hello {world} €5 [ok] ~ | ^ \\ @£$¥ èéùìò')).toEqual([]);
    expect(unicodeCulprits('')).toEqual([]);
  });

  it('names the typographic apostrophe that makes "Don’t" Unicode, with its code point and a replacement', () => {
    expect(unicodeCulprits('Don’t')).toEqual([{ char: '’', code: 'U+2019', mark: '’', rest: ' (U+2019)', count: 1, replacement: "'" }]);
  });

  it('lists each character once, in the order it first appears, with how often it occurs', () => {
    const culprits = unicodeCulprits('“Hi” – it’s 😀, isn’t it? 😀');
    expect(culprits.map((c) => [c.char, c.code, c.count])).toEqual([
      ['“', 'U+201C', 1],
      ['”', 'U+201D', 1],
      ['–', 'U+2013', 1],
      ['’', 'U+2019', 2],
      ['😀', 'U+1F600', 2],
    ]);
    expect(culprits.find((c) => c.char === '😀')?.replacement).toBeUndefined();
  });

  it('names characters that cannot be seen, and draws a combining accent on a dotted circle', () => {
    expect(unicodeCulprits('a\u00A0b')[0]).toMatchObject({ mark: 'no-break space', rest: ' (U+00A0)', replacement: ' ' });
    expect(unicodeCulprits('a\u200Bb')[0]).toMatchObject({ mark: 'zero-width space', replacement: '' });
    expect(unicodeCulprits('a\u2060b')[0]).toMatchObject({ mark: 'invisible character', code: 'U+2060' });
    expect(unicodeCulprits('e\u0301')[0]).toMatchObject({ mark: '\u25CC\u0301', code: 'U+0301' });
  });

  it('agrees with isGsm7: a text has culprits exactly when it is counted as UCS-2', () => {
    for (const text of ['plain', 'Don’t', 'ж', '😀', 'a\fb', 'x\u00A0y', '€']) {
      expect(unicodeCulprits(text).length > 0, text).toBe(countSegments(text).encoding === 'UCS-2');
    }
  });
});

describe('asGsm7', () => {
  it('replaces what has a plain equivalent and leaves out what has none', () => {
    expect(asGsm7('“Don’t” – wait… 😀 ok')).toBe('"Don\'t" - wait...  ok');
    expect(countSegments(asGsm7('Don’t 👋')).encoding).toBe('GSM-7');
  });
});

describe('the counter’s sentences about Unicode', () => {
  it('lists the culprits, and how many more there are past the limit', () => {
    expect(describeCulprits(unicodeCulprits('Don’t'))).toBe('Unicode because of: ’ (U+2019)');
    const many = 'абвгдежзийк'; // 11 Cyrillic letters
    expect(describeCulprits(unicodeCulprits(many))).toBe(`Unicode because of: ${[...many].slice(0, MAX_LISTED_CULPRITS).map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')}, and 3 more`);
  });

  it('says what to replace, and what to remove when there is no plain equivalent', () => {
    expect(describeReplacement(unicodeCulprits('Don’t'))).toBe("Replace ’ with ' to send it as GSM-7: 160 characters a part instead of 70.");
    expect(describeReplacement(unicodeCulprits('Hi 👋'))).toBe('Remove 👋 to send it as GSM-7: 160 characters a part instead of 70.');
    expect(describeReplacement(unicodeCulprits('“a” 👋'))).toBe('Replace “ with " and ” with ", and remove 👋 to send it as GSM-7: 160 characters a part instead of 70.');
    expect(describeReplacement(unicodeCulprits('a\u00A0b'))).toBe('Replace no-break space with a plain space to send it as GSM-7: 160 characters a part instead of 70.');
  });

  it('warns when one character triples the parts', () => {
    const text = `Don’t ${'a'.repeat(149)}`; // 155 characters: 1 GSM-7 part, 3 Unicode parts
    expect(countSegments(text).parts).toBe(3);
    expect(countSegments(asGsm7(text)).parts).toBe(1);
    expect(counterView(text).multiplied).toBe('This one character triples the message: 3 parts instead of 1.');
  });

  it('words other increases too, and says nothing when the parts stay the same', () => {
    const culprits = unicodeCulprits('’’');
    expect(describeMultipliedParts(culprits, 2, 1)).toBe('This character doubles the message: 2 parts instead of 1.');
    expect(describeMultipliedParts(unicodeCulprits('’“'), 3, 2)).toBe('These characters add a part: 3 parts instead of 2.');
    expect(describeMultipliedParts(unicodeCulprits('’“'), 8, 2)).toBe('These characters quadruple the message: 8 parts instead of 2.');
    expect(describeMultipliedParts(unicodeCulprits('’'), 1, 1)).toBeUndefined();
    expect(describeMultipliedParts([], 3, 1)).toBeUndefined();
    // A text of nothing but emoji has no GSM-7 version to compare with.
    expect(describeMultipliedParts(unicodeCulprits('😀'), 3, 0)).toBeUndefined();
    expect(counterView('Don’t').multiplied).toBeUndefined();
  });
});

describe('the estimated cost', () => {
  it('accepts prices as Nexmo writes them, nothing else', () => {
    for (const price of ['0.03330000', '0.0333', '1', '12.5']) expect(isPartPrice(price), price).toBe(true);
    for (const price of ['', '-0.1', '1e-3', '0.123456789', ' 0.1', '0,1', 'NaN', undefined, 0.0333]) expect(isPartPrice(price), String(price)).toBe(false);
  });

  it('multiplies exactly, without float rounding', () => {
    expect(multiplyPrice(3, '0.0333')).toBe('0.09990000');
    expect(multiplyPrice(7, '0.03330000')).toBe('0.23310000');
    expect(multiplyPrice(3, '0.1')).toBe('0.30000000'); // 0.1 * 3 is 0.30000000000000004 as a float
    expect(multiplyPrice(2, '12.00000001')).toBe('24.00000002');
  });

  it('says parts × price, or nothing for an empty text or without a known price', () => {
    expect(describeCost(3, '0.03330000')).toBe('Estimated cost: €0.0999 (3 parts × €0.0333)');
    expect(describeCost(1, '0.05')).toBe('Estimated cost: €0.05 (1 part × €0.05)');
    expect(describeCost(0, '0.0333')).toBeUndefined();
    expect(describeCost(2, undefined)).toBeUndefined();
    expect(describeCost(2, 'free')).toBeUndefined();
  });
});

describe('counterView', () => {
  it.each([
    ['spaces', '   '],
    ['line breaks as the form submits them', '\r\n\r\n'],
    ['a tab and no-break spaces', '\t\u00A0\u00A0'],
  ])('shows a text of only blank space (%s) as empty, with no parts, cost or notes, as the form refuses it', (_name, text) => {
    expect(counterView(text, '0.03330000')).toEqual({ text: 'Only blank space · the message is empty', warning: false, cost: undefined, unicode: undefined, multiplied: undefined });
    // The form's own verdict on the same text.
    const checked = checkSmsForm({ from: 'AcmeShop', to: '+447700900123', text });
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.errors.text).toBe('Write the message to send.');
  });

  it('counts a text with something besides blank space as usual, its spaces included', () => {
    expect(counterView('  a  ', '0.03330000')).toMatchObject({ text: '5 characters · GSM-7 · 1 part (155 left in this part)', cost: 'Estimated cost: €0.0333 (1 part × €0.0333)' });
    expect(checkSmsForm({ from: 'AcmeShop', to: '+447700900123', text: '  a  ' }).ok).toBe(true);
    expect(counterView('').text).toBe('0 characters · the message is empty');
  });

  it('gathers everything the counter shows for "Don’t"', () => {
    expect(counterView('Don’t', '0.03330000')).toEqual({
      text: '5 characters · Unicode (UCS-2) · 1 part (65 left in this part)',
      warning: false,
      cost: 'Estimated cost: €0.0333 (1 part × €0.0333)',
      unicode: {
        culprits: unicodeCulprits('Don’t'),
        more: 0,
        listed: 'Unicode because of: ’ (U+2019)',
        hint: "Replace ’ with ' to send it as GSM-7: 160 characters a part instead of 70.",
      },
      multiplied: undefined,
    });
  });

  it('has no Unicode notes for a GSM-7 text, and no cost without a price', () => {
    expect(counterView('Hello')).toEqual({ text: '5 characters · GSM-7 · 1 part (155 left in this part)', warning: false, cost: undefined, unicode: undefined, multiplied: undefined });
  });
});
