import { describe, expect, it } from 'vitest';

import { randomBytesFromPool, randomToken } from '../../src/lib/randomPool.js';

describe('random bytes from the pool', () => {
  it('never hands out the same bytes twice, across many pools, and keeps what it handed out', () => {
    const seen = new Set<string>();
    const kept: Array<[Buffer, string]> = [];
    // 2,000 × 12 bytes: past several 4 KiB pools.
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytesFromPool(12);
      expect(bytes).toHaveLength(12);
      const hex = bytes.toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      kept.push([bytes, hex]);
    }
    // A new pool never overwrites slices given out from an old one.
    for (const [bytes, hex] of kept) expect(bytes.toString('hex')).toBe(hex);
  });

  it('gives tokens of the length asked for in base64url, and refuses more than one pool at a time', () => {
    expect(randomToken(24)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(() => randomBytesFromPool(4097)).toThrow(RangeError);
  });
});
