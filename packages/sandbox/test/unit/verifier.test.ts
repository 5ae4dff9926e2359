import { describe, expect, it } from 'vitest';
import type { SignedRequest } from '../../src/signedRequest.js';
import { NonceStore } from '../../src/nonces.js';
import { createMemoryStorage } from '../../src/storage.js';
import { computeSignature } from '../../src/rfc5849.js';
import type { Param } from '../../src/rfc5849.js';
import { RequestTokenStore } from '../../src/tokens.js';
import { OAuthVerifier } from '../../src/verifier.js';

const URL_ = 'http://provider.example/oauth/request_token';

function setUp(start = 1_700_000_000_000) {
  let now = start;
  const nonces = new NonceStore(createMemoryStorage({ now: () => now }), () => now, 300_000);
  const verifier = new OAuthVerifier({ consumerSecret: (k) => (k === 'ck' ? 'cs' : undefined), nonces, now: () => now });
  return { verifier, nonces, advance: (ms: number) => (now += ms), seconds: () => Math.floor(now / 1000) };
}

function signed(params: Param[], signatureMethod: 'HMAC-SHA1' | 'PLAINTEXT' = 'HMAC-SHA1', tokenSecret = ''): SignedRequest {
  const all: Param[] = [['oauth_consumer_key', 'ck'], ['oauth_signature_method', signatureMethod], ...params];
  const signature = computeSignature({ method: 'POST', url: URL_, params: all, signatureMethod, consumerSecret: 'cs', tokenSecret });
  return { method: 'POST', url: URL_, params: [...all, ['oauth_signature', signature]], fromHeader: true, formParams: [], queryParams: [] };
}

describe('OAuthVerifier', () => {
  it('accepts PLAINTEXT without timestamp and nonce, as RFC 5849 §3.3 allows', async () => {
    const { verifier } = setUp();
    const result = await verifier.verify(signed([['oauth_callback', 'oob']], 'PLAINTEXT'), { token: 'none', required: ['oauth_callback'] });
    expect(result.ok).toBe(true);
  });

  it('still requires timestamp and nonce for HMAC-SHA1', async () => {
    const { verifier } = setUp();
    const result = await verifier.verify(signed([]), { token: 'none' });
    expect(result).toEqual({ ok: false, problem: { status: 400, problem: 'parameter_absent', extra: { oauth_parameters_absent: 'oauth_timestamp&oauth_nonce' } } });
  });

  it('refuses a timestamp that is not a whole number of seconds', async () => {
    const { verifier } = setUp();
    const result = await verifier.verify(signed([['oauth_timestamp', '1.5e9'], ['oauth_nonce', 'n']]), { token: 'none' });
    expect(result.ok || result.problem.problem).toBe('parameter_rejected');
  });

  it('refuses a non-empty token where none is expected, but tolerates an empty one', async () => {
    const { verifier, seconds } = setUp();
    const base: Param[] = [['oauth_timestamp', String(seconds())]];
    const withToken = await verifier.verify(signed([...base, ['oauth_nonce', 'a'], ['oauth_token', 'stale']]), { token: 'none' });
    expect(withToken.ok || withToken.problem.problem).toBe('token_rejected');
    expect((await verifier.verify(signed([...base, ['oauth_nonce', 'b'], ['oauth_token', '']]), { token: 'none' })).ok).toBe(true);
  });

  it('asks the caller for the token secret and signs with it', async () => {
    const { verifier, seconds } = setUp();
    const req = signed([['oauth_timestamp', String(seconds())], ['oauth_nonce', 'c'], ['oauth_token', 't']], 'HMAC-SHA1', 'ts');
    expect((await verifier.verify(req, { token: async () => ({ secret: 'other' }) })).ok).toBe(false);
    expect((await verifier.verify(req, { token: async () => ({ secret: 'ts' }) })).ok).toBe(true);
  });

  it('accepts a nonce once when two requests carrying it race, and only after the signature holds', async () => {
    const { verifier, seconds } = setUp();
    const req = signed([['oauth_timestamp', String(seconds())], ['oauth_nonce', 'raced']]);
    const forged: SignedRequest = { ...req, params: req.params.map(([k, v]) => [k, k === 'oauth_signature' ? 'forged' : v] as Param) };
    expect((await verifier.verify(forged, { token: 'none' })).ok).toBe(false);
    const results = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(req, { token: 'none' })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(r.ok || r.problem.problem).toBe('nonce_used');
  });
});

