import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets (tokens, CSRF values, URL keys) in time that does not depend on where
 * they differ. Strings of different lengths are unequal without a byte comparison.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
