import { describe, expect, it } from 'vitest';

import type { SmsFormRules } from '../../src/nexmo/smsFormValidation.js';
import { formatNumber, withCountry } from '../../src/present/phoneNumbers.js';
import { checkSmsForm, destinationPreview, recipientHint } from '../../src/present/smsForm.js';

const LIVE: SmsFormRules = { defaultCountry: 'GB', refuseUnreachable: true };
const SANDBOX: SmsFormRules = { defaultCountry: 'GB' };

function toOf(to: string, rules: SmsFormRules): { to: string } | { error: string | undefined } {
  const result = checkSmsForm({ from: 'Demo', to, text: 'Hello' }, rules);
  return result.ok ? { to: result.value.to } : { error: result.errors.to };
}

describe('numbers in national format', () => {
  it.each([
    ['07911 123456', 'GB', '447911123456'],
    ['(07911) 123-456', 'GB', '447911123456'],
    ['2025550123', 'US', '12025550123'],
    ['(202) 555-0123', 'US', '12025550123'],
    ['0151 23456789', 'DE', '4915123456789'],
  ] as const)('%s in %s is sent as E.164 digits %s', (typed, country, digits) => {
    expect(toOf(typed, { defaultCountry: country, refuseUnreachable: true })).toEqual({ to: digits });
  });

  it('keeps reading numbers with a country code as before, whatever the default country', () => {
    expect(toOf('+44 7911 123456', { defaultCountry: 'US', refuseUnreachable: true })).toEqual({ to: '447911123456' });
    expect(toOf('0044 7911 123456', LIVE)).toEqual({ to: '447911123456' });
    expect(toOf('447911123456', LIVE)).toEqual({ to: '447911123456' });
    expect(toOf('12025550123', LIVE)).toEqual({ to: '12025550123' });
  });

  it('without a default country, a national number still asks for the country code', () => {
    expect(toOf('07911 123456', {})).toEqual({ error: 'Start with the country code. Enter the number in international format, e.g. +44 7700 900000.' });
  });

  it('SMS_ALLOWED_PREFIXES applies to the number as sent, national or not', () => {
    const rules = { ...LIVE, allowedPrefixes: ['353'] };
    expect(toOf('07911 123456', rules)).toEqual({ error: 'This app only sends to numbers starting +353.' });
    expect(toOf('+353 85 123 4567', rules)).toEqual({ to: '353851234567' });
  });
});

describe('live mode: numbers that take no SMS', () => {
  it.each([
    ['020 7946 0000', '+44 20 7946 0000 (United Kingdom) is a landline number, which can’t receive SMS. Enter a mobile number.'],
    ['+353 1 234 5678', '+353 1 234 5678 (Ireland) is a landline number, which can’t receive SMS. Enter a mobile number.'],
    ['0909 879 0000', '+44 909 879 0000 (United Kingdom) is a premium-rate number, which this app does not send to. Enter a mobile number.'],
    ['0800 123 4567', '+44 800 123 4567 (United Kingdom) is a freephone number, which can’t receive SMS. Enter a mobile number.'],
    ['07700 900123', '+44 7700 900123 (United Kingdom) is not a valid phone number. Check it and try again.'],
    ['+44 7911 12345', '+44 791112345 (United Kingdom) is not a valid phone number. Check it and try again.'],
  ])('%s is a field error saying why', (typed, error) => {
    expect(toOf(typed, LIVE)).toEqual({ error });
  });

  it('accepts mobiles, and numbers that may be mobile', () => {
    expect(toOf('07911 123456', LIVE)).toEqual({ to: '447911123456' });
    expect(toOf('+1 202 555 0123', LIVE)).toEqual({ to: '12025550123' });
  });
});

describe('sandbox mode: the sandbox’s fictional test numbers', () => {
  it.each(['+44 7700 900000', '07700 900123', '447700900999'])('%s is sendable, though the library calls it invalid', (typed) => {
    const result = toOf(typed, SANDBOX);
    expect(result).toHaveProperty('to');
    expect((result as { to: string }).to).toMatch(/^447700900\d{3}$/);
  });

  it('is formatted as the library writes it, with the calling code’s country', () => {
    expect(formatNumber('447700900123')).toEqual({ international: '+44 7700 900123', country: 'United Kingdom' });
    expect(withCountry('12025550123')).toBe('+1 202 555 0123 (United States)');
    expect(formatNumber('999999999')).toEqual({ international: '+999999999' });
  });
});

