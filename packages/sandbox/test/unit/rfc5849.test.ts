import { describe, expect, it } from 'vitest';
import {
  ParameterSyntaxError,
  baseStringUri,
  computeSignature,
  normalizeParameters,
  parseAuthorizationHeader,
  parseFormEncoded,
  percentEncode,
  safeEqual,
  signatureBaseString,
} from '../../src/rfc5849.js';
import type { Param } from '../../src/rfc5849.js';

describe('percentEncode (RFC 5849 §3.6)', () => {
  it("encodes the characters encodeURIComponent leaves alone: ! * ' ( )", () => {
    expect(percentEncode("!*'()")).toBe('%21%2A%27%28%29');
  });

  it('encodes space as %20 and plus as %2B, never as "+"', () => {
    expect(percentEncode('a b+c')).toBe('a%20b%2Bc');
  });

  it('leaves the unreserved set alone, tilde included', () => {
    expect(percentEncode('AZaz09-._~')).toBe('AZaz09-._~');
  });

  it('encodes UTF-8 octets with upper-case hex, an emoji as four octets', () => {
    expect(percentEncode('é😀')).toBe('%C3%A9%F0%9F%98%80');
    expect(percentEncode('/?&=%')).toBe('%2F%3F%26%3D%25');
  });

  it('refuses a lone surrogate instead of signing something the client did not send', () => {
    expect(() => percentEncode('\uD83D')).toThrow(ParameterSyntaxError);
  });
});

