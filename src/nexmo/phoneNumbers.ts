// Destinations understood as phone numbers, with libphonenumber-js and its full metadata (the
// full set is what can tell a mobile from a landline or a premium-rate number): national formats
// read in the deployment's default country, E.164 digits out, and in live mode why a number
// cannot take an SMS, as a code. How numbers are written for people is present/phoneNumbers.ts.

import { parsePhoneNumberFromString, type CountryCode, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';

export type { CountryCode };
export { isSupportedCountry } from 'libphonenumber-js/max';

export interface NumberRules {
  /** SMS_DEFAULT_COUNTRY: the country a number written without its country code is read in. */
  defaultCountry?: CountryCode;
  /**
   * Live mode: a number the library finds invalid, or of a kind that takes no SMS, is refused.
   * Off in sandbox mode, whose test numbers are in the UK's fictional range (+44 7700 900xxx),
   * which the library rightly calls invalid.
   */
  refuseUnreachable?: boolean;
}

/** Kinds of number that no SMS reaches, or that this app will not pay to send to. */
export const NOT_FOR_SMS: ReadonlySet<NonNullable<NumberType>> = new Set(['FIXED_LINE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER']);

export type NumberKind = NonNullable<NumberType>;

/** A destination read as E.164 digits; `kind` when reading it already told (see e164Digits). */
export interface E164Number {
  digits: string;
  /** The kind of number (mobile, landline…), known when it was read as valid in the default country. */
  kind?: NonNullable<NumberType>;
}

/** Whether a number as typed starts with `+` or `00`, so that its country code comes first. */
export function writtenInternationally(typed: string): boolean {
  return /^\s*(?:\+|\(?\s*00)/.test(typed);
}

/**
 * `typed` is the field as typed, `digits` what phoneDigits made of it. A number written without
 * `+` or `00` is read in the default country when the library finds it valid there, or when it
 * starts with the national trunk 0 (07700 900123) and has a possible length there; any other
 * without a trunk 0 is taken as international, as before.
 */
export function e164Digits(typed: string, digits: string, rules: NumberRules): E164Number | undefined {
  const international = writtenInternationally(typed);
  const asTyped = digits.startsWith('0') ? undefined : { digits };
  if (international || rules.defaultCountry === undefined) return asTyped;
  const national = parsePhoneNumberFromString(typed, rules.defaultCountry);
  if (!national) return asTyped;
  // With the full metadata a number is valid exactly when it has a kind (the library's own
  // isValid asks getType), so one lookup answers both, and unreachableReason needs no other.
  const kind = national.getType();
  if (kind !== undefined) return { digits: national.number.slice(1), kind };
  // Possible (the right length there) is enough for the trunk-0 case: the sandbox's fictional
  // 07700 900xxx numbers are possible but not valid, and live mode refuses them later anyway.
  if (digits.startsWith('0') && national.isPossible()) return { digits: national.number.slice(1) };
  return asTyped;
}

/** Why a number cannot take an SMS (live mode): not a valid number, or one of a kind no SMS reaches. */
export type Unreachable = { code: 'invalid' } | { code: 'not-for-sms'; kind: NumberKind };

/** Why a number cannot take an SMS, or undefined when it can. Its kind is looked up unless reading it told it already. */
export function unreachableReason({ digits, kind }: E164Number): Unreachable | undefined {
  // Valid exactly when the full metadata gives it a kind (see e164Digits).
  const type = kind ?? parseDigits(digits)?.getType();
  if (type === undefined) return { code: 'invalid' };
  return NOT_FOR_SMS.has(type) ? { code: 'not-for-sms', kind: type } : undefined;
}

/**
 * The app's example number, in E.164 digits: +44 7700 900000, in the UK's range kept for drama
 * (no one's phone), written the same in every text that shows a number in international format.
 */
export const EXAMPLE_DIGITS = '447700900000';

/** E.164 digits as the library reads them; undefined for anything that is not 1–15 digits. */
export function parseDigits(digits: string): PhoneNumber | undefined {
  return /^\d{1,15}$/.test(digits) ? parsePhoneNumberFromString(`+${digits}`) : undefined;
}
