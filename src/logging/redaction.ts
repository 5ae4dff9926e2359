// What keeps secrets out of log lines: every field whose name is a secret's is replaced, at any
// depth, before a line is written. One walk over the fields with a set lookup per key: pino's
// own path-based `redact` needs a path per name and depth, and with wildcards it cost ~40 µs a
// line, more than the rest of a request's logging together.

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

const CENSOR = '[redacted]';

/**
 * pino serializers that censor a top-level field with a secret's name. Needed for a child
 * logger's bindings, which pino's `bindings` formatter never sees (it applies to the root only);
 * bindings name a request or a component, so their top level is where a secret could be.
 */
export const secretSerializers: Record<string, () => string> = Object.fromEntries(
  SECRET_FIELDS.flatMap((name) => [name, name.toLowerCase()]).map((name) => [name, () => CENSOR]),
);

/** Deeper than this, an object is not walked but replaced: no log line needs that much nesting. */
const MAX_DEPTH = 8;

/**
 * `fields` with the value of every secret-named field replaced by CENSOR, in objects and arrays
 * at any depth. What holds no secret is returned as it is; what does is copied, never changed in
 * place (the caller's objects stay intact). Errors, dates, buffers and anything with its own
 * toJSON are left to pino's serializers.
 */
export function redactSecrets<T>(fields: T): T {
  return scrub(fields, 0) as T;
}

function scrub(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const clean = scrub(item, depth + 1);
      if (clean !== item) (copy ??= [...value])[i] = clean;
    });
    return copy ?? value;
  }
  if (value instanceof Error || ArrayBuffer.isView(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const clean = SECRET_NAMES.has(key.toLowerCase()) ? CENSOR : scrub(item, depth + 1);
    if (clean !== item) (copy ??= { ...value })[key] = clean;
  }
  return copy ?? value;
}
