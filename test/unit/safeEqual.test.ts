// The one constant-time comparison the app uses for secrets it is shown (CSRF tokens, the
// receipt URL's key, pending-login owners).
import { describe, expect, it } from 'vitest';

import { safeEqual } from '../../src/lib/safeEqual.js';

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
