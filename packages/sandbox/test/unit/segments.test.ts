import { describe, expect, it } from 'vitest';
import { countSegments, isGsm7 } from '../../src/segments.js';
import { isValidSender } from '../../src/smsRequest.js';
import { formatUnits, eurToUnits } from '../../src/accounts.js';

// Where texts split into parts is one table for this counter and the app's:
// test/unit/segment-counters.test.ts.
describe('countSegments', () => {
  it('bills type=unicode as UCS-2 even when every character is in GSM-7', () => {
    expect(countSegments('a'.repeat(71), 'unicode')).toEqual({ encoding: 'ucs2', units: 71, parts: 2 });
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
