// The shared assertions must fail when what they guard happens; otherwise every spec using them
// would pass vacuously.
import { describe, expect, it } from 'vitest';

import {
  expectNoProviderCall,
  expectNoSecretIn,
  expectNoSmsSent,
  expectProviderCalls,
  shouldClearCookie,
  shouldNotSetCookie,
  shouldSetCookie,
} from '../helpers/assertions.js';

const response = (setCookie?: string[], text = '') => ({ text, headers: setCookie === undefined ? {} : { 'set-cookie': setCookie } });
const sandbox = (stats: Partial<Record<'requestTokenCalls' | 'accessTokenCalls' | 'smsCalls' | 'balanceCalls', number>>, outbox: unknown[] = []) => ({
  stats: () => ({ requestTokenCalls: 0, accessTokenCalls: 0, smsCalls: 0, balanceCalls: 0, ...stats }),
  outbox: async () => outbox,
});
const recorded = (...paths: string[]) => ({ calls: paths.map((path) => ({ method: 'POST', path, authorization: undefined, body: '' })) });

describe('cookie assertions', () => {
  it('shouldSetCookie returns the name=value pair, and fails when the cookie is absent or empty', () => {
    expect(shouldSetCookie(response(['other=1', 'sid=abc; Path=/; HttpOnly']), 'sid')).toBe('sid=abc');
    expect(() => shouldSetCookie(response(['other=1']), 'sid')).toThrow();
    expect(() => shouldSetCookie(response(['sid=; Path=/']), 'sid')).toThrow();
    expect(() => shouldSetCookie(response(), 'sid')).toThrow();
  });

  it('shouldNotSetCookie fails on any Set-Cookie header', () => {
    shouldNotSetCookie(response());
    expect(() => shouldNotSetCookie(response(['anything=1']))).toThrow();
  });

  it('shouldClearCookie wants an empty value that has already expired', () => {
    shouldClearCookie(response(['sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']), 'sid');
    expect(() => shouldClearCookie(response(['sid=abc; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']), 'sid')).toThrow();
    expect(() => shouldClearCookie(response(['sid=; Path=/']), 'sid')).toThrow();
    expect(() => shouldClearCookie(response(['sid=; Expires=Fri, 01 Jan 2100 00:00:00 GMT']), 'sid')).toThrow();
  });
});

describe('provider call assertions', () => {
  it('count the sandbox stats of the named endpoint only', () => {
    expectNoProviderCall(sandbox({ requestTokenCalls: 1, smsCalls: 2 }), 'access_token');
    expectProviderCalls(sandbox({ smsCalls: 2 }), 'sms', 2);
    expect(() => expectNoProviderCall(sandbox({ accessTokenCalls: 1 }), 'access_token')).toThrow();
    expect(() => expectProviderCalls(sandbox({ balanceCalls: 2 }), 'balance', 1)).toThrow();
  });

  it('count recorded calls by path, under a mount point too', () => {
    const rest = recorded('/oauth/request_token', '/sms/json', '/sms/json', '/prefix/oauth/access_token');
    expectProviderCalls(rest, 'sms', 2);
    expectProviderCalls(rest, 'request_token', 1);
    expectProviderCalls(rest, 'access_token', 1);
    expectNoProviderCall(rest, 'balance');
    expect(() => expectNoProviderCall(rest, 'sms')).toThrow();
  });

  it('expectNoSmsSent fails on an SMS call, and on anything in the sandbox outbox', async () => {
    await expectNoSmsSent(sandbox({ accessTokenCalls: 1 }));
    await expectNoSmsSent(recorded('/account/get-balance'));
    await expect(expectNoSmsSent(sandbox({ smsCalls: 1 }))).rejects.toThrow();
    await expect(expectNoSmsSent(sandbox({}, [{ text: 'hi' }]))).rejects.toThrow();
    await expect(expectNoSmsSent(recorded('/sms/json'))).rejects.toThrow();
  });
});

describe('expectNoSecretIn', () => {
  it('finds a secret in a body, a header, a log line, as is or percent-encoded', () => {
    expectNoSecretIn(response(['sid=1'], 'nothing here'), 's3cret!');
    expect(() => expectNoSecretIn(response(undefined, 'the s3cret! leaked'), 's3cret!')).toThrow();
    expect(() => expectNoSecretIn({ text: '', headers: { location: '/cb?k=s3cret%21' } }, 's3cret!')).toThrow();
    expect(() => expectNoSecretIn(['fine', 'GET /x?token=s3cret!'], 'other', 's3cret!')).toThrow();
    expect(() => expectNoSecretIn('a s3cret! b', 's3cret!')).toThrow();
  });

  it('refuses to run without a secret to look for', () => {
    expect(() => expectNoSecretIn('text')).toThrow(/at least one secret/);
    expect(() => expectNoSecretIn('text', '')).toThrow(/empty secret/);
  });
});