describe('OAuthVerifier: whose clock judges', () => {
  const START = 1_700_000_000_000;
  const SHIFT_MS = 600_000;
  /** The presenter's clock is 10 minutes ahead; everyone else's is the sandbox's own. */
  function judging() {
    const asked: (string | undefined)[] = [];
    const nonces = new NonceStore(createMemoryStorage({ now: () => START }), () => START, 300_000);
    const verifier = new OAuthVerifier({
      consumerSecret: (k) => (k === 'ck' ? 'cs' : undefined),
      nonces,
      now: (account) => {
        asked.push(account);
        return account === 'presenter' ? START + SHIFT_MS : START;
      },
    });
    return { verifier, asked };
  }
  const at = (seconds: number, nonce: string): Param[] => [['oauth_timestamp', String(seconds)], ['oauth_nonce', nonce], ['oauth_token', 't']];
  const tokenFor = (account: string) => async () => ({ secret: 'ts', account });

  it('judges the timestamp by the clock of the account the token acts for, and says which time it used', async () => {
    const { verifier, asked } = judging();
    const now = START / 1000;
    const refused = await verifier.verify(signed(at(now, 'a'), 'HMAC-SHA1', 'ts'), { token: tokenFor('presenter') });
    expect(refused).toEqual({
      ok: false,
      problem: { status: 401, problem: 'timestamp_refused', extra: { oauth_acceptable_timestamps: `${now + 600 - 300}-${now + 600 + 300}` } },
      judgedAt: START + SHIFT_MS,
    });
    const moved = await verifier.verify(signed(at(now + 600, 'b'), 'HMAC-SHA1', 'ts'), { token: tokenFor('presenter') });
    expect(moved).toMatchObject({ ok: true, verified: { token: 't', account: 'presenter' }, judgedAt: START + SHIFT_MS });
    const teammate = await verifier.verify(signed(at(now, 'c'), 'HMAC-SHA1', 'ts'), { token: tokenFor('teammate') });
    expect(teammate).toMatchObject({ ok: true, verified: { account: 'teammate' }, judgedAt: START });
    expect(asked).toEqual(['presenter', 'presenter', 'teammate']);
  });

  it('judges a call without a token, or with a token it cannot use, by the sandbox’s own clock', async () => {
    const { verifier, asked } = judging();
    const now = START / 1000;
    const none = await verifier.verify(signed([['oauth_timestamp', String(now)], ['oauth_nonce', 'd']]), { token: 'none' });
    expect(none).toMatchObject({ ok: true, verified: { account: undefined }, judgedAt: START });
    const unknown = await verifier.verify(signed(at(now, 'e'), 'HMAC-SHA1', 'ts'), { token: async () => ({ status: 401, problem: 'token_rejected' }) });
    expect(unknown).toEqual({ ok: false, problem: { status: 401, problem: 'token_rejected' }, judgedAt: START });
    expect(asked).toEqual([undefined, undefined]);
  });

  it('still reports a token’s problem after the timestamp and the nonce, in the order of §3.2', async () => {
    const { verifier } = judging();
    const now = START / 1000;
    const rejected = async () => ({ status: 401 as const, problem: 'token_rejected' as const });
    const stale = await verifier.verify(signed(at(now - 301, 'f'), 'HMAC-SHA1', 'ts'), { token: rejected });
    expect(stale.ok || stale.problem.problem).toBe('timestamp_refused');
    expect((await verifier.verify(signed(at(now, 'g'), 'HMAC-SHA1', 'ts'), { token: tokenFor('teammate') })).ok).toBe(true);
    const replay = await verifier.verify(signed(at(now, 'g'), 'HMAC-SHA1', 'ts'), { token: rejected });
    expect(replay.ok || replay.problem.problem).toBe('nonce_used');
    const fresh = await verifier.verify(signed(at(now, 'h'), 'HMAC-SHA1', 'ts'), { token: rejected });
    expect(fresh.ok || fresh.problem.problem).toBe('token_rejected');
  });

  it('names no clock for a request refused before it could be judged', async () => {
    const { verifier, asked } = judging();
    const result = await verifier.verify(signed([['oauth_version', '2.0']]), { token: 'none' });
    expect(result).toEqual({ ok: false, problem: { status: 400, problem: 'version_rejected', extra: { oauth_acceptable_versions: '1.0-1.0' } } });
    expect(asked).toEqual([]);
  });
});

