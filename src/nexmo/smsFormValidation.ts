// Validation of the "send an SMS" form. Pure: takes what the body parser produced (which may be
// an array or an object for crafted requests) and returns either Nexmo-ready values or messages
// for each field plus what the user typed, so the form can be shown again filled in.

import {
  EXAMPLE_DIGITS,
  countryName,
  e164Digits,
  formatNumber,
  nationalExample,
  unreachableReason,
  withCountry,
  writtenInternationally,
  type NumberRules,
} from './phoneNumbers.js';
import { MAX_CHARACTERS, countSegments, isBlank, isGsm7 } from './segments.js';
import { writtenNumber } from '../present/writtenNumber.js';
import type { SmsRequest } from './types.js';

export type SmsField = 'from' | 'to' | 'text';

export interface SmsFormInput {
  from?: unknown;
  to?: unknown;
  text?: unknown;
}


export type SmsFormResult =
  /** The form's fields, valid: the request a send record keeps. */
  | { ok: true; value: SmsRequest }
  | {
      ok: false;
      errors: Partial<Record<SmsField, string>>;
      values: Record<SmsField, string>;
    };

type Check = { ok: true; value: string } | { ok: false; error: string };

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

/**
 * Why a number starting with 0 that no country was found for was refused: written with `+` or
 * `00` (country codes never start with 0), or without, as a national number that the default
 * country, when there is one, does not read (too short or too long there, or a trunk 0 it has not).
 */
function noCountryCode(raw: string, rules: NumberRules): string {
  const country = rules.defaultCountry;
  if (country === undefined || writtenInternationally(raw)) return 'Start with the country code.';
  return `That doesn’t look like a national number (${countryName(country)}).`;
}

/**
 * Digits of a phone number written the ways people write them: `+44 7700 900000`,
 * `0044 7700-900000`, `(0044) 7700.900000`, `+44 (0)20 7946 0000`. Returns null for anything
 * with letters or other symbols. The international prefix (`+` or `00`) is removed.
 */
export function phoneDigits(raw: string): string | null {
  // "(0)" marks the national trunk prefix, which is dropped when dialling from abroad; keeping
  // it would send to a different number.
  const withoutTrunk = raw.replace(/^(\s*(?:\+|\(?00)\s*\d{1,3}\)?)[\s.-]*\(0\)/, '$1');
  if (!/^\s*\+?[\d\s().-]*$/.test(withoutTrunk)) return null;
  const digits = withoutTrunk.replace(/[^\d]/g, '');
  return digits.startsWith('00') && !withoutTrunk.trim().startsWith('+') ? digits.slice(2) : digits;
}

function checkTo(raw: string, rules: NumberRules = {}): Check {
  if (raw.trim() === '') return { ok: false, error: 'Enter the phone number to send to.' };
  const typed = phoneDigits(raw);
  if (typed === null || typed === '') return { ok: false, error: howToWriteRecipient(rules) };
  const number = e164Digits(raw, typed, rules);
  // Country codes never start with 0, so a leading 0 is a national number no default country reads.
  if (number === undefined) {
    return { ok: false, error: `${noCountryCode(raw, rules)} ${howToWriteRecipient(rules)}` };
  }
  const { digits } = number;
  if (digits.length < 7 || digits.length > 15) {
    return {
      ok: false,
      error: `That number has ${digits.length} digits; with the country code it should have 7 to 15. ${howToWriteRecipient(rules)}`,
    };
  }
  const unreachable = rules.refuseUnreachable ? unreachableReason(number) : undefined;
  return unreachable === undefined ? { ok: true, value: digits } : { ok: false, error: unreachable };
}

function checkFrom(raw: string): Check {
  const compact = raw.replace(/\s+/g, '');
  if (compact === '') {
    return { ok: false, error: 'Enter a sender: one of your Nexmo numbers, or a name of up to 11 letters and digits.' };
  }
  // No letters: a number, written with the same freedom as the recipient's.
  if (!/[^\d+().-]/.test(compact)) {
    const digits = phoneDigits(raw);
    if (digits === null || digits === '') {
      return { ok: false, error: 'Enter the sender number in international format, e.g. +44 7700 900000.' };
    }
    if (digits.length > 15) {
      return { ok: false, error: `A sender number can have at most 15 digits; this one has ${digits.length}.` };
    }
    return { ok: true, value: digits };
  }
  // Nexmo ignores spaces in a sender name, so they are dropped rather than rejected.
  if (!/^[A-Za-z0-9]+$/.test(compact)) {
    return { ok: false, error: 'A sender name can only use the letters A–Z and the digits 0–9, without accents or symbols.' };
  }
  if (compact.length > 11) {
    return {
      ok: false,
      error: `A sender name can have at most 11 letters and digits (spaces don't count); this one has ${compact.length}.`,
    };
  }
  return { ok: true, value: compact };
}

function checkText(raw: string): Check {
  // The same test as the live counter's, so it never counts parts for a text refused here.
  if (isBlank(raw)) return { ok: false, error: 'Write the message to send.' };
  // Code points, as a person counts them (an emoji is one character).
  const characters = [...raw].length;
  if (characters > MAX_CHARACTERS) {
    return {
      ok: false,
      error: `The message has ${characters} characters; Nexmo accepts at most ${MAX_CHARACTERS}.`,
    };
  }
  // The text goes out exactly as typed: leading spaces or blank lines may be intended.
  return { ok: true, value: raw };
}

// Repeated keys (`?to=a&to=b`) arrive as arrays and bracketed keys as objects; neither is
// something the form can produce, so each gets a plain message instead of a crash.
const NOT_TEXT: Record<SmsField, string> = {
  from: 'Enter a single sender.',
  to: 'Enter a single phone number to send to.',
  text: 'Enter the message as plain text.',
};

