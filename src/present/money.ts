// The one way the app writes an amount of money. Nexmo quotes euros as decimal strings with 8
// places ("0.03330000"); Intl.NumberFormat formats such a string exactly (no float rounding).
//
// Two kinds of amount, each written one way wherever it appears:
// - a price (per part, a message's total, an estimate) is written exactly, dropping trailing
//   zeros down to whole cents: €0.0333, €0.0666, €0.10;
// - a balance (the form's, and each part's "balance after" and the remaining balance on the
//   message page) is written to the cent: €9.97. Exact balances ran to as many places as they
//   happened to need (€9.9667 beside €9.667), so a column of them never lined up.

const EURO = new Intl.NumberFormat('en-GB', {
  style: 'currency',
  currency: 'EUR',
  minimumFractionDigits: 2,
  maximumFractionDigits: 8,
});

const EURO_CENTS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });

// Intl's typings predate string input; the runtime (ES2023 Intl.NumberFormat v3) takes it exactly.
const exactly = (amount: string) => amount as unknown as number;

/** A price, exactly: `€0.0333`, `€10.00`. */
export function formatEuro(amount: string): string {
  return EURO.format(exactly(amount));
}

/** A balance, to the cent (rounded half away from zero): `€9.97` for 9.96670000. */
export function formatBalance(amount: string): string {
  return EURO_CENTS.format(exactly(amount));
}
