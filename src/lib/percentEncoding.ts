/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires: everything but unreserved characters. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Replaces each value wherever it appears in `text`: raw, percent-encoded, or encoded twice (as
 * in an echoed signature base string). Longest first, so an encoded form is not half-replaced by
 * its raw prefix. Empty values are ignored.
 */
export function replaceEveryForm(text: string, replacements: ReadonlyArray<readonly [value: string, replacement: string]>): string {
  const forms: Array<[string, string]> = [];
  for (const [value, replacement] of replacements) {
    if (!value) continue;
    for (const form of [value, percentEncode(value), percentEncode(percentEncode(value))]) forms.push([form, replacement]);
  }
  forms.sort((a, b) => b[0].length - a[0].length);
  return forms.reduce((out, [form, replacement]) => out.split(form).join(replacement), text);
}
