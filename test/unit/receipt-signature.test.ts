import { describe, expect, it } from 'vitest';

import { checkReceiptSignature, expectedSignature, MAX_RECEIPT_SKEW_MS, signedText } from '../../src/nexmo/receiptSignature.js';
import { VECTOR_FIELDS, VECTOR_METHODS, VECTOR_SECRET, VECTOR_SIGNATURES, VECTOR_SIGNED_AT_MS } from '../fixtures/receiptSignatureVectors.js';

describe('receipt signatures, against Vonage\'s published vectors', () => {
  it('sign the sorted fields as "&name=value", with & and = in values written _', () => {
    expect(signedText(VECTOR_FIELDS)).toBe('&message-timestamp=2013-11-21 15:27:30&messageId=020000001B0FE827&msisdn=14843472194&text=Test again&timestamp=1385047698&to=13239877404&type=text');
    expect(signedText({ b: 'x=1&y', a: '2', sig: 'ignored' })).toBe('&a=2&b=x_1_y');
  });

  it.each(VECTOR_METHODS)('compute the published %s signature', (method) => {
    expect(expectedSignature(VECTOR_FIELDS, { secret: VECTOR_SECRET, method })).toBe(VECTOR_SIGNATURES[method].toLowerCase());
  });

  it.each(VECTOR_METHODS)('accept the published %s signature in either case, at the moment it was made', (method) => {
    const signing = { secret: VECTOR_SECRET, method };
    const sig = VECTOR_SIGNATURES[method];
    expect(checkReceiptSignature({ ...VECTOR_FIELDS, sig }, signing, VECTOR_SIGNED_AT_MS)).toEqual({ ok: true });
    expect(checkReceiptSignature({ ...VECTOR_FIELDS, sig: sig.toLowerCase() }, signing, VECTOR_SIGNED_AT_MS)).toEqual({ ok: true });
    expect(checkReceiptSignature({ ...VECTOR_FIELDS, sig: sig.toUpperCase() }, signing, VECTOR_SIGNED_AT_MS + MAX_RECEIPT_SKEW_MS)).toEqual({ ok: true });
  });

  it.each(VECTOR_METHODS)('refuse a %s signature over a changed value, under another secret, or by another method', (method) => {
    const sig = VECTOR_SIGNATURES[method];
    const mismatch = { ok: false, problem: 'the signature does not match (a changed field, or another signature secret or method)' };
    expect(checkReceiptSignature({ ...VECTOR_FIELDS, text: 'Test again!', sig }, { secret: VECTOR_SECRET, method }, VECTOR_SIGNED_AT_MS)).toEqual(mismatch);
    expect(checkReceiptSignature({ ...VECTOR_FIELDS, sig }, { secret: `${VECTOR_SECRET}x`, method }, VECTOR_SIGNED_AT_MS)).toEqual(mismatch);
    const other = VECTOR_METHODS.find((m) => m !== method && VECTOR_SIGNATURES[m].length === sig.length) ?? (method === 'md5' ? 'md5hash' : 'md5');
    expect(checkReceiptSignature({ ...VECTOR_FIELDS, sig }, { secret: VECTOR_SECRET, method: other }, VECTOR_SIGNED_AT_MS)).toEqual(mismatch);
  });

  it('refuse a valid signature made more than five minutes from this server\'s clock, either way', () => {
    const signing = { secret: VECTOR_SECRET, method: 'sha256' as const };
    const fields = { ...VECTOR_FIELDS, sig: VECTOR_SIGNATURES.sha256 };
    expect(checkReceiptSignature(fields, signing, VECTOR_SIGNED_AT_MS + MAX_RECEIPT_SKEW_MS + 1000)).toEqual({ ok: false, problem: 'timestamp is 301 s behind this server’s clock (at most 300 s is accepted)' });
    expect(checkReceiptSignature(fields, signing, VECTOR_SIGNED_AT_MS - 600_000)).toEqual({ ok: false, problem: 'timestamp is 600 s ahead of this server’s clock (at most 300 s is accepted)' });
  });

  it('refuse fields that cannot be signed: no sig, no timestamp, a list or an object among them', () => {
    const signing = { secret: VECTOR_SECRET, method: 'md5hash' as const };
    const { timestamp: _t, ...noTimestamp } = VECTOR_FIELDS;
    expect(checkReceiptSignature({ ...VECTOR_FIELDS }, signing, VECTOR_SIGNED_AT_MS)).toEqual({ ok: false, problem: 'it is not signed (no sig), and signed receipts are required' });
    expect(checkReceiptSignature({ ...noTimestamp, sig: VECTOR_SIGNATURES.md5hash }, signing, VECTOR_SIGNED_AT_MS)).toEqual({ ok: false, problem: 'timestamp is missing or not a number of seconds' });
    expect(checkReceiptSignature({ ...VECTOR_FIELDS, sig: 'not-hex' }, signing, VECTOR_SIGNED_AT_MS)).toEqual({ ok: false, problem: 'sig is not a hexadecimal signature' });
    for (const odd of [{ ...VECTOR_FIELDS, sig: [VECTOR_SIGNATURES.md5hash, VECTOR_SIGNATURES.md5hash] }, { ...VECTOR_FIELDS, usage: { price: '1' } }, 'text', null]) {
      expect(checkReceiptSignature(odd, signing, VECTOR_SIGNED_AT_MS).ok).toBe(false);
    }
  });
});

describe('receipt signatures, against hostile fields', () => {
  it('answer any fields with a verdict, never an exception, and accept none without the secret', async () => {
    const fc = (await import('fast-check')).default;
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
    const names = fc.oneof(fc.constantFrom('sig', 'timestamp', 'nonce', 'messageId', 'status', '__proto__', 'constructor', 'toString'), fc.string());
    fc.assert(
      fc.property(fc.dictionary(names, value, { maxKeys: 8 }), fc.constantFrom(...VECTOR_METHODS), (fields, method) => {
        const check = checkReceiptSignature(fields, { secret: VECTOR_SECRET, method }, VECTOR_SIGNED_AT_MS);
        expect(check.ok).toBe(false);
        if (!check.ok) expect(check.problem).not.toContain(VECTOR_SECRET);
      }),
      { numRuns: 500 },
    );
  });
});
