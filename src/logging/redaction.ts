// The one place that masks secrets, with one placeholder, HIDDEN, wherever a secret was: log
// fields named after secrets, known values in text (the exchanges the "How it works" page shows,
// provider replies quoted in errors), and token-like values in a provider body that nothing named.
//
// Log lines: every field whose name is a secret's is replaced, at any depth, before a line is
// written. One walk over the fields with a set lookup per key: pino's own path-based `redact`
// needs a path per name and depth, and with wildcards it cost ~40 µs a line, more than the rest
// of a request's logging together.

import { percentEncode } from '../lib/percentEncoding.js';

/** Stands wherever a secret was: in log fields, in recorded exchanges, in quoted replies. */
export const HIDDEN = '[hidden]';

/**
 * Field names whose values are secrets, compared without regard to case: consumer and token
 * secrets, access and request tokens, verifiers, signatures, CSRF tokens, the receipt key, the
 * receipt signature secret and a receipt's signature, and
 * the credentials of HTTP headers.
 */
const SECRET_FIELDS = [
  'consumerSecret',
  'consumer_secret',
  'oauth_consumer_secret',
  'secret',
  'tokenSecret',
  'token_secret',
  'oauth_token_secret',
  'token',
  'accessToken',
  'requestToken',
  'oauth_token',
  'verifier',
  'oauth_verifier',
  'oauth_signature',
  'csrfToken',
  '_csrf',
  'receiptKey',
  'signatureSecret',
  'signature_secret',
  'NEXMO_SIGNATURE_SECRET',
  'sig',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
];

const SECRET_NAMES = new Set(SECRET_FIELDS.map((name) => name.toLowerCase()));

/**
 * pino serializers that censor a top-level field with a secret's name. Needed for a child
 * logger's bindings, which pino's `bindings` formatter never sees (it applies to the root only);
 * bindings name a request or a component, so their top level is where a secret could be.
 */
export const secretSerializers: Record<string, () => string> = Object.fromEntries(
  SECRET_FIELDS.flatMap((name) => [name, name.toLowerCase()]).map((name) => [name, () => HIDDEN]),
);

/** Deeper than this, an object is not walked but replaced: no log line needs that much nesting. */
const MAX_DEPTH = 8;

/**
 * `fields` with the value of every secret-named field replaced by HIDDEN, in objects and arrays
 * at any depth. What holds no secret is returned as it is; what does is copied, never changed in
 * place (the caller's objects stay intact). Errors, dates, buffers and anything with its own
 * toJSON are left to pino's serializers.
 */
export function redactSecrets<T>(fields: T): T {
  return hideFields(fields, 0) as T;
}

function hideFields(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const clean = hideFields(item, depth + 1);
      if (clean !== item) (copy ??= [...value])[i] = clean;
    });
    return copy ?? value;
  }
  if (value instanceof Error || ArrayBuffer.isView(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const clean = SECRET_NAMES.has(key.toLowerCase()) ? HIDDEN : hideFields(item, depth + 1);
    if (clean !== item) (copy ??= { ...value })[key] = clean;
  }
  return copy ?? value;
}

/** `abcd… (32 characters)`: enough to recognise a token across steps, not enough to use it. */
export function maskToken(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} characters)`;
}

/** Anything masked: HIDDEN, or a token as maskToken writes it. */
export const MASKED_VALUE = new RegExp(`${HIDDEN.replace(/[[\]]/g, '\\$&')}|\\S{0,4}… \\(\\d+ characters\\)`, 'g');

/** Known values a text may carry, and how each is masked. */
export interface Sensitive {
  /** Shown masked (maskToken) wherever they appear. */
  tokens: readonly string[];
  /** Never shown in any form: replaced by HIDDEN. */
  secrets: readonly string[];
}

/**
 * Replaces every appearance of the sensitive values in `text`: raw, percent-encoded, or
 * encoded twice as in a signature base string.
 */
export function maskSensitive(text: string, sensitive: Sensitive): string {
  return sensitiveMasker(sensitive)(text);
}

/** maskSensitive for several texts hiding the same values: the encoded forms are made once. */
export function sensitiveMasker(sensitive: Sensitive): (text: string) => string {
  return everyFormReplacer([
    ...sensitive.secrets.map((value) => [value, HIDDEN] as const),
    ...sensitive.tokens.map((value) => [value, maskToken(value)] as const),
  ]);
}

/**
 * A token- or secret-like name followed by its value, in the shapes providers echo back:
 * `key=value` (form bodies), `key="value"` (Authorization headers), `key%3Dvalue` (echoed
 * signature base strings, possibly encoded once more) and `"key": "value"` (JSON).
 */
const SECRET_LIKE =
  /((?:oauth_[a-z_]*(?:token|secret|signature|verifier)[a-z_]*|api_secret|secret)"?\s*(?:=|%(?:25)*3D|:)\s*"?)((?:(?!%(?:25)*26)[^&\s"',;}])+)/gi;

/** At most 200 characters of a provider body, on one line, with token- and secret-like values hidden. */
export function safeExcerpt(body: string): string {
  const masked = body.replace(SECRET_LIKE, (_m, prefix: string) => `${prefix}${HIDDEN}`);
  const oneLine = masked.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

/**
 * Replaces each value wherever it appears in a text: raw, percent-encoded, or encoded twice (as
 * in an echoed signature base string). Longest first, so an encoded form is not half-replaced by
 * its raw prefix. Empty values are ignored. The forms are worked out once, for the several texts
 * of one exchange (its URL, parameters, base string and header) that hide the same values.
 */
function everyFormReplacer(replacements: ReadonlyArray<readonly [value: string, replacement: string]>): (text: string) => string {
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
