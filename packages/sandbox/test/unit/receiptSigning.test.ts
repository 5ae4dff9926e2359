import { describe, expect, it } from 'vitest';

import { receiptSig, signReceipt } from '../../src/receiptSigning.js';

// Vonage's published vectors (its Node SDK's SMS signing tests, ported from its PHP library):
// one message signed with each method. HMAC signatures in upper-case hex, md5hash in lower case.
const SECRET = 'my_secret_key_for_testing';
const FIELDS = {
  'message-timestamp': '2013-11-21 15:27:30',
  messageId: '020000001B0FE827',
  msisdn: '14843472194',
  text: 'Test again',
  timestamp: '1385047698',
  to: '13239877404',
  type: 'text',
};
const VECTORS = [
  ['md5hash', 'd2e7b1dc968737c5998ad624e02f90b7'],
  ['md5', 'DDEBD46008C2D4E93CCE578A332A52D5'],
  ['sha1', '27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A'],
  ['sha256', 'DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330'],
  ['sha512', 'E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82'],
] as const;

describe('receipt signing', () => {
  it.each(VECTORS)('gives the published %s signature, in the case Vonage writes it', (method, expected) => {
    expect(receiptSig(FIELDS, { secret: SECRET, method })).toBe(expected);
    expect(receiptSig({ ...FIELDS, sig: 'left out' }, { secret: SECRET, method })).toBe(expected);
  });

  it('turns & and = inside values into _ before signing, so a value cannot forge another field', () => {
    const signature = { secret: SECRET, method: 'sha1' as const };
    expect(receiptSig({ a: 'x&b=y' }, signature)).toBe(receiptSig({ a: 'x_b_y' }, signature));
    expect(receiptSig({ a: 'x&b=y' }, signature)).not.toBe(receiptSig({ a: 'x', b: 'y' }, signature));
  });

  it('adds the time in Unix seconds and a new nonce to each receipt it signs, replacing any sig', () => {
    const signature = { secret: SECRET, method: 'md5hash' as const };
    const one = signReceipt({ messageId: 'M1', status: 'delivered', sig: 'stale' }, signature, 1_700_000_000_999);
    const two = signReceipt({ messageId: 'M1', status: 'delivered' }, signature, 1_700_000_000_999);
    expect(one).toMatchObject({ messageId: 'M1', status: 'delivered', timestamp: '1700000000' });
    expect(one.nonce).not.toBe(two.nonce);
    const { sig, ...signed } = one;
    expect(sig).toBe(receiptSig(signed, signature));
    expect(sig).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the receiptSignature option', () => {
  it('takes a secret and one of the five methods, and refuses anything else without repeating the secret', async () => {
    const { resolveOptions } = await import('../../src/options.js');
    expect(resolveOptions({}).receiptSignature).toBeUndefined();
    expect(resolveOptions({ receiptSignature: { secret: SECRET, method: 'sha512' } }).receiptSignature).toEqual({ secret: SECRET, method: 'sha512' });
    const refused = (value: unknown) => {
      try {
        resolveOptions({ receiptSignature: value as never });
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected the option to be refused');
    };
    expect(refused({ secret: SECRET, method: 'hmac' })).toBe('sandbox option "receiptSignature" needs a method: one of md5hash, md5, sha1, sha256, sha512');
    expect(refused({ secret: '', method: 'md5' })).toBe('sandbox option "receiptSignature" needs a secret of 1 to 256 characters');
    expect(refused('sha1')).toBe('sandbox option "receiptSignature" must be an object: { secret, method }');
    expect(refused({ secret: SECRET, method: 'nope' })).not.toContain(SECRET);
  });
});
