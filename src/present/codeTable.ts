/**
 * A table of numeric codes and what each means, with a sentence for codes it does not list:
 * the SMS status and the delivery err-code tables are both read this way.
 */
export function lookupCode<Entry extends object>(
  table: ReadonlyMap<number, Entry>,
  code: number,
  unknown: (code: number) => Entry,
): Entry & { code: number } {
  return { code, ...(table.get(code) ?? unknown(code)) };
}

/** The codes a table has words for, in the order it lists them. */
export function knownCodes(table: ReadonlyMap<number, unknown>): readonly number[] {
  return [...table.keys()];
}
