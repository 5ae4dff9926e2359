// The SMS form in words: what each field's problem (nexmo/smsFormValidation.ts) says, the To
// field's hint, what a fresh form is filled with, and where the To field will send.

import { EXAMPLE_DIGITS, type NumberRules } from '../nexmo/phoneNumbers.js';
import {
  checkFrom,
  checkRecipient,
  checkRecipientForSending,
  destinationDigits,
  validateSmsForm,
  type FieldProblem,
  type SmsField,
  type SmsFormInput,
  type SmsFormRules,
} from '../nexmo/smsFormValidation.js';
import type { SmsRequest } from '../nexmo/types.js';
import { countryName, formatNumber, nationalExample, unreachableSentence, withCountry } from './phoneNumbers.js';

/** "+44 7700 900000": the example of a number written with its country code. */
const INTERNATIONAL_EXAMPLE = formatNumber(EXAMPLE_DIGITS).international;

/**
 * The ways of writing the recipient this deployment reads, without a capital or a full stop:
 * "an international number such as +44 7700 900000, or a national one such as 07700 900000
 * (United Kingdom)"; undefined without a default country, where only the international format
 * is read. The country stands in brackets: as a modifier its name would need an adjective or
 * an article of its own ("a German", "the United Kingdom") that no library gives.
 */
function recipientFormats(rules: NumberRules): string | undefined {
  const country = rules.defaultCountry;
  const national = country === undefined ? undefined : nationalExample(country);
  if (country === undefined || national === undefined) return undefined;
  return `an international number such as ${INTERNATIONAL_EXAMPLE}, or a national one such as ${national} (${countryName(country)})`;
}

/** The To field's hint: what it accepts, with an example of each way. */
export function recipientHint(rules: NumberRules = {}): string {
  const formats = recipientFormats(rules);
  return formats === undefined ? `International format, e.g. ${INTERNATIONAL_EXAMPLE}.` : `${formats[0]!.toUpperCase()}${formats.slice(1)}.`;
}

/** The end of every error about how the recipient is written: how to write it instead. */
function howToWriteRecipient(rules: NumberRules): string {
  const formats = recipientFormats(rules);
  return formats === undefined ? `Enter the number in international format, e.g. ${INTERNATIONAL_EXAMPLE}.` : `Enter ${formats}.`;
}

/** "+44", "+44 or +353", "+44, +353 or +1". */
function listPrefixes(prefixes: readonly string[]): string {
  const plus = prefixes.map((p) => `+${p}`);
  return plus.length === 1 ? plus[0]! : `${plus.slice(0, -1).join(', ')} or ${plus.at(-1)}`;
}

// Repeated keys (`?to=a&to=b`) arrive as arrays and bracketed keys as objects; neither is
// something the form can produce, so each gets a plain message instead of a crash.
const NOT_TEXT: Record<SmsField, string> = {
  from: 'Enter a single sender.',
  to: 'Enter a single phone number to send to.',
  text: 'Enter the message as plain text.',
};

const MISSING: Record<SmsField, string> = {
  from: 'Enter a sender: one of your Nexmo numbers, or a name of up to 11 letters and digits.',
  to: 'Enter the phone number to send to.',
  text: 'Write the message to send.',
};

/** One field's problem, in the words shown beside it. */
export function fieldError(field: SmsField, problem: FieldProblem, rules: SmsFormRules = {}): string {
  switch (problem.code) {
    case 'missing':
      return MISSING[field];
    case 'not-text':
      return NOT_TEXT[field];
    case 'unreadable':
      return field === 'from' ? 'Enter the sender number in international format, e.g. +44 7700 900000.' : howToWriteRecipient(rules);
    case 'no-country-code': {
      // Country codes never start with 0: written with + or 00 it needs its country code;
      // without, it is a national number the default country does not read.
      const country = rules.defaultCountry;
      const why = country === undefined || problem.international ? 'Start with the country code.' : `That doesn’t look like a national number (${countryName(country)}).`;
      return `${why} ${howToWriteRecipient(rules)}`;
    }
    case 'length':
      return `That number has ${problem.digits} digits; with the country code it should have 7 to 15. ${howToWriteRecipient(rules)}`;
    case 'invalid-number':
      return unreachableSentence(problem.digits, { code: 'invalid' });
    case 'not-for-sms':
      return unreachableSentence(problem.digits, { code: 'not-for-sms', kind: problem.kind });
    case 'prefix':
      return `This app only sends to numbers starting ${listPrefixes(problem.prefixes)}.`;
    case 'sender-digits':
      return `A sender number can have at most 15 digits; this one has ${problem.digits}.`;
    case 'sender-characters':
      return 'A sender name can only use the letters A–Z and the digits 0–9, without accents or symbols.';
    case 'sender-length':
      return `A sender name can have at most 11 letters and digits (spaces don't count); this one has ${problem.length}.`;
    case 'too-long':
      return `The message has ${problem.characters} characters; Nexmo accepts at most ${problem.max}.`;
    case 'too-many-parts':
      return `This message needs ${problem.parts} parts, and this app sends at most ${problem.maxParts} a day from one account. Shorten it.`;
  }
}

export type CheckedSmsForm =
  | { ok: true; value: SmsRequest }
  | { ok: false; errors: Partial<Record<SmsField, string>>; values: Record<SmsField, string> };

/** The form validated, with each problem in words: what the route shows. */
export function checkSmsForm(input: SmsFormInput, rules: SmsFormRules = {}): CheckedSmsForm {
  const result = validateSmsForm(input, rules);
  if (result.ok) return result;
  const errors: Partial<Record<SmsField, string>> = {};
  for (const [field, problem] of Object.entries(result.problems) as Array<[SmsField, FieldProblem]>) errors[field] = fieldError(field, problem, rules);
  return { ok: false, errors, values: result.values };
}

/**
 * The To field alone, judged as the form will judge it on sending: what it will send to
 * ("+44 7700 900123 (United Kingdom)"), or the form's error for it. For the preview shown as a
 * person types.
 */
export function previewRecipient(raw: string, rules: SmsFormRules = {}): { preview: string } | { error: string } {
  const checked = checkRecipientForSending(raw, rules);
  return checked.ok ? { preview: withCountry(checked.value) } : { error: fieldError('to', checked.problem, rules) };
}

/**
 * What the To field will send to, formatted with its country ("+44 7700 900123 (United
 * Kingdom)"), for the form to show under the field; undefined while the field holds no number.
 */
export function destinationPreview(raw: string, rules: NumberRules = {}): string | undefined {
  const digits = destinationDigits(raw, rules);
  return digits === undefined ? undefined : withCountry(digits);
}

/**
 * From and To for a fresh form, from a link such as the message page's "Send another"
 * (`/sms?from=…&to=…`) or the sandbox's "Use this number" (`/sms?to=447700900999`): each is kept
 * only when the form would accept it; anything else (missing, invalid, repeated) leaves its field
 * empty. The recipient is written as a person writes it ("+44 7700 900999"), the sender as the
 * app sends it. The text is never taken from a link.
 */
export function prefillSmsForm(query: { from?: unknown; to?: unknown }, rules: NumberRules = {}): Record<SmsField, string> {
  const from = typeof query.from === 'string' ? checkFrom(query.from) : undefined;
  const to = typeof query.to === 'string' ? checkRecipient(query.to, rules) : undefined;
  return { from: from?.ok ? from.value : '', to: to?.ok ? formatNumber(to.value).international : '', text: '' };
}
