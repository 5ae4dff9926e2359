import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Per process: the digests compared below say nothing that outlives it. */
const KEY = randomBytes(32);

// UTF-16 code units, as JavaScript compares strings: UTF-8 would make every lone surrogate alike.
const digest = (value: string) => createHmac('sha256', KEY).update(value, 'utf16le').digest();

/**
 * Compares two secrets (tokens, CSRF values, URL keys) in time that depends neither on where
 * they differ nor on their lengths: both sides are hashed to 32 bytes first, and the digests
 * are compared in constant time. (Comparing lengths first would tell an attacker the length.)
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
