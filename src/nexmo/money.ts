// Prices arrive as decimal strings ("0.03330000"). Adding them as floats drifts
// (0.1 + 0.2 !== 0.3), and a total shown next to the per-part prices must match them exactly,
// so they are added as integers in units of the smallest decimal place.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Nexmo quotes prices with 8 decimals; totals keep at least that many. */
const MIN_DECIMALS = 8;

/**
 * Exact sum of decimal strings; missing prices (parts that failed) count as zero.
 * Throws on anything that isn't a plain decimal, which callers have already checked.
 */
export function sumPrices(prices: ReadonlyArray<string | undefined>): string {
  const parsed = prices
    .filter((price): price is string => price !== undefined)
    .map((price) => {
      const match = DECIMAL.exec(price);
      if (!match) throw new TypeError(`not a decimal amount: ${JSON.stringify(price)}`);
      return { negative: match[1] === '-', whole: match[2] ?? '0', fraction: match[3] ?? '' };
    });
  const decimals = Math.max(MIN_DECIMALS, ...parsed.map((p) => p.fraction.length));

  let total = 0n;
  for (const { negative, whole, fraction } of parsed) {
    const units = BigInt(whole + fraction.padEnd(decimals, '0'));
    total += negative ? -units : units;
  }

  const sign = total < 0n ? '-' : '';
  const digits = (total < 0n ? -total : total).toString().padStart(decimals + 1, '0');
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Orders two decimal amounts exactly: negative when a < b, 0 when equal, positive when a > b. */
export function compareAmounts(a: string, b: string): number {
  const difference = sumPrices([a, b.startsWith('-') ? b.slice(1) : `-${b}`]);
  if (/^-?0\.0+$/.test(difference)) return 0;
  return difference.startsWith('-') ? -1 : 1;
}

/** A price per part as Nexmo writes it: a plain decimal string such as "0.03330000". */
const PART_PRICE = /^(\d{1,6})(?:\.(\d{1,8}))?$/;

export function isPartPrice(price: unknown): price is string {
  return typeof price === 'string' && PART_PRICE.test(price);
}

/**
 * `parts` times `partPrice`, exactly (in units of 10⁻⁸ €, as Nexmo prices are written), as a
 * decimal string with 8 places.
 */
export function multiplyPrice(parts: number, partPrice: string): string {
  const match = PART_PRICE.exec(partPrice);
  if (!match) throw new RangeError(`not a price: ${partPrice}`);
  const units = (Number(match[1]) * 1e8 + Number((match[2] ?? '').padEnd(8, '0'))) * parts;
  return `${Math.floor(units / 1e8)}.${String(units % 1e8).padStart(8, '0')}`;
}
