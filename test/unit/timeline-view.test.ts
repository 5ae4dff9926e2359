// What the "How it works" page derives from a recorded exchange, when it is read: the base string
// must be the one the `oauth` package signed (the app signs with it; the page explains it), masked
// values shown as they are, and the app's own secrets masked on the way out.
import { describe, expect, it } from 'vitest';

import { createOAuthClient } from '../../src/oauth/oauthPackage.js';
import type { ExchangeFacts } from '../../src/timeline/facts.js';
import { baseUriOf, exchangeView, signatureBaseString } from '../../src/timeline/view.js';

/** The package's own signing steps, as its typings hide them. */
interface PackageInsides {
  _prepareParameters(token: string | null, secret: string | null, method: string, url: string, extra: Record<string, string>): Array<[string, string]>;
  _createSignatureBase(method: string, url: string, parameters: string): string;
  _normaliseRequestParams(params: Record<string, string>): string;
}

const client = createOAuthClient({
  requestTokenUrl: 'http://127.0.0.1:9/oauth/request_token',
  accessTokenUrl: 'http://127.0.0.1:9/oauth/access_token',
  consumerKey: 'ck',
  consumerSecret: 'cs',
  callbackUrl: 'http://app.test/auth/callback',
  timeoutMs: 1000,
}) as unknown as PackageInsides;

function facts(method: string, url: string, params: Array<[string, string]>): ExchangeFacts {
  return { method, url, params, status: 200, replyHeaders: [], replyFields: [], replyExcerpt: undefined, ms: 1.5, at: 0 };
}

describe('the signature base string derived from recorded facts', () => {
  it.each([
    ['a form POST with tricky text', 'POST', 'https://rest.nexmo.test/sms/json', { from: 'Shop', to: '447700900000', text: `Héllo !*'()&=+ "q"\r\n🎉 ~%20` }],
    ['a GET with a query', 'GET', 'https://rest.nexmo.test:443/account/get-balance?x=1&y=a%20b', {}],
    ['a call on another port', 'POST', 'http://127.0.0.1:3000/sandbox/sms/json', { a: '1', b: '' }],
  ])('is the one the oauth package signs, for %s', (_name, method, url, form) => {
    const signed = client._prepareParameters('access-token', 'secret', method, url, { ...form });
    // As the capture keeps them (oauthPackage.ts): every value a string.
    const params = signed.filter(([name]) => name !== 'oauth_signature').map(([name, value]): [string, string] => [String(name), String(value)]);
    const packageBase = client._createSignatureBase(method, url, client._normaliseRequestParams(Object.fromEntries(params)));
    expect(signatureBaseString(method, url, params)).toBe(packageBase);
    expect(exchangeView(facts(method, url, params), []).baseString).toBe(packageBase);
  });

  it('writes the base URI as RFC 5849 asks: lower-case scheme and host, no default port, no query', () => {
    expect(baseUriOf('HTTPS://Rest.Nexmo.COM:443/Sms/JSON?a=1#f')).toBe('https://rest.nexmo.com/Sms/JSON');
    expect(baseUriOf('http://127.0.0.1:80/x')).toBe('http://127.0.0.1/x');
    expect(baseUriOf('http://127.0.0.1:3000/x')).toBe('http://127.0.0.1:3000/x');
  });
});

describe('an exchange as the page shows it', () => {
  const recorded = facts('POST', 'https://rest.nexmo.test/sms/json', [
    ['oauth_consumer_key', 'ck'],
    ['oauth_token', 'abcd… (40 characters)'],
    ['callback', 'https://app.test/webhooks/delivery-receipt/[hidden]'],
    ['text', 'Hi, the key is receipt-key-1234'],
  ]);

  it('shows masked values as they are, in the base string and the header, and the signature hidden', () => {
    const view = exchangeView(recorded, []);
    expect(view.baseString).toContain('oauth_token%3Dabcd… (40 characters)%26');
    expect(view.baseString).toContain('delivery-receipt%252F[hidden]%26');
    expect(view.authorization).toBe('OAuth oauth_consumer_key="ck",oauth_token="abcd… (40 characters)",oauth_signature="[hidden]"');
    expect(view.oauthParams).toEqual([
      ['oauth_consumer_key', 'ck'],
      ['oauth_token', 'abcd… (40 characters)'],
      ['oauth_signature', '[hidden]'],
    ]);
    expect(view.baseStringParts).toEqual({
      method: 'POST',
      baseUri: 'https://rest.nexmo.test/sms/json',
      parameters: expect.stringMatching(/^callback=https%3A%2F%2Fapp\.test%2Fwebhooks%2Fdelivery-receipt%2F\[hidden\]&oauth_consumer_key=ck&/),
    });
    expect(view.statusText).toBe('HTTP 200');
  });

  it('masks the app’s own secrets wherever they still appear, whatever the encoding', () => {
    const view = exchangeView(recorded, ['receipt-key-1234']);
    const everything = JSON.stringify(view);
    expect(everything).not.toContain('receipt-key-1234');
    expect(view.baseString).not.toContain('receipt-key-1234');
  });

  it('says "no answer" for a call that got none', () => {
    expect(exchangeView({ ...recorded, status: undefined }, []).statusText).toBe('no answer');
  });
});
