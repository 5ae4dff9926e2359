import { describe, expect, it } from 'vitest';
import { MAX_CHARACTERS, countSegments, isGsm7 } from '../../src/nexmo/segments.js';
import { describeCount, needsWarning } from '../../src/present/smsCounter.js';
import { validateSmsForm } from '../../src/nexmo/smsFormValidation.js';

const a = (n: number) => 'a'.repeat(n);
const zh = (n: number) => 'ж'.repeat(n); // Cyrillic: outside GSM-7, one UTF-16 unit each
const EMOJI = '😀'; // outside the BMP: a surrogate pair

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '|^€{}[]~\\\f';

describe('one source of truth', () => {
  it('calls too long exactly what the form refuses, counting code points on both sides', () => {
    for (const ch of ['a', 'ж', EMOJI]) {
      const longest = ch.repeat(MAX_CHARACTERS);
      const tooLong = ch.repeat(MAX_CHARACTERS + 1);
      expect(validateSmsForm({ from: 'MyShop', to: '447700900000', text: longest }).ok, `${ch} × ${MAX_CHARACTERS}`).toBe(true);
      expect(describeCount(countSegments(longest))).not.toContain('Too long');
      expect(validateSmsForm({ from: 'MyShop', to: '447700900000', text: tooLong }).ok, `${ch} × ${MAX_CHARACTERS + 1}`).toBe(false);
      expect(describeCount(countSegments(tooLong))).toContain(`Too long: Nexmo accepts at most ${MAX_CHARACTERS} characters`);
    }
  });
});

describe('isGsm7', () => {
  it('accepts the whole GSM 03.38 basic alphabet (127 characters)', () => {
    expect([...GSM_BASIC]).toHaveLength(127);
    expect(isGsm7(GSM_BASIC)).toBe(true);
  });

  it('accepts every extension character', () => {
    for (const ch of GSM_EXTENSION) expect(isGsm7(ch)).toBe(true);
  });

  it('accepts the empty text', () => {
    expect(isGsm7('')).toBe(true);
  });

  it.each([
    ['Greek capital alpha, which looks like A', '\u0391'],
    ['lower-case c cedilla (only the capital is in the table)', 'ç'],
    ['a-acute', 'á'],
    ['backtick', '`'],
    ['tab', '\t'],
    ['Cyrillic', 'ж'],
    ['an emoji', EMOJI],
    ['a curly apostrophe', '’'],
  ])('rejects %s', (_name, ch) => {
    expect(isGsm7(`abc${ch}`)).toBe(false);
  });
});

// Where texts split into parts (160/161, 153 per part, escape and surrogate pairs at a boundary,
// 70/71, 67 per part) is one table for this counter and the sandbox's: segment-counters.test.ts.
describe('countSegments', () => {
  it('counts the empty text as 0 parts so the page can say it is empty', () => {
    expect(countSegments('')).toEqual({
      encoding: 'GSM-7', units: 0, characters: 0, parts: 0, perPart: 160, remainingInPart: 160,
    });
  });

  it('reports perPart as the single-message size until the text splits', () => {
    expect(countSegments(a(160))).toMatchObject({ parts: 1, perPart: 160 });
    expect(countSegments(a(161))).toMatchObject({ parts: 2, perPart: 153 });
    expect(countSegments(zh(70))).toMatchObject({ parts: 1, perPart: 70 });
    expect(countSegments(zh(71))).toMatchObject({ parts: 2, perPart: 67 });
  });

  it('counts € as two septets but one character', () => {
    expect(countSegments('€')).toEqual({
      encoding: 'GSM-7', units: 2, characters: 1, parts: 1, perPart: 160, remainingInPart: 158,
    });
  });

  it('counts every basic character, CR and LF included, as one septet', () => {
    expect(countSegments(GSM_BASIC)).toMatchObject({ encoding: 'GSM-7', units: 127, characters: 127 });
    expect(countSegments('a\r\nb')).toMatchObject({ units: 4, characters: 4 });
  });

  it('counts an emoji as two units but one character', () => {
    expect(countSegments(EMOJI)).toEqual({
      encoding: 'UCS-2', units: 2, characters: 1, parts: 1, perPart: 70, remainingInPart: 68,
    });
  });
});

describe('needsWarning', () => {
  it('stays quiet up to 6 parts', () => {
    expect(needsWarning(countSegments(a(153 * 6)))).toBe(false);
  });

  it('warns from the 7th part', () => {
    expect(needsWarning(countSegments(a(153 * 6 + 1)))).toBe(true);
  });

  it('warns past 3200 characters', () => {
    expect(needsWarning(countSegments(a(3201)))).toBe(true);
  });
});

describe('describeCount', () => {
  it('says an empty text is empty', () => {
    expect(describeCount(countSegments(''))).toBe('0 characters · the message is empty');
  });

  it('uses the singular for one character and one part', () => {
    expect(describeCount(countSegments('a'))).toBe('1 character · GSM-7 · 1 part (159 left in this part)');
  });

  it('describes a short GSM-7 text', () => {
    expect(describeCount(countSegments(a(42)))).toBe('42 characters · GSM-7 · 1 part (118 left in this part)');
  });

  it('describes a split Unicode text', () => {
    expect(describeCount(countSegments(zh(71)))).toBe(
      '71 characters · Unicode (UCS-2) · 2 parts (63 left in this part)',
    );
  });

  it('counts an emoji as one character in the sentence', () => {
    expect(describeCount(countSegments(EMOJI))).toBe('1 character · Unicode (UCS-2) · 1 part (68 left in this part)');
  });

  it('warns in words when there are more than 6 parts', () => {
    expect(describeCount(countSegments(a(919)))).toBe(
      '919 characters · GSM-7 · 7 parts (152 left in this part)' +
        ' · More than 6 parts: each part is billed, and some phones may not join them up',
    );
  });

  it('warns that Nexmo refuses texts over 3200 characters, in preference to the parts warning', () => {
    expect(describeCount(countSegments(a(3201)))).toBe(
      '3201 characters · GSM-7 · 21 parts (12 left in this part)' +
        ' · Too long: Nexmo accepts at most 3200 characters',
    );
  });
});
