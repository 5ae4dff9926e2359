import { describe, expect, it } from 'vitest';

import { createSealer, newStoreKey } from '../../src/store/sealing.js';

const OLD = 'old-store-key-0123456789abcdefghijklmnop';
const NEW = 'new-store-key-0123456789abcdefghijklmnop';

describe('sealing values at rest', () => {
  it('opens what it sealed, and never seals the same value the same way twice', () => {
    const sealer = createSealer([NEW]);
    const a = sealer.seal('access-token-secret');
    const b = sealer.seal('access-token-secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('access-token-secret');
    expect(sealer.open(a)).toBe('access-token-secret');
    expect(sealer.open(b)).toBe('access-token-secret');
  });

  it('rotates like SESSION_SECRET: the first key seals, every listed key opens', () => {
    const sealedWithOld = createSealer([OLD]).seal('kept across rotation');
    const rotated = createSealer([NEW, OLD]);
    expect(rotated.open(sealedWithOld)).toBe('kept across rotation');
    expect(createSealer([NEW]).open(rotated.seal('new value'))).toBe('new value');
    expect(() => createSealer([NEW]).open(sealedWithOld)).toThrow(/not sealed with a known store key/);
  });

  it('refuses a value that was altered', () => {
    const sealer = createSealer([NEW]);
    const sealed = sealer.seal('do not touch');
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(() => sealer.open(sealed.slice(0, -1) + last)).toThrow();
    expect(() => sealer.open('garbage')).toThrow();
  });

  it('names a secret one way, the same under any key', () => {
    expect(createSealer([NEW]).name('token')).toBe(createSealer([OLD]).name('token'));
    expect(createSealer([NEW]).name('token')).not.toContain('token');
    expect(newStoreKey()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