/**
 * checkTo's answers for the recipients typed lately, per set of rules (a deployment has one):
 * reading a number with the full metadata is the dearest part of validating a form (~50 µs on a
 * busy server), the answer depends on nothing else, and people send to the same few numbers.
 */
const recentRecipients = new WeakMap<NumberRules, Map<string, Check>>();
const RECIPIENTS_KEPT = 500;

function checkRecipient(raw: string, rules: NumberRules): Check {
  let recent = recentRecipients.get(rules);
  if (recent === undefined) recentRecipients.set(rules, (recent = new Map()));
  let check = recent.get(raw);
  if (check === undefined) {
    check = checkTo(raw, rules);
    // Bounded whatever is typed: past the limit, start again.
    if (recent.size >= RECIPIENTS_KEPT) recent.clear();
    recent.set(raw, check);
  }
  return check;
}

const CHECKS: Record<SmsField, (raw: string, rules: SmsFormRules) => Check> = { from: checkFrom, to: checkRecipient, text: checkText };

/** What this deployment allows, on top of what Nexmo accepts; how it reads numbers. */
export interface SmsFormRules extends NumberRules {
  /** Country prefixes (digits) the number must start with; empty or absent → any. */
  allowedPrefixes?: readonly string[];
  /** The most parts one account may send in a day; a longer message could never go. */
  maxParts?: number;
}

/** "+44", "+44 or +353", "+44, +353 or +1". */
function listPrefixes(prefixes: readonly string[]): string {
  const plus = prefixes.map((p) => `+${p}`);
  return plus.length === 1 ? plus[0]! : `${plus.slice(0, -1).join(', ')} or ${plus.at(-1)}`;
}

/** The deployment's own rules for a field Nexmo would accept; undefined when it passes them. */
function refusedByRules(field: SmsField, value: string, rules: SmsFormRules): string | undefined {
  const prefixes = rules.allowedPrefixes ?? [];
  if (field === 'to' && prefixes.length > 0 && !prefixes.some((prefix) => value.startsWith(prefix))) {
    return `This app only sends to numbers starting ${listPrefixes(prefixes)}.`;
  }
  if (field === 'text' && rules.maxParts !== undefined && rules.maxParts > 0) {
    const { parts } = countSegments(value);
    if (parts > rules.maxParts) return `This message needs ${parts} parts, and this app sends at most ${rules.maxParts} a day from one account. Shorten it.`;
  }
  return undefined;
}

export function validateSmsForm(input: SmsFormInput, rules: SmsFormRules = {}): SmsFormResult {
  const errors: Partial<Record<SmsField, string>> = {};
  const values: Record<SmsField, string> = { from: '', to: '', text: '' };
  const clean: Record<SmsField, string> = { from: '', to: '', text: '' };

  for (const field of ['from', 'to', 'text'] as const) {
    const raw = input[field] ?? '';
    if (typeof raw !== 'string') {
      errors[field] = NOT_TEXT[field];
      continue;
    }
    values[field] = raw;
    const result = CHECKS[field](raw, rules);
    const refused = result.ok ? refusedByRules(field, result.value, rules) : result.error;
    if (refused === undefined && result.ok) clean[field] = result.value;
    else errors[field] = refused;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  return {
    ok: true,
    value: { ...clean, type: isGsm7(clean.text) ? 'text' : 'unicode' },
  };
}

/**
 * The To field alone, judged as the form will judge it on sending (how it is written, what
 * this deployment allows): what it will send to ("+44 7700 900123 (United Kingdom)"), or the
 * form's error for it. For the preview shown as a person types.
 */
export function previewRecipient(raw: string, rules: SmsFormRules = {}): { preview: string } | { error: string } {
  const checked = checkRecipient(raw, rules);
  const refused = checked.ok ? refusedByRules('to', checked.value, rules) : checked.error;
  return checked.ok && refused === undefined ? { preview: withCountry(checked.value) } : { error: refused ?? howToWriteRecipient(rules) };
}

/**
 * What the To field will send to, formatted with its country ("+44 7700 900123 (United
 * Kingdom)"), for the form to show under the field; undefined while the field holds no number.
 */
export function destinationPreview(raw: string, rules: NumberRules = {}): string | undefined {
  const checked = checkTo(raw, { ...rules, refuseUnreachable: false });
  return checked.ok ? withCountry(checked.value) : undefined;
}

/**
 * The sender a fresh form starts with when the account has sent nothing yet: the app's name, a
 * valid alphanumeric sender ID (up to 11 letters and digits) the person can replace.
 */
export const DEFAULT_SENDER = 'NexmoSMS';

/**
 * From and To for a fresh form, from a link such as the message page's "Send another"
 * (`/sms?from=…&to=…`) or the sandbox's "Use this number" (`/sms?to=447700900999`): each is kept
 * only when the form would accept it; anything else (missing, invalid, repeated) leaves its field
 * empty. The recipient is written as a person writes it ("+44 7700 900999"), the sender as the
 * app sends it. The text is never taken from a link.
 */
export function prefillSmsForm(query: { from?: unknown; to?: unknown }, rules: NumberRules = {}): Record<SmsField, string> {
  const from = typeof query.from === 'string' ? checkFrom(query.from) : undefined;
  const to = typeof query.to === 'string' ? checkTo(query.to, rules) : undefined;
  return { from: from?.ok ? from.value : '', to: to?.ok ? writtenNumber(to.value) : '', text: '' };
}
