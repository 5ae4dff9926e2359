import { describe, expect, it, vi } from 'vitest';
import { percentEncode } from '../../src/lib/percentEncoding.js';
import { createOAuthClient, type OAuthClient } from '../../src/oauth/oauthPackage.js';
import { safeExcerpt } from '../../src/logging/redaction.js';
import type { ConsumerOptions } from '../../src/oauth/types.js';

/** The package internals a test pins to reproduce published vectors. */
interface Pinnable {
  _getNonce(size: number): string;
  _getTimestamp(): number | string;
  _normaliseRequestParams(args: Record<string, string | string[]>): string;
}

function clientFor(overrides: Partial<ConsumerOptions>, nonce?: string, timestamp?: number): OAuthClient {
  const client = createOAuthClient({
    requestTokenUrl: 'http://provider.test/oauth/request_token',
    accessTokenUrl: 'http://provider.test/oauth/access_token',
    consumerKey: 'key',
    consumerSecret: 'secret',
    callbackUrl: 'http://app.test/auth/callback',
    timeoutMs: 1000,
    ...overrides,
  });
  const pinned = client as unknown as Pinnable;
  if (nonce !== undefined) pinned._getNonce = () => nonce;
  if (timestamp !== undefined) pinned._getTimestamp = () => timestamp;
  return client;
}

/** `OAuth a="1",b="2"` → { a: '1', b: '2' } (values percent-decoded). */
function headerParams(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  const params: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/([^\s=,]+)="([^"]*)"/g)) {
    params[decodeURIComponent(match[1]!)] = decodeURIComponent(match[2]!);
  }
  return params;
}

describe('signatures produced by the oauth package as the consumer configures it', () => {
  it('reproduces the OAuth Core 1.0 Appendix A vector', () => {
    const client = clientFor(
      { consumerKey: 'dpf43f3p2l4k3l03', consumerSecret: 'kd94hf93k423kf44' },
      'kllo9940pd9333jh',
      1191242096,
    );
    const header = client.authHeader(
      'http://photos.example.net/photos?file=vacation.jpg&size=original',
      'nnch734d00sl2jdk',
      'pfkkdhi9sl3r4s00',
      'GET',
    );
    expect(headerParams(header)).toEqual({
      oauth_consumer_key: 'dpf43f3p2l4k3l03',
      oauth_nonce: 'kllo9940pd9333jh',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '1191242096',
      oauth_token: 'nnch734d00sl2jdk',
      oauth_version: '1.0',
      oauth_signature: 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=',
    });
  });

  it("reproduces PECL OAuth's test vector (POST, no token)", () => {
    const client = clientFor({ consumerKey: '1234', consumerSecret: '1234' }, 'testing', 12345);
    const header = client.authHeader('http://127.0.0.1:12342/test', null as unknown as string, null as unknown as string, 'POST');
    const params = headerParams(header);
    expect(params.oauth_signature).toBe('pwOAI3vHnKHd/LUYcJOr36Ed5Vg=');
    expect(params.oauth_version).toBe('1.0');
    expect(params).not.toHaveProperty('oauth_token');
  });

  it('normalises parameters as in the RFC 5849 §3.4.1.3.2 example, repeated names included', () => {
    const client = clientFor({}) as unknown as Pinnable;
    const normalised = client._normaliseRequestParams({
      b5: '=%3D',
      a3: ['a', '2 q'],
      'c@': '',
      a2: 'r b',
      oauth_consumer_key: '9djdj82h48djs9d2',
      oauth_token: 'kkk9d7dh3k39sjv7',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131201',
      oauth_nonce: '7d8f3e4a',
      c2: '',
    });
    expect(normalised).toBe(
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2' +
        '&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201' +
        '&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  it('sends the key pair itself as the signature under PLAINTEXT', () => {
    const client = clientFor({ consumerSecret: 'c&s', signatureMethod: 'PLAINTEXT' });
    const params = headerParams(client.authHeader('http://provider.test/api', 'tok', 't s', 'GET'));
    expect(params.oauth_signature_method).toBe('PLAINTEXT');
    expect(params.oauth_signature).toBe('c%26s&t%20s');
  });

  it('uses version 1.0 and HMAC-SHA1 unless told otherwise', () => {
    const params = headerParams(clientFor({}).authHeader('http://provider.test/api', 'tok', 'ts', 'GET'));
    expect(params.oauth_version).toBe('1.0');
    expect(params.oauth_signature_method).toBe('HMAC-SHA1');
  });

  it('draws a fresh 32-character url-safe nonce for every request', () => {
    const client = clientFor({});
    const nonces = Array.from({ length: 50 }, () => headerParams(client.authHeader('http://provider.test/api', 't', 's', 'GET')).oauth_nonce);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('does not draw nonces from Math.random', () => {
    const client = clientFor({});
    const random = vi.spyOn(Math, 'random');
    try {
      client.authHeader('http://provider.test/api', 't', 's', 'GET');
      expect(random).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });
});

describe('percentEncode', () => {
  it('leaves only RFC 3986 unreserved characters unencoded', () => {
    expect(percentEncode(`AZaz09-._~!*'()&=+" \n😀`)).toBe('AZaz09-._~%21%2A%27%28%29%26%3D%2B%22%20%0A%F0%9F%98%80');
  });
});

describe('safeExcerpt', () => {
  it('masks token-like values in form, header, JSON and echoed base-string shapes', () => {
    const excerpt = safeExcerpt(
      'oauth_token_secret=s1&x=1 oauth_token="s2" {"oauth_verifier": "s3"} ' +
        'POST&http%3A%2F%2Fh%2F&oauth_token%3Ds4%26oauth_version%3D1.0 oauth_token%253Ds5%2526a',
    );
    for (const leaked of ['s1', 's2', 's3', 's4', 's5']) expect(excerpt).not.toMatch(new RegExp(`\\b${leaked}\\b`));
    expect(excerpt).toContain('oauth_version%3D1.0');
  });
});
