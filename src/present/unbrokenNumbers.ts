/**
 * `text` with the spaces inside each phone number made non-breaking ("+44 7700 900000",
 * "(201) 555-0123"), so a narrow column wraps between words, never inside a number.
 */
export function unbrokenNumbers(text: string): string {
  return text.replace(/\+?\(?\d[\d() -]*\d\)?/g, (number) => number.replaceAll(' ', '\u00a0'));
}
