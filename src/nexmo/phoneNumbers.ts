// Destinations understood as phone numbers, with libphonenumber-js and its full metadata (the
// full set is what can tell a mobile from a landline or a premium-rate number): national formats
// read in the deployment's default country, E.164 digits out, and in live mode a refusal for a
// number that cannot take an SMS.

import { getExampleNumber, parsePhoneNumberFromString, type CountryCode, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';

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

/** Kinds of number that no SMS reaches (or that this app will not pay to send to), in words. */
const NOT_FOR_SMS: Partial<Record<NonNullable<NumberType>, string>> = {
  FIXED_LINE: 'a landline number, which can’t receive SMS',
  PREMIUM_RATE: 'a premium-rate number, which this app does not send to',
  TOLL_FREE: 'a freephone number, which can’t receive SMS',
  SHARED_COST: 'a shared-cost number, which can’t receive SMS',
  UAN: 'a company switchboard number, which can’t receive SMS',
  VOICEMAIL: 'a voicemail access number, which can’t receive SMS',
  PAGER: 'a pager number, which can’t receive SMS',
};

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

/**
 * Why a number cannot take an SMS (live mode), or undefined when it can. Its kind is looked up
 * unless reading it told it already.
 */
export function unreachableReason({ digits, kind }: E164Number): string | undefined {
  // Valid exactly when the full metadata gives it a kind (see e164Digits).
  const type = kind ?? parse(digits)?.getType();
  if (type === undefined) return `${withCountry(digits)} is not a valid phone number. Check it and try again.`;
  const reason = NOT_FOR_SMS[type];
  return reason === undefined ? undefined : `${withCountry(digits)} is ${reason}. Enter a mobile number.`;
}

export interface FormattedNumber {
  /** As the library writes it internationally, e.g. "+44 7700 900123". */
  international: string;
  /** The country's name in English, when the number has one. */
  country?: string;
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region' });

/** E.164 digits as a person reads them; digits the library cannot read come back as +digits. */
export function formatNumber(digits: string): FormattedNumber {
  const parsed = parse(digits);
  if (!parsed) return { international: `+${digits}` };
  // An invalid number (such as the fictional +44 7700 900xxx) has no country of its own: the
  // calling code's main one names it.
  const region = parsed.country ?? parsed.getPossibleCountries()[0];
  const country = region === undefined ? undefined : REGIONS.of(region);
  return country === undefined ? { international: parsed.formatInternational() } : { international: parsed.formatInternational(), country };
}

/** A country's name in English, e.g. "United Kingdom" for GB. */
export function countryName(country: CountryCode): string {
  return REGIONS.of(country) ?? country;
}

/**
 * The app's example number, in E.164 digits: +44 7700 900000, in the UK's range kept for drama
 * (no one's phone), written the same in every text that shows a number in international format.
 */
export const EXAMPLE_DIGITS = '447700900000';

/**
 * An example of a mobile number as it is written in `country` without its country code, for
 * the form's hints ("07700 900000" in the UK, "(201) 555-0123" in the US): in the UK the app's
 * own example number, elsewhere the library's example mobile number for that country.
 */
export function nationalExample(country: CountryCode): string | undefined {
  const example = country === 'GB' ? parse(EXAMPLE_DIGITS) : getExampleNumber(country, mobileExamples);
  return example?.formatNational();
}

/** "+44 7700 900123 (United Kingdom)". */
export function withCountry(digits: string): string {
  const { international, country } = formatNumber(digits);
  return country === undefined ? international : `${international} (${country})`;
}

function parse(digits: string): PhoneNumber | undefined {
  return /^\d{1,15}$/.test(digits) ? parsePhoneNumberFromString(`+${digits}`) : undefined;
}