describe('NonceStore', () => {
  it('remembers a nonce per consumer until its timestamp leaves the window, then forgets it', async () => {
    let now = 1_000_000_000;
    const store = new NonceStore(createMemoryStorage({ now: () => now }), () => now, 300_000);
    expect(await store.remember('ck', 'n1', now / 1000)).toBe(true);
    expect(await store.has('ck', 'n1')).toBe(true);
    expect(await store.has('other', 'n1')).toBe(false);
    expect(await store.remember('ck', 'n1', now / 1000)).toBe(false);
    now += 300_001;
    expect(await store.has('ck', 'n1')).toBe(false);
    expect(await store.remember('ck', 'n1', now / 1000)).toBe(true);
  });
});

describe('RequestTokenStore', () => {
  it('names the approved account once authorized, and forgets a denied token', async () => {
    const store = new RequestTokenStore(createMemoryStorage(), () => 0, 1000);
    const approved = await store.issue('ck', 'oob');
    const pending = await store.find(approved.token);
    expect(pending.ok && pending.record.state).toBe('pending');
    expect(pending.ok && pending.record.account).toBeUndefined();
    await store.authorize(approved, 'presenter');
    const found = await store.find(approved.token);
    expect(found.ok && found.record).toMatchObject({ state: 'authorized', account: 'presenter' });
    const denied = await store.issue('ck', 'oob');
    expect(await store.deny(denied)).toBe(true);
    expect(await store.find(denied.token)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('reports expired and used tokens precisely for one more TTL, then forgets them', async () => {
    let now = 0;
    const storage = createMemoryStorage({ now: () => now });
    const store = new RequestTokenStore(storage, () => now, 1000);
    const a = await store.issue('ck', 'oob');
    const b = await store.issue('ck', 'oob');
    await store.authorize(b, 'alice');
    expect(await store.redeem(b)).toMatchObject({ account: 'alice' });
    expect((await store.find(a.token)).ok).toBe(true);
    expect(await store.find(b.token)).toEqual({ ok: false, reason: 'used' });
    now = 1000;
    expect(await store.find(a.token)).toEqual({ ok: false, reason: 'expired' });
    now = 2000;
    expect(await store.find(a.token)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('takes one answer per token and lets one of many racing exchanges redeem it', async () => {
    const store = new RequestTokenStore(createMemoryStorage(), Date.now, 60_000);
    const rt = await store.issue('ck', 'oob');
    const verifiers = await Promise.all([store.authorize(rt, 'alice'), store.authorize(rt, 'bob'), store.deny(rt)]);
    expect(verifiers.filter((v) => typeof v === 'string')).toHaveLength(1);
    expect(verifiers[2]).toBe(false);
    const grants = await Promise.all(Array.from({ length: 10 }, () => store.redeem(rt)));
    expect(grants.filter((g) => g !== undefined)).toEqual([{ verifier: verifiers[0], account: 'alice' }]);
  });

  it('issues distinct random tokens, secrets and consent nonces', async () => {
    const store = new RequestTokenStore(createMemoryStorage(), () => 0, 1000);
    const a = await store.issue('ck', 'oob');
    const b = await store.issue('ck', 'oob');
    expect(new Set([a.token, b.token, a.secret, b.secret, a.consentNonce, b.consentNonce]).size).toBe(6);
  });
});
