// The price of one SMS part the app last saw, for the form's cost estimate.

import { isPartPrice } from '../nexmo/money.js';
import type { SendRecord } from '../store/types.js';

/** How many of the latest sends are searched for a price (a failed send has none). */
export const PRICE_LOOKBACK = 5;

/**
 * The price Nexmo quoted for a part of the most recent send that has one (`records` newest
 * first, as the store lists them), or undefined when none does. Prices depend on the
 * destination, so this is an estimate for the next message, not a quote.
 */
export function lastPartPrice(records: readonly SendRecord[]): string | undefined {
  for (const record of records) {
    if (!('parts' in record.outcome)) continue;
    const priced = record.outcome.parts.find((part) => part.status === 0 && isPartPrice(part.price));
    if (priced) return priced.price;
  }
  return undefined;
}
