/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires: everything but unreserved characters. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Replaces each value wherever it appears in a text: raw, percent-encoded, or encoded twice (as
 * in an echoed signature base string). Longest first, so an encoded form is not half-replaced by
 * its raw prefix. Empty values are ignored. The forms are worked out once, for the several texts
 * of one exchange (its URL, parameters, base string and header) that hide the same values.
 */
export function everyFormReplacer(replacements: ReadonlyArray<readonly [value: string, replacement: string]>): (text: string) => string {
  const forms: Array<[string, string]> = [];
  for (const [value, replacement] of replacements) {
    if (!value) continue;
    const once = percentEncode(value);
    for (const form of new Set([value, once, percentEncode(once)])) forms.push([form, replacement]);
  }
  forms.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let out = text;
    for (const [form, replacement] of forms) if (out.includes(form)) out = out.split(form).join(replacement);
    return out;
  };
}
