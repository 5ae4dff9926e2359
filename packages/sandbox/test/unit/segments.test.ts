import { describe, expect, it } from 'vitest';
import { countSegments, isGsm7 } from '../../src/segments.js';
import { isValidSender } from '../../src/smsRequest.js';
import { formatUnits, eurToUnits } from '../../src/accounts.js';

describe('countSegments', () => {
  it('fits 160 GSM-7 characters in one part and splits the 161st into 153-septet parts', () => {
    expect(countSegments('a'.repeat(160), 'text')).toEqual({ encoding: 'gsm7', units: 160, parts: 1 });
    expect(countSegments('a'.repeat(161), 'text')).toEqual({ encoding: 'gsm7', units: 161, parts: 2 });
    expect(countSegments('a'.repeat(306), 'text').parts).toBe(2);
    expect(countSegments('a'.repeat(307), 'text').parts).toBe(3);
  });

  it('counts the extension characters | ^ € { } [ ] ~ \\ and form feed as two septets', () => {
    expect(countSegments('|^€{}[]~\\\f', 'text')).toEqual({ encoding: 'gsm7', units: 20, parts: 1 });
    expect(countSegments('€'.repeat(80), 'text').parts).toBe(1);
    expect(countSegments('€'.repeat(81), 'text').parts).toBe(2);
  });

  it('does not cut an escaped character across two parts', () => {
    // 152 septets then "€" (2) cannot fit in the first part's 153: three parts, not two.
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`, 'text')).toEqual({ encoding: 'gsm7', units: 306, parts: 3 });
  });

  it('uses UCS-2 for type=unicode, 70 units in one part and 67 per part after', () => {
    expect(countSegments('a'.repeat(70), 'unicode')).toEqual({ encoding: 'ucs2', units: 70, parts: 1 });
    expect(countSegments('a'.repeat(71), 'unicode').parts).toBe(2);
    expect(countSegments('a'.repeat(134), 'unicode').parts).toBe(2);
  });

  it('counts an emoji as two UTF-16 units and never splits the pair', () => {
    expect(countSegments('😀'.repeat(35), 'text')).toEqual({ encoding: 'ucs2', units: 70, parts: 1 });
    expect(countSegments(`${'a'.repeat(66)}😀${'a'.repeat(66)}`, 'text')).toEqual({ encoding: 'ucs2', units: 134, parts: 3 });
  });

  it('switches type=text to UCS-2 when a character is outside GSM-7', () => {
    expect(isGsm7('Hello @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¡ÄÖÑÜ§¿äöñüà\n\r')).toBe(true);
    expect(isGsm7('ç')).toBe(false); // only the capital Ç is in the basic table
    expect(countSegments('Grüße', 'text').encoding).toBe('gsm7');
    expect(countSegments('Straße ł', 'text').encoding).toBe('ucs2');
  });
});

describe('isValidSender', () => {
  it('accepts up to 11 alphanumerics (spaces ignored) or up to 15 digits', () => {
    expect(isValidSender('Nexmo Demo')).toBe(true);
    expect(isValidSender('ElevenChars')).toBe(true);
    expect(isValidSender('447700900123456')).toBe(true);
    expect(isValidSender('TwelveCharsX')).toBe(false);
    expect(isValidSender('4477009001234567')).toBe(false);
    expect(isValidSender('Café')).toBe(false);
    expect(isValidSender('   ')).toBe(false);
  });
});

describe('money', () => {
  it('keeps 8 decimals exactly, without floating-point drift', () => {
    let units = eurToUnits(10);
    for (let i = 0; i < 300; i += 1) units -= eurToUnits(0.0333);
    expect(formatUnits(units)).toBe('0.01000000');
    expect(formatUnits(eurToUnits(9.9334))).toBe('9.93340000');
    expect(formatUnits(-eurToUnits(0.5))).toBe('-0.50000000');
  });
});
