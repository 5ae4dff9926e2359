import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Per process: the digests compared below say nothing that outlives it. */
const KEY = randomBytes(32);

// UTF-16 code units, as JavaScript compares strings: UTF-8 would make every lone surrogate alike.
// SHA-256 of the per-process key and the value, in one call: an HMAC object costs twice as much,
// and the digests only need to be equal exactly when the values are, and unknown in advance.
const digest = (value: string) => hash('sha256', Buffer.concat([KEY, Buffer.from(value, 'utf16le')]), 'buffer');

/**
 * Compares two secrets (tokens, CSRF values, URL keys) in time that depends neither on where
 * they differ nor on their lengths: both sides are hashed (with a per-process key) to 32 bytes first, and the digests
 * are compared in constant time. (Comparing lengths first would tell an attacker the length.)
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * For secrets whose length is no secret (a MAC, a token of one fixed shape): a value of another
 * length is simply unequal, and equal lengths are compared in constant time, code unit by code
 * unit, without the two hashes safeEqual needs to hide a length.
 */
export function safeEqualOfKnownLength(given: string, expected: string): boolean {
  return given.length === expected.length && timingSafeEqual(Buffer.from(given, 'utf16le'), Buffer.from(expected, 'utf16le'));
}
