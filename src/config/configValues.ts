// The shapes of value the environment's variables take, as zod schemas. Each message says what
// is expected and never repeats the value: it may be a secret, or a URL carrying a password.

import * as z from 'zod';

// The library, not nexmo/phoneNumbers.ts: settings sit below the domain modules that use them.
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

/** A variable as read: trimmed, and unset when blank (`PORT=` means the default). */
export function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined), schema);
}

/** Digits only (no sign, decimal point or exponent), within min..max. */
export function wholeNumber(min: number, max: number) {
  const range = `must be between ${min} and ${max}`;
  return z
    .string()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number({ error: range }).min(min, range).max(max, range));
}

/** The entries of a comma-separated list, trimmed. */
export const commaList = z.string().transform((raw) => raw.split(',').map((entry) => entry.trim()));

/** An absolute http(s) URL without credentials, query or fragment, as the WHATWG parser writes it. */
export const httpUrl = z
  .string()
  .refine((raw) => URL.canParse(raw), { error: 'must be an absolute http(s) URL, e.g. https://example.com', abort: true })
  .transform((raw) => new URL(raw))
  .refine((url) => url.protocol === 'http:' || url.protocol === 'https:', { error: 'must use http or https', abort: true })
  .refine((url) => !(url.search || url.hash || url.username || url.password), 'must not contain credentials, a query or a fragment')
  .transform((url) => url.toString());

/** `redis://[user:password@]host:port[/db]` or `rediss://…`, kept as written (the client parses it). */
export const redisUrl = z
  .string()
  .refine((raw) => URL.canParse(raw), { error: 'must be a URL such as redis://localhost:6379 or rediss://user:password@host:6380/0', abort: true })
  .transform((raw) => ({ raw, url: new URL(raw) }))
  .refine(({ url }) => url.protocol === 'redis:' || url.protocol === 'rediss:', { error: 'must start with redis:// or rediss://', abort: true })
  .refine(({ url }) => url.hostname !== '', { error: 'must name a host, e.g. redis://localhost:6379', abort: true })
  .refine(({ url }) => url.pathname === '' || url.pathname === '/' || /^\/\d{1,2}$/.test(url.pathname), 'may end only with a database number, e.g. /0')
  .transform(({ raw }) => raw);

/** Host names or addresses, lower-cased, IPv6 ones without their brackets; empty entries are skipped. */
export const hostList = commaList
  .transform((hosts) => hosts.map((host) => host.toLowerCase()).filter((host) => host !== ''))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[?[0-9a-f:]+\]?)$/, 'must be host names or addresses separated by commas, without scheme or port (e.g. "demo.local,192.168.1.20")')
        .transform((host) => host.replace(/^\[|\]$/g, '')),
    ),
  );

/** `44,353`: country prefixes of 1 to 4 digits, written with or without `+`, each kept once. */
export const countryPrefixes = commaList
  .transform((prefixes) => prefixes.map((prefix) => prefix.replace(/^\+/, '')))
  .pipe(z.array(z.string().regex(/^[1-9]\d{0,3}$/, 'must be country prefixes of 1 to 4 digits separated by commas, e.g. 44,353')))
  .transform((prefixes) => [...new Set(prefixes)]);

/** A country the phone-number metadata knows (ISO 3166 alpha-2, any case), or `none`: no national formats. */
export const defaultCountry = z
  .string()
  .transform((raw) => raw.toUpperCase())
  .refine((code) => code === 'NONE' || isSupportedCountry(code), 'must be a two-letter country code such as GB, US or DE, or "none"')
  // null, not undefined: an undefined result would be taken for "unset" and get the default.
  .transform((code) => (code === 'NONE' ? null : (code as CountryCode)));

/** `true`/`false`, a hop count, or Express's names and addresses (`loopback`, `10.0.0.0/8`, …). */
export const trustProxy = z
  .string()
  .regex(/^[A-Za-z0-9.:/, ]+$/, 'must be true, false, a number of hops, or addresses/subnets such as "loopback"')
  .transform((raw): string | number | boolean => (raw === 'true' || raw === 'false' ? raw === 'true' : /^\d+$/.test(raw) ? Number(raw) : raw));
