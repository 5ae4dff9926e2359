/**
 * RFC 5849 (OAuth 1.0) signature primitives, written for the sandbox provider alone.
 *
 * Nothing here is shared with the app's consumer on purpose: if both sides used the same
 * encoder, a bug in it would sign and verify identically and never show up.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One request parameter, already decoded. Order and duplicates matter, so no objects. */
export type Param = readonly [name: string, value: string];

export type SignatureMethod = 'HMAC-SHA1' | 'PLAINTEXT';

export const SUPPORTED_METHODS: readonly SignatureMethod[] = ['HMAC-SHA1', 'PLAINTEXT'];

export class ParameterSyntaxError extends Error {
  override readonly name = 'ParameterSyntaxError';
}

/**
 * §3.6: UTF-8 octets, every byte outside ALPHA / DIGIT / "-" / "." / "_" / "~" as %XX with
 * upper-case hex. encodeURIComponent leaves !'()* alone, which §3.6 does not allow.
 * A lone surrogate cannot be UTF-8 encoded; it is refused rather than silently replaced.
 */
export function percentEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new ParameterSyntaxError('value is not valid Unicode text');
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Strict percent-decoding: malformed escapes or invalid UTF-8 are errors, not guesses. */
export function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ParameterSyntaxError('malformed percent-encoding');
  }
}

/**
 * §3.4.1.3.1: query and form bodies are read as application/x-www-form-urlencoded, so "+" is a
 * space and a name without "=" has an empty value. Empty segments ("a=1&&b=2") carry nothing.
 */
export function parseFormEncoded(text: string): Param[] {
  const params: Param[] = [];
  for (const segment of text.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    params.push([formDecode(rawName), formDecode(rawValue)]);
  }
  return params;
}

function formDecode(value: string): string {
  return percentDecode(value.replace(/\+/g, ' '));
}

const AUTH_PARAM = /^\s*([A-Za-z0-9_.~-]+)\s*=\s*(?:"([^"]*)"|([A-Za-z0-9%_.~-]*))\s*$/;

/**
 * §3.5.1: `OAuth name="value", ...` with percent-encoded values; `realm` is not a signed
 * parameter. Returns undefined when the header is absent or uses another scheme (Basic, Bearer),
 * and throws on an OAuth header it cannot read, so a garbled header is never half-used.
 */
export function parseAuthorizationHeader(header: string | undefined): Param[] | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*OAuth(?:\s+([\s\S]*))?$/i.exec(header);
  if (!match) return undefined;
  const body = (match[1] ?? '').trim();
  if (body === '') return [];
  const params: Param[] = [];
  // Values cannot contain quotes once percent-encoded, so splitting on commas is safe.
  for (const part of body.split(',')) {
    if (part.trim() === '') continue;
    const m = AUTH_PARAM.exec(part);
    if (!m) throw new ParameterSyntaxError('unreadable Authorization header');
    const name = m[1] as string;
    if (name === 'realm') continue;
    params.push([percentDecode(name), percentDecode(m[2] ?? m[3] ?? '')]);
  }
  return params;
}

/**
 * §3.4.1.2: lower-case scheme and host, the port only when it is not the scheme's default,
 * the path as sent, and never the query or fragment.
 */
export function baseStringUri(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ParameterSyntaxError('request URL cannot be parsed');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ParameterSyntaxError('request URL must be http or https');
  }
  // URL lower-cases scheme and host and already drops :80 / :443 for their own schemes.
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  const path = parsed.pathname === '' ? '/' : parsed.pathname;
  return `${parsed.protocol}//${parsed.hostname}${port}${path}`;
}

/** §3.4.1.3.2: encode, sort by name then value (byte order of the encoded forms), join. */
export function normalizeParameters(params: readonly Param[]): string {
  const encoded = params
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const);
  // Encoded strings are pure ASCII, so code-unit comparison is byte-order comparison.
  encoded.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return encoded.map(([name, value]) => `${name}=${value}`).join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** §3.4.1.1: METHOD & encoded base string URI & encoded normalised parameters. */
export function signatureBaseString(method: string, url: string, params: readonly Param[]): string {
  return [
    percentEncode(method.toUpperCase()),
    percentEncode(baseStringUri(url)),
    percentEncode(normalizeParameters(params)),
  ].join('&');
}

/** §3.4.2 key: both secrets encoded and joined by "&", which stays even when one is empty. */
export function signingKey(consumerSecret: string, tokenSecret: string): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

export interface SignatureInput {
  method: string;
  url: string;
  params: readonly Param[];
  signatureMethod: SignatureMethod;
  consumerSecret: string;
  tokenSecret: string;
}

/** The signature a correct client would have sent for this request (§3.4.2, §3.4.4). */
export function computeSignature(input: SignatureInput): string {
  const key = signingKey(input.consumerSecret, input.tokenSecret);
  if (input.signatureMethod === 'PLAINTEXT') return key;
  const base = signatureBaseString(input.method, input.url, input.params);
  return createHmac('sha1', key).update(base, 'utf8').digest('base64');
}

/**
 * Constant-time string equality. Both sides are hashed first so that neither the length nor
 * the position of the first difference leaks through timing.
 */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
