// The constant-time comparisons the app uses for secrets it is shown: safeEqual for those whose
// length must not show (the receipt URL's key, pending-login owners), safeEqualOfKnownLength
// for those of one public length (CSRF tokens, send-key MACs).
import { describe, expect, it } from 'vitest';

import { safeEqual, safeEqualOfKnownLength } from '../../src/lib/safeEqual.js';

describe('safeEqual', () => {
  it('is true for the same secret, false for any other', () => {
    expect(safeEqual('s3cret-value', 's3cret-value')).toBe(true);
    expect(safeEqual('s3cret-value', 's3cret-valuf')).toBe(false);
    expect(safeEqual('s3cret-value', 'S3cret-value')).toBe(false);
  });

  it('tells secrets of different lengths apart without comparing lengths (prefixes, empty strings)', () => {
    expect(safeEqual('s3cret', 's3cret-value')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  it('compares text, not bytes of a lossy encoding', () => {
    expect(safeEqual('é', 'e\u0301')).toBe(false);
    expect(safeEqual('🎉', '🎉')).toBe(true);
    expect(safeEqual('\uD800', '\uDC00')).toBe(false);
  });
});

describe('safeEqualOfKnownLength', () => {
  it('is true for the same value, false for any other of the same length or of another length', () => {
    const token = 'Q2hhcmFjdGVycy1vZi1hLWNzcmYtdG9rZW4tMDEyMzQ1';
    expect(safeEqualOfKnownLength(token, token)).toBe(true);
    expect(safeEqualOfKnownLength(`${token.slice(0, -1)}6`, token)).toBe(false);
    expect(safeEqualOfKnownLength(token.slice(1), token)).toBe(false);
    expect(safeEqualOfKnownLength(`${token}x`, token)).toBe(false);
    expect(safeEqualOfKnownLength('', token)).toBe(false);
  });

  it('compares code units, so no two different texts of one length compare equal', () => {
    expect(safeEqualOfKnownLength('\uD800', '\uDC00')).toBe(false);
    expect(safeEqualOfKnownLength('é', 'è')).toBe(false);
    expect(safeEqualOfKnownLength('🎉', '🎉')).toBe(true);
  });
});
