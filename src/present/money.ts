// The one way the app writes an amount of money. Nexmo quotes euros as decimal strings with 8
// places ("0.03330000"); Intl.NumberFormat formats such a string exactly (no float rounding),
// dropping trailing zeros down to whole cents.

const EURO = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'EUR',
  minimumFractionDigits: 2,
  maximumFractionDigits: 8,
});

const EURO_CENTS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' });

/** `€0.0333` for a price, or `€10.17` with `{ cents: true }` for a balance shown at a glance. */
export function formatEuro(amount: string, options: { cents?: boolean } = {}): string {
  // Intl's typings predate string input; the runtime (ES2023 Intl.NumberFormat v3) takes it exactly.
  const value = amount as unknown as number;
  return (options.cents ? EURO_CENTS : EURO).format(value);
}
