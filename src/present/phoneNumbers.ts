// Phone numbers as people read them: grouped as their country groups them, with the country's
// name, an example of the national way of writing one, and what a number that takes no SMS is.
import { getExampleNumber, type CountryCode } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';

import { EXAMPLE_DIGITS, parseDigits, type NumberKind, type Unreachable } from '../nexmo/phoneNumbers.js';

export interface FormattedNumber {
  /** As the library writes it internationally, e.g. "+44 7700 900123". */
  international: string;
  /** The country's name in English, when the number has one. */
  country?: string;
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region' });

/** E.164 digits as a person reads them; digits the library cannot read come back as +digits. */
export function formatNumber(digits: string): FormattedNumber {
  const parsed = parseDigits(digits);
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
 * An example of a mobile number as it is written in `country` without its country code, for
 * the form's hints ("07700 900000" in the UK, "(201) 555-0123" in the US): in the UK the app's
 * own example number, elsewhere the library's example mobile number for that country.
 */
export function nationalExample(country: CountryCode): string | undefined {
  const example = country === 'GB' ? parseDigits(EXAMPLE_DIGITS) : getExampleNumber(country, mobileExamples);
  return example?.formatNational();
}

/** "+44 7700 900123 (United Kingdom)". */
export function withCountry(digits: string): string {
  const { international, country } = formatNumber(digits);
  return country === undefined ? international : `${international} (${country})`;
}

/** Kinds of number that no SMS reaches (or that this app will not pay to send to), in words. */
const NOT_FOR_SMS_WORDS: Partial<Record<NumberKind, string>> = {
  FIXED_LINE: 'a landline number, which can’t receive SMS',
  PREMIUM_RATE: 'a premium-rate number, which this app does not send to',
  TOLL_FREE: 'a freephone number, which can’t receive SMS',
  SHARED_COST: 'a shared-cost number, which can’t receive SMS',
  UAN: 'a company switchboard number, which can’t receive SMS',
  VOICEMAIL: 'a voicemail access number, which can’t receive SMS',
  PAGER: 'a pager number, which can’t receive SMS',
};

/** Why `digits` cannot take an SMS, in a sentence. */
export function unreachableSentence(digits: string, why: Unreachable): string {
  if (why.code === 'invalid') return `${withCountry(digits)} is not a valid phone number. Check it and try again.`;
  return `${withCountry(digits)} is ${NOT_FOR_SMS_WORDS[why.kind] ?? 'a number that can’t receive SMS'}. Enter a mobile number.`;
}
