// Validation of the "send an SMS" form. Pure: takes what the body parser produced (which may be
// an array or an object for crafted requests) and returns either Nexmo-ready values or, for
// each field, what is wrong with it as a code (present/smsForm.ts says it in words), plus what
// the user typed, so the form can be shown again filled in.

import { e164Digits, unreachableReason, writtenInternationally, type NumberKind, type NumberRules } from './phoneNumbers.js';
import { MAX_CHARACTERS, countSegments, isBlank, isGsm7 } from './segments.js';
import type { SmsRequest } from './types.js';

export type SmsField = 'from' | 'to' | 'text';

export interface SmsFormInput {
  from?: unknown;
  to?: unknown;
  text?: unknown;
}

/** What is wrong with one field, with what its words need. */
export type FieldProblem =
  /** Left empty. */
  | { code: 'missing' }
  /** Repeated (`?to=a&to=b`) or nested: nothing the form itself sends. */
  | { code: 'not-text' }
  /** To: not a phone number at all (letters, symbols). From: a number that is not one. */
  | { code: 'unreadable' }
  /** To: a number no country could be found for; `international` when written with + or 00. */
  | { code: 'no-country-code'; international: boolean }
  /** To: too few or too many digits for any number. */
  | { code: 'length'; digits: number }
  /** To (live mode): not a valid number, or one of a kind no SMS reaches. */
  | { code: 'invalid-number'; digits: string }
  | { code: 'not-for-sms'; digits: string; kind: NumberKind }
  /** To: outside the countries this deployment sends to. */
  | { code: 'prefix'; prefixes: readonly string[] }
  /** From: a sender number longer than any number. */
  | { code: 'sender-digits'; digits: number }
  /** From: a sender name with characters Nexmo refuses. */
  | { code: 'sender-characters' }
  /** From: a sender name longer than 11. */
  | { code: 'sender-length'; length: number }
  /** Text: longer than Nexmo takes. */
  | { code: 'too-long'; characters: number; max: number }
  /** Text: more parts than this deployment sends in a day from one account. */
  | { code: 'too-many-parts'; parts: number; maxParts: number };

export type SmsFormResult =
  /** The form's fields, valid: the request a send record keeps. */
  | { ok: true; value: SmsRequest }
  | {
      ok: false;
      problems: Partial<Record<SmsField, FieldProblem>>;
      values: Record<SmsField, string>;
    };

export type Check = { ok: true; value: string } | { ok: false; problem: FieldProblem };

const refuse = (problem: FieldProblem): Check => ({ ok: false, problem });

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
  if (raw.trim() === '') return refuse({ code: 'missing' });
  const typed = phoneDigits(raw);
  if (typed === null || typed === '') return refuse({ code: 'unreadable' });
  const number = e164Digits(raw, typed, rules);
  // Country codes never start with 0, so a leading 0 is a national number no default country reads.
  if (number === undefined) return refuse({ code: 'no-country-code', international: writtenInternationally(raw) });
  const { digits } = number;
  if (digits.length < 7 || digits.length > 15) return refuse({ code: 'length', digits: digits.length });
  const unreachable = rules.refuseUnreachable ? unreachableReason(number) : undefined;
  if (unreachable === undefined) return { ok: true, value: digits };
  return refuse(unreachable.code === 'invalid' ? { code: 'invalid-number', digits } : { code: 'not-for-sms', digits, kind: unreachable.kind });
}

export function checkFrom(raw: string): Check {
  const compact = raw.replace(/\s+/g, '');
  if (compact === '') return refuse({ code: 'missing' });
  // No letters: a number, written with the same freedom as the recipient's.
  if (!/[^\d+().-]/.test(compact)) {
    const digits = phoneDigits(raw);
    if (digits === null || digits === '') return refuse({ code: 'unreadable' });
    if (digits.length > 15) return refuse({ code: 'sender-digits', digits: digits.length });
    return { ok: true, value: digits };
  }
  // Nexmo ignores spaces in a sender name, so they are dropped rather than rejected.
  if (!/^[A-Za-z0-9]+$/.test(compact)) return refuse({ code: 'sender-characters' });
  if (compact.length > 11) return refuse({ code: 'sender-length', length: compact.length });
  return { ok: true, value: compact };
}