describe('the form’s preview of the destination', () => {
  it('shows the number as it will be sent, with its country, or nothing for what is not a number', () => {
    expect(destinationPreview('07700 900123', SANDBOX)).toBe('+44 7700 900123 (United Kingdom)');
    expect(destinationPreview('020 7946 0000', LIVE)).toBe('+44 20 7946 0000 (United Kingdom)');
    expect(destinationPreview('', LIVE)).toBeUndefined();
    expect(destinationPreview('call me', LIVE)).toBeUndefined();
  });
});

describe('what the To field says it accepts', () => {
  const GB_WAYS = 'an international number such as +44 7700 900000, or a national one such as 07700 900000 (United Kingdom)';

  it('in the United Kingdom (the default): both ways, with the UK’s own example number', () => {
    expect(recipientHint(LIVE)).toBe(`A${GB_WAYS.slice(1)}.`);
    expect(toOf('07700 abc', LIVE)).toEqual({ error: `Enter ${GB_WAYS}.` });
    expect(toOf('070', LIVE)).toEqual({ error: `That doesn’t look like a national number (United Kingdom). Enter ${GB_WAYS}.` });
    expect(toOf('+0 7700 900000', LIVE)).toEqual({ error: `Start with the country code. Enter ${GB_WAYS}.` });
    expect(toOf('12345', LIVE)).toEqual({ error: `That number has 5 digits; with the country code it should have 7 to 15. Enter ${GB_WAYS}.` });
  });

  it('in another country: that country named, with an example number as written there', () => {
    const US: SmsFormRules = { defaultCountry: 'US', refuseUnreachable: true };
    const usWays = 'an international number such as +44 7700 900000, or a national one such as (201) 555-0123 (United States)';
    expect(recipientHint(US)).toBe(`A${usWays.slice(1)}.`);
    expect(toOf('(201) 555-abcd', US)).toEqual({ error: `Enter ${usWays}.` });
    expect(toOf('0201 555 0123', US)).toEqual({ error: `That doesn’t look like a national number (United States). Enter ${usWays}.` });

    expect(recipientHint({ defaultCountry: 'DE' })).toBe('An international number such as +44 7700 900000, or a national one such as 01512 3456789 (Germany).');
    expect(recipientHint({ defaultCountry: 'IT' })).toMatch(/, or a national one such as 3\d\d \d{3} \d{4} \(Italy\)\.$/);
  });

  it.each(['GB', 'US', 'DE', 'FR', 'JP', 'IN'] as const)('the national example for %s is a number the form reads there', (country) => {
    const example = /such as ([^,]+) \([^)]+\)\.$/.exec(recipientHint({ defaultCountry: country }))?.[1];
    expect(example).toBeDefined();
    expect(toOf(example!, { defaultCountry: country })).toHaveProperty('to');
  });

  it('with no default country (SMS_DEFAULT_COUNTRY=none): the international format only', () => {
    expect(recipientHint({})).toBe('International format, e.g. +44 7700 900000.');
    expect(toOf('07700 abc', {})).toEqual({ error: 'Enter the number in international format, e.g. +44 7700 900000.' });
    expect(toOf('070', {})).toEqual({ error: 'Start with the country code. Enter the number in international format, e.g. +44 7700 900000.' });
  });

  it('keeps the sender’s own words, whatever the default country', () => {
    const result = checkSmsForm({ from: '-', to: '07700 900000', text: 'Hello' }, SANDBOX);
    expect(result.ok === false && result.errors).toEqual({ from: 'Enter the sender number in international format, e.g. +44 7700 900000.' });
  });
});

describe('recipients read again', () => {
  it('answer the same for the same rules however often they are sent, and anew under other rules', () => {
    const gb: SmsFormRules = { defaultCountry: 'GB', refuseUnreachable: true };
    const us: SmsFormRules = { defaultCountry: 'US', refuseUnreachable: true };
    for (let i = 0; i < 3; i++) {
      expect(toOf('07400 123456', gb)).toEqual({ to: '447400123456' });
      expect(toOf('020 7946 0000', gb)).toEqual({ error: expect.stringContaining('is a landline number') });
    }
    expect(toOf('07400 123456', us)).toEqual({ error: expect.stringContaining('That doesn’t look like a national number (United States)') });
    expect(toOf('(201) 555-0123', us)).toEqual({ to: '12015550123' });
    expect(toOf('(201) 555-0123', gb)).not.toEqual({ to: '12015550123' });
  });

  it('stay right past the number kept (500 a deployment): the oldest are read again', () => {
    const gb: SmsFormRules = { defaultCountry: 'GB', refuseUnreachable: true };
    for (let n = 0; n < 600; n++) expect(toOf(`+44 7400 ${String(100000 + n)}`, gb)).toEqual({ to: `447400${100000 + n}` });
    expect(toOf('+44 7400 100000', gb)).toEqual({ to: '447400100000' });
  });
});
