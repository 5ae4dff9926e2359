import { describe, expect, it } from 'vitest';
import { phoneDigits, validateSmsForm, type SmsFormInput } from '../../src/nexmo/smsFormValidation.js';
import { checkSmsForm } from '../../src/present/smsForm.js';

const VALID = { from: 'MyShop', to: '+44 7700 900000', text: 'Hello' };

function errorsFor(input: SmsFormInput) {
  const result = checkSmsForm(input);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors;
}

function valueOf(input: SmsFormInput) {
  const result = checkSmsForm(input);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

const INTERNATIONAL = 'Enter the number in international format, e.g. +44 7700 900000.';

describe('validateSmsForm: a complete form', () => {
  it('returns Nexmo-ready values', () => {
    expect(checkSmsForm(VALID)).toEqual({
      ok: true,
      value: { from: 'MyShop', to: '447700900000', text: 'Hello', type: 'text' },
    });
  });
});

describe('validateSmsForm: the recipient', () => {
  it.each([
    ['+44 7700 900000', '447700900000'],
    ['0044 7700-900000', '447700900000'],
    ['(0044) 7700.900000', '447700900000'],
    ['447700900000', '447700900000'],
    [' +1-202-555-0123 ', '12025550123'],
    ['+44\u00a07700\u00a0900000', '447700900000'],
    ['+44 (0)20 7946 0000', '442079460000'],
    ['(0044) (0) 20 7946 0000', '442079460000'],
    ['1234567', '1234567'],
    ['123456789012345', '123456789012345'],
  ])('accepts %j as %s', (to, digits) => {
    expect(valueOf({ ...VALID, to }).to).toBe(digits);
  });

  it.each([
    ['+44 7700 900000 ext 5', INTERNATIONAL],
    ['+44 7700 9OOOOO', INTERNATIONAL],
    ['447700900000abc', INTERNATIONAL],
    ['44+7700900000', INTERNATIONAL],
    ['++447700900000', INTERNATIONAL],
    ['#447700900000', INTERNATIONAL],
    ['+44/7700/900000', INTERNATIONAL],
    ['４４７７００９０００００', INTERNATIONAL],
    ['+', INTERNATIONAL],
    ['()', INTERNATIONAL],
    ['07700 900000', `Start with the country code. ${INTERNATIONAL}`],
    ['+0 7700 900000', `Start with the country code. ${INTERNATIONAL}`],
    ['123456', `That number has 6 digits; with the country code it should have 7 to 15. ${INTERNATIONAL}`],
    ['1234567890123456', `That number has 16 digits; with the country code it should have 7 to 15. ${INTERNATIONAL}`],
    ['', 'Enter the phone number to send to.'],
    ['   ', 'Enter the phone number to send to.'],
  ])('rejects %j', (to, message) => {
    expect(errorsFor({ ...VALID, to })).toEqual({ to: message });
  });
});

describe('validateSmsForm: the sender', () => {
  it.each([
    ['MyShop', 'MyShop'],
    ['My Shop', 'MyShop'],
    ['ABCDEFGHIJK', 'ABCDEFGHIJK'],
    ['A B C D E F G H I J K', 'ABCDEFGHIJK'],
    ['2FA', '2FA'],
    ['+44 7700 900000', '447700900000'],
    ['0044 7700-900000', '447700900000'],
    ['123456789012345', '123456789012345'],
    ['12345', '12345'],
  ])('accepts %j as %s', (from, value) => {
    expect(valueOf({ ...VALID, from }).from).toBe(value);
  });

  it.each([
    ['', 'Enter a sender: one of your Nexmo numbers, or a name of up to 11 letters and digits.'],
    ['  ', 'Enter a sender: one of your Nexmo numbers, or a name of up to 11 letters and digits.'],
    ['ABCDEFGHIJKL', "A sender name can have at most 11 letters and digits (spaces don't count); this one has 12."],
    ['Café', 'A sender name can only use the letters A–Z and the digits 0–9, without accents or symbols.'],
    ['Acme-Ltd', 'A sender name can only use the letters A–Z and the digits 0–9, without accents or symbols.'],
    ['1234567890123456', 'A sender number can have at most 15 digits; this one has 16.'],
    ['44+7700', 'Enter the sender number in international format, e.g. +44 7700 900000.'],
    ['-', 'Enter the sender number in international format, e.g. +44 7700 900000.'],
  ])('rejects %j', (from, message) => {
    expect(errorsFor({ ...VALID, from })).toEqual({ from: message });
  });
});

describe('validateSmsForm: the text', () => {
  it('sends GSM-7 text as type "text"', () => {
    expect(valueOf({ ...VALID, text: 'Price: 5€ {approx}' }).type).toBe('text');
  });

  it('sends anything outside GSM-7 as type "unicode"', () => {
    expect(valueOf({ ...VALID, text: 'Привет' }).type).toBe('unicode');
    expect(valueOf({ ...VALID, text: 'ok 😀' }).type).toBe('unicode');
  });

  it('keeps the text exactly as typed, spaces and line breaks included', () => {
    expect(valueOf({ ...VALID, text: '  Hi,\r\n\r\nsee you  \n' }).text).toBe('  Hi,\r\n\r\nsee you  \n');
  });

  it('accepts 3200 characters', () => {
    expect(valueOf({ ...VALID, text: 'a'.repeat(3200) }).text).toHaveLength(3200);
  });

  it('counts characters as code points, so 3200 emoji are allowed', () => {
    expect(valueOf({ ...VALID, text: '😀'.repeat(3200) }).type).toBe('unicode');
  });

  it.each([
    ['a'.repeat(3201), 'The message has 3201 characters; Nexmo accepts at most 3200.'],
    ['😀'.repeat(3201), 'The message has 3201 characters; Nexmo accepts at most 3200.'],
    ['', 'Write the message to send.'],
    [' \r\n\t ', 'Write the message to send.'],
  ])('rejects a text of %# with a clear message', (text, message) => {
    expect(errorsFor({ ...VALID, text })).toEqual({ text: message });
  });

  it('does not cap the number of parts (the counter warns instead)', () => {
    expect(valueOf({ ...VALID, text: 'ж'.repeat(3200) }).text).toHaveLength(3200);
  });
});

describe('validateSmsForm: malformed input', () => {
  it('reports every missing field at once', () => {
    expect(checkSmsForm({})).toEqual({
      ok: false,
      errors: {
        from: 'Enter a sender: one of your Nexmo numbers, or a name of up to 11 letters and digits.',
        to: 'Enter the phone number to send to.',
        text: 'Write the message to send.',
      },
      values: { from: '', to: '', text: '' },
    });
  });

  it('rejects repeated keys (arrays) and bracketed keys (objects) without crashing', () => {
    expect(
      checkSmsForm({ from: { a: 'MyShop' }, to: ['447700900000', '447700900001'], text: ['a', 'b'] }),
    ).toEqual({
      ok: false,
      errors: {
        from: 'Enter a single sender.',
        to: 'Enter a single phone number to send to.',
        text: 'Enter the message as plain text.',
      },
      values: { from: '', to: '', text: '' },
    });
  });

  it('rejects numbers and null as values', () => {
    expect(checkSmsForm({ from: 'MyShop', to: 447700900000, text: null })).toEqual({
      ok: false,
      errors: { to: 'Enter a single phone number to send to.', text: 'Write the message to send.' },
      values: { from: 'MyShop', to: '', text: '' },
    });
  });

  it('keeps what the user typed so the form can be filled in again', () => {
    const input = { from: 'My Shop', to: '07700 900000', text: '  hi  ' };
    expect(checkSmsForm(input)).toEqual({
      ok: false,
      errors: { to: `Start with the country code. ${INTERNATIONAL}` },
      values: { from: 'My Shop', to: '07700 900000', text: '  hi  ' },
    });
  });

  it('keeps an over-long text in values so nothing the user wrote is lost', () => {
    const text = 'x'.repeat(4000);
    const result = checkSmsForm({ ...VALID, text });
    expect(result.ok === false && result.values.text).toBe(text);
  });
});

describe('phoneDigits', () => {
  it('drops the national "(0)" only right after the country code', () => {
    expect(phoneDigits('+44 (0) 7700 900000')).toBe('447700900000');
    expect(phoneDigits('+44 7700 (0)900000')).toBe('4477000900000');
  });

  it('keeps a leading 00 when it follows a "+"', () => {
    expect(phoneDigits('+0044')).toBe('0044');
  });

  it('returns null for anything that is not a phone number', () => {
    expect(phoneDigits('call me')).toBeNull();
  });
});

describe('validateSmsForm: this deployment’s rules', () => {
  it('refuses a number outside the allowed prefixes on the "to" field, naming them', () => {
    const rules = { allowedPrefixes: ['44', '353'] };
    const result = checkSmsForm({ ...VALID, to: '+1 202 555 0100' }, rules);
    expect(result).toEqual({ ok: false, errors: { to: 'This app only sends to numbers starting +44 or +353.' }, values: { ...VALID, to: '+1 202 555 0100' } });
    expect(checkSmsForm({ ...VALID, to: '+353 85 123 4567' }, rules).ok).toBe(true);
    expect(checkSmsForm({ ...VALID, to: '0044 7700 900000' }, rules).ok).toBe(true);
    expect(checkSmsForm({ ...VALID, to: '+1 202 555 0100' }, { allowedPrefixes: ['44'] })).toMatchObject({ errors: { to: 'This app only sends to numbers starting +44.' } });
    expect(checkSmsForm({ ...VALID, to: '+1 202 555 0100' }, { allowedPrefixes: ['44', '353', '33'] })).toMatchObject({ errors: { to: 'This app only sends to numbers starting +44, +353 or +33.' } });
  });

  it('reports the allow-list beside other fields’ errors, and a malformed number as malformed', () => {
    const both = checkSmsForm({ ...VALID, from: '', to: '+1 202 555 0100' }, { allowedPrefixes: ['44'] });
    expect(both).toMatchObject({ ok: false, errors: { to: 'This app only sends to numbers starting +44.' } });
    expect(both.ok || Object.keys(both.errors).sort()).toEqual(['from', 'to']);
    expect(checkSmsForm({ ...VALID, to: 'abc' }, { allowedPrefixes: ['44'] })).toMatchObject({ errors: { to: INTERNATIONAL } });
  });

  it('refuses a text that needs more parts than an account may send in a day', () => {
    expect(checkSmsForm({ ...VALID, text: 'x'.repeat(400) }, { maxParts: 2 })).toMatchObject({
      ok: false,
      errors: { text: 'This message needs 3 parts, and this app sends at most 2 a day from one account. Shorten it.' },
    });
    expect(checkSmsForm({ ...VALID, text: 'x'.repeat(400) }, { maxParts: 3 }).ok).toBe(true);
    expect(checkSmsForm({ ...VALID, text: 'x'.repeat(400) }, { maxParts: 0 }).ok).toBe(true);
  });
});

describe('validateSmsForm: what is wrong, as codes (the words are present/smsForm.ts’s)', () => {
  it('names each field’s problem with what its words need, and keeps what was typed', () => {
    const result = validateSmsForm({ from: 'Ä', to: '+1 202', text: 'x'.repeat(3201) }, { allowedPrefixes: ['44'] });
    expect(result).toEqual({
      ok: false,
      problems: { from: { code: 'sender-characters' }, to: { code: 'length', digits: 4 }, text: { code: 'too-long', characters: 3201, max: 3200 } },
      values: { from: 'Ä', to: '+1 202', text: 'x'.repeat(3201) },
    });
    expect(validateSmsForm({ ...VALID, to: ['a', 'b'] })).toMatchObject({ ok: false, problems: { to: { code: 'not-text' } } });
    expect(validateSmsForm({ ...VALID, to: '+1 202 555 0100' }, { allowedPrefixes: ['44', '353'] })).toMatchObject({ ok: false, problems: { to: { code: 'prefix', prefixes: ['44', '353'] } } });
  });

  it('holds no sentence: every problem is a code and numbers', () => {
    const result = validateSmsForm({ from: '', to: '', text: '' });
    expect(result.ok === false && Object.values(result.problems)).toEqual([{ code: 'missing' }, { code: 'missing' }, { code: 'missing' }]);
  });
});
