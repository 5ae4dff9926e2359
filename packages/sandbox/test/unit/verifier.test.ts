import { describe, expect, it } from 'vitest';
import type { SignedRequest } from '../../src/signedRequest.js';
import { NonceStore } from '../../src/nonces.js';
import { computeSignature } from '../../src/rfc5849.js';
import type { Param } from '../../src/rfc5849.js';
import { RequestTokenStore } from '../../src/tokens.js';
import { OAuthVerifier } from '../../src/verifier.js';

const URL_ = 'http://provider.example/oauth/request_token';

function setUp(start = 1_700_000_000_000) {
  let now = start;
  const nonces = new NonceStore(() => now, 300_000);
  const verifier = new OAuthVerifier({ consumerSecret: (k) => (k === 'ck' ? 'cs' : undefined), nonces, now: () => now });
  return { verifier, nonces, advance: (ms: number) => (now += ms), seconds: () => Math.floor(now / 1000) };
}

function signed(params: Param[], signatureMethod: 'HMAC-SHA1' | 'PLAINTEXT' = 'HMAC-SHA1', tokenSecret = ''): SignedRequest {
  const all: Param[] = [['oauth_consumer_key', 'ck'], ['oauth_signature_method', signatureMethod], ...params];
  const signature = computeSignature({ method: 'POST', url: URL_, params: all, signatureMethod, consumerSecret: 'cs', tokenSecret });
  return { method: 'POST', url: URL_, params: [...all, ['oauth_signature', signature]], fromHeader: true, formParams: [], queryParams: [] };
}

describe('OAuthVerifier', () => {
  it('accepts PLAINTEXT without timestamp and nonce, as RFC 5849 §3.3 allows', () => {
    const { verifier } = setUp();
    const result = verifier.verify(signed([['oauth_callback', 'oob']], 'PLAINTEXT'), { token: 'none', required: ['oauth_callback'] });
    expect(result.ok).toBe(true);
  });

  it('still requires timestamp and nonce for HMAC-SHA1', () => {
    const { verifier } = setUp();
    const result = verifier.verify(signed([]), { token: 'none' });
    expect(result).toEqual({ ok: false, problem: { status: 400, problem: 'parameter_absent', extra: { oauth_parameters_absent: 'oauth_timestamp&oauth_nonce' } } });
  });

  it('refuses a timestamp that is not a whole number of seconds', () => {
    const { verifier } = setUp();
    const result = verifier.verify(signed([['oauth_timestamp', '1.5e9'], ['oauth_nonce', 'n']]), { token: 'none' });
    expect(result.ok || result.problem.problem).toBe('parameter_rejected');
  });

  it('refuses a non-empty token where none is expected, but tolerates an empty one', () => {
    const { verifier, seconds } = setUp();
    const base: Param[] = [['oauth_timestamp', String(seconds())]];
    const withToken = verifier.verify(signed([...base, ['oauth_nonce', 'a'], ['oauth_token', 'stale']]), { token: 'none' });
    expect(withToken.ok || withToken.problem.problem).toBe('token_rejected');
    expect(verifier.verify(signed([...base, ['oauth_nonce', 'b'], ['oauth_token', '']]), { token: 'none' }).ok).toBe(true);
  });

  it('asks the caller for the token secret and signs with it', () => {
    const { verifier, seconds } = setUp();
    const req = signed([['oauth_timestamp', String(seconds())], ['oauth_nonce', 'c'], ['oauth_token', 't']], 'HMAC-SHA1', 'ts');
    expect(verifier.verify(req, { token: () => ({ secret: 'other' }) }).ok).toBe(false);
    expect(verifier.verify(req, { token: () => ({ secret: 'ts' }) }).ok).toBe(true);
  });
});

describe('NonceStore', () => {
  it('remembers a nonce per consumer until its timestamp leaves the window, then forgets it', () => {
    let now = 1_000_000_000;
    const store = new NonceStore(() => now, 300_000);
    store.remember('ck', 'n1', now / 1000);
    expect(store.has('ck', 'n1')).toBe(true);
    expect(store.has('other', 'n1')).toBe(false);
    now += 300_001;
    expect(store.has('ck', 'n1')).toBe(false);
    expect(store.size).toBe(0);
  });
});

describe('RequestTokenStore', () => {
  it('reports expired and used tokens precisely for one more TTL, then forgets them', () => {
    let now = 0;
    const store = new RequestTokenStore(() => now, 1000);
    const a = store.issue('ck', 'oob');
    const b = store.issue('ck', 'oob');
    store.markUsed(b);
    expect(store.find(a.token).ok).toBe(true);
    expect(store.find(b.token)).toEqual({ ok: false, reason: 'used' });
    now = 1000;
    expect(store.find(a.token)).toEqual({ ok: false, reason: 'expired' });
    now = 2000;
    expect(store.find(a.token)).toEqual({ ok: false, reason: 'unknown' });
    expect(store.size).toBe(0);
  });

  it('issues distinct random tokens, secrets and consent nonces', () => {
    const store = new RequestTokenStore(() => 0, 1000);
    const a = store.issue('ck', 'oob');
    const b = store.issue('ck', 'oob');
    expect(new Set([a.token, b.token, a.secret, b.secret, a.consentNonce, b.consentNonce]).size).toBe(6);
  });
});