function checkText(raw: string): Check {
  // The same test as the live counter's, so it never counts parts for a text refused here.
  if (isBlank(raw)) return refuse({ code: 'missing' });
  // Code points, as a person counts them (an emoji is one character).
  const characters = [...raw].length;
  if (characters > MAX_CHARACTERS) return refuse({ code: 'too-long', characters, max: MAX_CHARACTERS });
  // The text goes out exactly as typed: leading spaces or blank lines may be intended.
  return { ok: true, value: raw };
}

/**
 * checkTo's answers for the recipients typed lately, per set of rules (a deployment has one):
 * reading a number with the full metadata is the dearest part of validating a form (~50 µs on a
 * busy server), the answer depends on nothing else, and people send to the same few numbers.
 */
const recentRecipients = new WeakMap<NumberRules, Map<string, Check>>();
const RECIPIENTS_KEPT = 500;

/** The recipient as the form reads it (what it is written as, not yet the deployment's own rules). */
export function checkRecipient(raw: string, rules: NumberRules): Check {
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

/** The deployment's own rules for a field Nexmo would accept; undefined when it passes them. */
function refusedByRules(field: SmsField, value: string, rules: SmsFormRules): FieldProblem | undefined {
  const prefixes = rules.allowedPrefixes ?? [];
  if (field === 'to' && prefixes.length > 0 && !prefixes.some((prefix) => value.startsWith(prefix))) return { code: 'prefix', prefixes };
  if (field === 'text' && rules.maxParts !== undefined && rules.maxParts > 0) {
    const { parts } = countSegments(value);
    if (parts > rules.maxParts) return { code: 'too-many-parts', parts, maxParts: rules.maxParts };
  }
  return undefined;
}

export function validateSmsForm(input: SmsFormInput, rules: SmsFormRules = {}): SmsFormResult {
  const problems: Partial<Record<SmsField, FieldProblem>> = {};
  const values: Record<SmsField, string> = { from: '', to: '', text: '' };
  const clean: Record<SmsField, string> = { from: '', to: '', text: '' };

  for (const field of ['from', 'to', 'text'] as const) {
    const raw = input[field] ?? '';
    if (typeof raw !== 'string') {
      problems[field] = { code: 'not-text' };
      continue;
    }
    values[field] = raw;
    const result = CHECKS[field](raw, rules);
    const refused = result.ok ? refusedByRules(field, result.value, rules) : result.problem;
    if (refused === undefined && result.ok) clean[field] = result.value;
    else if (refused !== undefined) problems[field] = refused;
  }

  if (Object.keys(problems).length > 0) return { ok: false, problems, values };
  return {
    ok: true,
    value: { ...clean, type: isGsm7(clean.text) ? 'text' : 'unicode' },
  };
}

/**
 * The To field alone, judged as the form will judge it on sending (how it is written, what
 * this deployment allows): the digits it will send to, or what is wrong.
 */
export function checkRecipientForSending(raw: string, rules: SmsFormRules = {}): Check {
  const checked = checkRecipient(raw, rules);
  if (!checked.ok) return checked;
  const refused = refusedByRules('to', checked.value, rules);
  return refused === undefined ? checked : refuse(refused);
}

/** The digits the To field holds as written, whatever this deployment allows; undefined while it holds no number. */
export function destinationDigits(raw: string, rules: NumberRules = {}): string | undefined {
  const checked = checkTo(raw, { ...rules, refuseUnreachable: false });
  return checked.ok ? checked.value : undefined;
}

/**
 * The sender a fresh form starts with when the account has sent nothing yet: the app's name, a
 * valid alphanumeric sender ID (up to 11 letters and digits) the person can replace.
 */
export const DEFAULT_SENDER = 'NexmoSMS';
