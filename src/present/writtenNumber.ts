// A phone number as people write it with its country code: "+44 7700 900999", the way the
// message page and the history show it. The app itself sends and keeps E.164 digits.

import { formatNumber } from './phoneNumbers.js';

/** E.164 digits ("447700900999") in international format, grouped as the number's country groups it. */
export function writtenNumber(digits: string): string {
  return formatNumber(digits).international;
}