describe('OAuth Core 1.0 Appendix A vector', () => {
  const params: Param[] = [
    ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
    ['oauth_token', 'nnch734d00sl2jdk'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1191242096'],
    ['oauth_nonce', 'kllo9940pd9333jh'],
    ['oauth_version', '1.0'],
    ['file', 'vacation.jpg'],
    ['size', 'original'],
  ];

  it('builds the published signature base string', () => {
    expect(signatureBaseString('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=original', params)).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03' +
        '%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096' +
        '%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    );
  });

  it('signs to tR3+Ty81lMeYAr/Fid0kMTYa/WM=', () => {
    const signature = computeSignature({
      method: 'GET',
      url: 'http://photos.example.net/photos',
      params,
      signatureMethod: 'HMAC-SHA1',
      consumerSecret: 'kd94hf93k423kf44',
      tokenSecret: 'pfkkdhi9sl3r4s00',
    });
    expect(signature).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });

  it('ignores an oauth_signature already among the parameters', () => {
    const withSignature: Param[] = [...params, ['oauth_signature', 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=']];
    expect(normalizeParameters(withSignature)).toBe(normalizeParameters(params));
  });
});

describe('RFC 5849 §3.4.1 example request', () => {
  // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b, body c2&a3=2+q, realm="Example" in the header.
  const header =
    'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
    'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
    'oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"';
  const params = (): Param[] => [
    ...(parseAuthorizationHeader(header) ?? []),
    ...parseFormEncoded('c2&a3=2+q'),
    ...parseFormEncoded('b5=%3D%253D&a3=a&c%40=&a2=r%20b'),
  ];

  it('collects header parameters without realm, and decodes body and query as form data', () => {
    const collected = params();
    expect(collected.find(([n]) => n === 'realm')).toBeUndefined();
    expect(collected).toContainEqual(['c2', '']);
    expect(collected).toContainEqual(['a3', '2 q']);
    expect(collected).toContainEqual(['b5', '=%3D']);
    expect(collected).toContainEqual(['c@', '']);
    expect(collected).toContainEqual(['oauth_signature', 'djosJKDKJSD8743243/jdk33klY=']);
  });

  it('normalises to the string printed in §3.4.1.3.2', () => {
    expect(normalizeParameters(params())).toBe(
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a' +
        '&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  it('builds the base string printed in §3.4.1.1', () => {
    expect(signatureBaseString('post', 'http://example.com/request?b5=%3D%253D', params())).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D' +
        '%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1' +
        '%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });
});

describe('PECL OAuth test vector', () => {
  it('signs POST http://127.0.0.1:12342/test with key and secret 1234 to pwOAI3vHnKHd/LUYcJOr36Ed5Vg=', () => {
    const signature = computeSignature({
      method: 'POST',
      url: 'http://127.0.0.1:12342/test',
      params: [
        ['oauth_consumer_key', '1234'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_nonce', 'testing'],
        ['oauth_timestamp', '12345'],
        ['oauth_version', '1.0'],
      ],
      signatureMethod: 'HMAC-SHA1',
      consumerSecret: '1234',
      tokenSecret: '',
    });
    expect(signature).toBe('pwOAI3vHnKHd/LUYcJOr36Ed5Vg=');
  });
});

describe('Twitter developer documentation vector', () => {
  it('signs a body with spaces, "+" and "," to tnnArxj06cWHq44gCs1OSKk/jLY=', () => {
    const signature = computeSignature({
      method: 'POST',
      url: 'https://api.twitter.com/1/statuses/update.json',
      params: [
        ['include_entities', 'true'],
        ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
        ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
        ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
        ['oauth_signature_method', 'HMAC-SHA1'],
        ['oauth_timestamp', '1318622958'],
        ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
        ['oauth_version', '1.0'],
      ],
      signatureMethod: 'HMAC-SHA1',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    });
    expect(signature).toBe('tnnArxj06cWHq44gCs1OSKk/jLY=');
  });
});

describe('baseStringUri (§3.4.1.2)', () => {
  it('lower-cases scheme and host, drops the default port and the query', () => {
    expect(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X');
    expect(baseStringUri('https://Example.com:443/a')).toBe('https://example.com/a');
  });

  it('keeps a non-default port and gives an empty path as "/"', () => {
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/');
    expect(baseStringUri('http://example.com:443')).toBe('http://example.com:443/');
  });

  it('refuses non-http schemes', () => {
    expect(() => baseStringUri('ftp://example.com/')).toThrow(ParameterSyntaxError);
  });
});

describe('PLAINTEXT (§3.4.4)', () => {
  it('is the encoded consumer secret and token secret joined by "&", even when the token secret is empty', () => {
    const base = { method: 'POST', url: 'https://x.example/', params: [], signatureMethod: 'PLAINTEXT' as const };
    expect(computeSignature({ ...base, consumerSecret: 'kd94hf93k423kf44', tokenSecret: '' })).toBe('kd94hf93k423kf44&');
    expect(computeSignature({ ...base, consumerSecret: 'a b', tokenSecret: 'c&d' })).toBe('a%20b&c%26d');
  });
});

describe('parseAuthorizationHeader', () => {
  it('ignores other schemes and an absent header', () => {
    expect(parseAuthorizationHeader(undefined)).toBeUndefined();
    expect(parseAuthorizationHeader('Bearer abc')).toBeUndefined();
  });

  it('accepts the scheme in any case, with or without spaces after commas', () => {
    expect(parseAuthorizationHeader('oauth oauth_nonce="a%20b",oauth_token=""')).toEqual([
      ['oauth_nonce', 'a b'],
      ['oauth_token', ''],
    ]);
  });

  it('throws on a garbled OAuth header rather than using half of it', () => {
    expect(() => parseAuthorizationHeader('OAuth oauth_nonce="abc" junk')).toThrow(ParameterSyntaxError);
    expect(() => parseAuthorizationHeader('OAuth oauth_nonce="%E0%A4%A"')).toThrow(ParameterSyntaxError);
  });
});

describe('parseFormEncoded', () => {
  it('keeps duplicates in order and skips empty segments', () => {
    expect(parseFormEncoded('a=1&&a=2&b')).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', ''],
    ]);
  });

  it('refuses malformed percent-encoding', () => {
    expect(() => parseFormEncoded('a=%ZZ')).toThrow(ParameterSyntaxError);
  });
});

describe('safeEqual', () => {
  it('compares exactly, whatever the lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
