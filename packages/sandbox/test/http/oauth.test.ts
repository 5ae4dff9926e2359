import express from 'express';
import { parse } from 'node-html-parser';
import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/index.js';
import {
  TEST_CONSUMER,
  authorizationHeader,
  authorize,
  authorizeAs,
  connect,
  consentNonce,
  formBody,
  getRequestToken,
  headingOf,
  parseForm,
  postSigned,
  rfc3986,
  signRequest,
  startSandbox,
} from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

let clock = Date.now();
let h: SandboxHarness;

beforeEach(async () => {
  clock = Date.now();
  h = await startSandbox({ now: () => clock, appName: 'Test <SMS> app' });
});
afterEach(async () => {
  await h.close();
});

const nowSeconds = () => Math.floor(clock / 1000);
const CALLBACK = 'http://client.example/cb';

function expectProblem(res: supertest.Response, status: number, problem: string): Record<string, string> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  const body = parseForm(res.text);
  expect(body['oauth_problem']).toBe(problem);
  return body;
}

/** A request-token reply: 200, form-encoded, a new token and secret, the callback confirmed; returns the token. */
function expectRequestToken(res: supertest.Response): string {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  const body = parseForm(res.text);
  expect(body['oauth_token']).toMatch(/^[\w-]{16,}$/);
  expect(body['oauth_token_secret']).toMatch(/^[\w-]{16,}$/);
  expect(body['oauth_callback_confirmed']).toBe('true');
  return body['oauth_token'] as string;
}

describe('request token endpoint', () => {
  it('issues a token, a secret and callback confirmation for a correctly signed request', async () => {
    const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, oauth: { oauth_callback: CALLBACK } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = parseForm(res.text);
    expect(body['oauth_token']).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(body['oauth_token_secret']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body['oauth_callback_confirmed']).toBe('true');
    expect(h.sandbox.stats().requestTokenCalls).toBe(1);
  });

  it('refuses a wrong signature with 401 signature_invalid and the base string it expected', async () => {
    const res = await postSigned(h, '/oauth/request_token', {
      consumerKey: TEST_CONSUMER.consumerKey,
      consumerSecret: 'not-the-secret',
      oauth: { oauth_callback: CALLBACK },
    });
    const body = expectProblem(res, 401, 'signature_invalid');
    expect(body['oauth_signature_base_string']).toMatch(/^POST&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsandbox%2Foauth%2Frequest_token&/);
    expect(res.headers['www-authenticate']).toMatch(/^OAuth realm=/);
  });

  it('refuses a timestamp more than five minutes away with the acceptable range', async () => {
    const res = await postSigned(h, '/oauth/request_token', {
      ...TEST_CONSUMER,
      timestamp: nowSeconds() - 301,
      oauth: { oauth_callback: CALLBACK },
    });
    const body = expectProblem(res, 401, 'timestamp_refused');
    expect(body['oauth_acceptable_timestamps']).toBe(`${nowSeconds() - 300}-${nowSeconds() + 300}`);
  });

  it('accepts a timestamp exactly at the edge of the window', async () => {
    const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, timestamp: nowSeconds() + 300, oauth: { oauth_callback: CALLBACK } });
    expectRequestToken(res);
    expect(h.sandbox.stats().requestTokenCalls).toBe(1);
  });

  it('refuses a replayed nonce, even once the first request succeeded', async () => {
    const sign = { ...TEST_CONSUMER, nonce: 'same-nonce', timestamp: nowSeconds(), oauth: { oauth_callback: CALLBACK } };
    expectRequestToken(await postSigned(h, '/oauth/request_token', sign));
    expectProblem(await postSigned(h, '/oauth/request_token', sign), 401, 'nonce_used');
    expectProblem(await postSigned(h, '/oauth/request_token', { ...sign, timestamp: nowSeconds() + 1 }), 401, 'nonce_used');
  });

  it('forgets nonces once their timestamps are stale, so memory does not grow', async () => {
    const sign = { ...TEST_CONSUMER, nonce: 'old-nonce', timestamp: nowSeconds(), oauth: { oauth_callback: CALLBACK } };
    const first = expectRequestToken(await postSigned(h, '/oauth/request_token', sign));
    clock += 601_000;
    // The same nonce with a fresh timestamp is a new request now; the old one is refused as stale.
    expect(expectRequestToken(await postSigned(h, '/oauth/request_token', { ...sign, timestamp: nowSeconds() }))).not.toBe(first);
    expectProblem(await postSigned(h, '/oauth/request_token', { ...sign, nonce: 'x', timestamp: nowSeconds() - 601 }), 401, 'timestamp_refused');
  });

  it('does not let a badly signed request burn a nonce', async () => {
    const sign = { ...TEST_CONSUMER, nonce: 'precious', timestamp: nowSeconds(), oauth: { oauth_callback: CALLBACK } };
    expectProblem(await postSigned(h, '/oauth/request_token', { ...sign, consumerSecret: 'wrong' }), 401, 'signature_invalid');
    expectRequestToken(await postSigned(h, '/oauth/request_token', sign));
  });

  it('requires oauth_callback with 400 parameter_absent', async () => {
    const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER });
    const body = expectProblem(res, 400, 'parameter_absent');
    expect(body['oauth_parameters_absent']).toBe('oauth_callback');
  });

  it('lists every missing protocol parameter', async () => {
    const res = await h.http.post('/sandbox/oauth/request_token').set('Authorization', 'OAuth oauth_consumer_key="test-consumer"');
    const body = expectProblem(res, 400, 'parameter_absent');
    expect(body['oauth_parameters_absent']).toBe('oauth_signature_method&oauth_signature&oauth_timestamp&oauth_nonce&oauth_callback');
  });

  it('refuses a callback that is neither oob nor an absolute http(s) URL', async () => {
    for (const callback of ['javascript:alert(1)', '/relative', 'ftp://client.example/']) {
      const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, oauth: { oauth_callback: callback } });
      expect(expectProblem(res, 400, 'parameter_rejected')['oauth_parameters_rejected']).toBe('oauth_callback');
    }
  });

  it('rejects oauth_version 1.0A, which strict providers do not accept', async () => {
    const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, version: '1.0A', oauth: { oauth_callback: CALLBACK } });
    expect(expectProblem(res, 400, 'version_rejected')['oauth_acceptable_versions']).toBe('1.0-1.0');
  });

  it('accepts a request without oauth_version (it is optional)', async () => {
    const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, version: null, oauth: { oauth_callback: CALLBACK } });
    expect(res.status).toBe(200);
  });

  it('refuses an unknown consumer key with 401 consumer_key_unknown', async () => {
    const res = await postSigned(h, '/oauth/request_token', { consumerKey: 'someone-else', consumerSecret: 'x', oauth: { oauth_callback: CALLBACK } });
    expectProblem(res, 401, 'consumer_key_unknown');
  });

  it('refuses RSA-SHA1 with 400 signature_method_rejected', async () => {
    const oauth = { ...signRequest({ ...TEST_CONSUMER, method: 'POST', url: `${h.base}/oauth/request_token`, oauth: { oauth_callback: CALLBACK } }), oauth_signature_method: 'RSA-SHA1' };
    const res = await h.http.post('/sandbox/oauth/request_token').set('Authorization', authorizationHeader(oauth));
    expectProblem(res, 400, 'signature_method_rejected');
  });

  it('accepts PLAINTEXT', async () => {
    const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, signatureMethod: 'PLAINTEXT', oauth: { oauth_callback: 'oob' } });
    expect(res.status).toBe(200);
    expect(parseForm(res.text)['oauth_callback_confirmed']).toBe('true');
  });

  it('refuses a protocol parameter sent twice (header and query) with 400 parameter_rejected', async () => {
    const oauth = signRequest({ ...TEST_CONSUMER, method: 'POST', url: `${h.base}/oauth/request_token`, oauth: { oauth_callback: CALLBACK } });
    const res = await h.http
      .post(`/sandbox/oauth/request_token?oauth_nonce=${rfc3986(oauth['oauth_nonce'] as string)}`)
      .set('Authorization', authorizationHeader(oauth));
    expect(expectProblem(res, 400, 'parameter_rejected')['oauth_parameters_rejected']).toBe('oauth_nonce');
  });

  it('accepts the parameters in the Authorization header (with realm), the form body or the query', async () => {
    const url = `${h.base}/oauth/request_token`;
    const sign = () => signRequest({ ...TEST_CONSUMER, method: 'POST', url, oauth: { oauth_callback: CALLBACK } });
    const viaHeader = await h.http.post('/sandbox/oauth/request_token').set('Authorization', authorizationHeader(sign(), 'Nexmo'));
    const viaBody = await h.http.post('/sandbox/oauth/request_token').type('form').send(formBody(sign()));
    const viaQuery = await h.http.post(`/sandbox/oauth/request_token?${formBody(sign())}`);
    for (const res of [viaHeader, viaBody, viaQuery]) {
      expect(res.status).toBe(200);
      expect(parseForm(res.text)['oauth_callback_confirmed']).toBe('true');
    }
  });

  it('signs the URL as the client used it: Host case and the default port do not matter', async () => {
    const oauth = signRequest({ ...TEST_CONSUMER, method: 'POST', url: 'http://api.example.com/sandbox/oauth/request_token', oauth: { oauth_callback: CALLBACK } });
    const res = await h.http.post('/sandbox/oauth/request_token').set('Host', 'API.Example.com:80').set('Authorization', authorizationHeader(oauth));
    expect(res.status).toBe(200);
  });

  it('refuses a request signed for another host', async () => {
    const oauth = signRequest({ ...TEST_CONSUMER, method: 'POST', url: 'http://elsewhere.example/sandbox/oauth/request_token', oauth: { oauth_callback: CALLBACK } });
    const res = await h.http.post('/sandbox/oauth/request_token').set('Authorization', authorizationHeader(oauth));
    expectProblem(res, 401, 'signature_invalid');
  });

  it('covers extra body and query parameters with the signature', async () => {
    const url = `${h.base}/oauth/request_token?scope=sms%20balance&x=%2B`;
    const form = { note: "it's (fine)!*", empty: '' };
    const oauth = signRequest({ ...TEST_CONSUMER, method: 'POST', url, form, oauth: { oauth_callback: CALLBACK } });
    const ok = await h.http.post('/sandbox/oauth/request_token?scope=sms%20balance&x=%2B').set('Authorization', authorizationHeader(oauth)).type('form').send(formBody(form));
    expect(ok.status).toBe(200);
    const fresh = signRequest({ ...TEST_CONSUMER, method: 'POST', url, form, oauth: { oauth_callback: CALLBACK } });
    const tampered = await h.http.post('/sandbox/oauth/request_token?scope=sms%20balance&x=%2B').set('Authorization', authorizationHeader(fresh)).type('form').send(formBody({ ...form, note: 'changed' }));
    expectProblem(tampered, 401, 'signature_invalid');
  });
});

describe('consent page', () => {
  it('names the app (escaped), says what is granted and offers Authorize and Deny buttons', async () => {
    const { token } = await getRequestToken(h);
    const res = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Test &lt;SMS&gt; app');
    expect(res.text).not.toContain('Test <SMS> app');
    expect(res.text).toMatch(/Send SMS/);
    expect(res.text).toMatch(/balance/);
    const form = parse(res.text).querySelector('form[action="/sandbox/oauth/authorize"]');
    expect(form?.getAttribute('method')).toBe('post');
    const buttons = form!.querySelectorAll('button').map((b) => [b.getAttribute('type'), b.getAttribute('name'), b.getAttribute('value'), b.text.trim()]);
    expect(buttons).toEqual([
      ['submit', 'decision', 'authorize', 'Authorize'],
      ['submit', 'decision', 'deny', 'Deny'],
    ]);
    expect(res.text).not.toMatch(/<script/i);
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain('form-action \'self\' http://client.example');
  });

  it('serves its own stylesheet', async () => {
    const page = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986((await getRequestToken(h)).token)}`);
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.text)?.[1] as string;
    expect(href).toBe('/sandbox/sandbox-assets/sandbox.css');
    const css = await h.http.get(href);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
  });

  it('works on /oauth/authenticate too', async () => {
    const { token } = await getRequestToken(h);
    const res = await h.http.get(`/sandbox/oauth/authenticate?oauth_token=${rfc3986(token)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('action="/sandbox/oauth/authenticate"');
  });

  it('explains an unknown, missing or expired token in plain language with 400', async () => {
    const unknown = await h.http.get('/sandbox/oauth/authorize?oauth_token=nope');
    expect(unknown.status).toBe(400);
    expect(headingOf(unknown.text)).toBe('This sign-in request is not valid');
    const missing = await h.http.get('/sandbox/oauth/authorize');
    expect(missing.status).toBe(400);
    expect(headingOf(missing.text)).toBe('Nothing to approve');
    const { token } = await getRequestToken(h);
    clock += 10 * 60 * 1000 + 1;
    const expired = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
    expect(expired.status).toBe(400);
    expect(headingOf(expired.text)).toBe('This sign-in request has expired');
    expect(parse(expired.text).querySelector('form'), 'no consent form for an expired request').toBeNull();
  });

  it('redirects Authorize to the callback with oauth_token and oauth_verifier, keeping its query and fragment', async () => {
    const { token } = await getRequestToken(h, 'https://client.example/cb?next=%2Fhome&a=b+c#top');
    const nonce = await consentNonce(h, token);
    const res = await h.http.post('/sandbox/oauth/authorize').type('form').send(formBody({ oauth_token: token, consent_nonce: nonce, decision: 'authorize' }));
    expect(res.status).toBe(302);
    const location = res.headers['location'] as string;
    expect(location).toMatch(new RegExp(`^https://client\\.example/cb\\?next=%2Fhome&a=b\\+c&oauth_token=${token}&oauth_verifier=[A-Za-z0-9_-]+#top$`));
  });

  it('redirects Deny to the callback with denied=<token> and forgets the token', async () => {
    const rt = await getRequestToken(h);
    const nonce = await consentNonce(h, rt.token);
    const res = await h.http.post('/sandbox/oauth/authorize').type('form').send(formBody({ oauth_token: rt.token, consent_nonce: nonce, decision: 'deny' }));
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe(`${CALLBACK}?denied=${rt.token}`);
    const again = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(rt.token)}`);
    expect(again.status).toBe(400);
    expect(headingOf(again.text)).toBe('This sign-in request is not valid');
    const exchange = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: 'x' } });
    expectProblem(exchange, 401, 'token_rejected');
  });

  it('refuses a forged consent POST (wrong or missing consent nonce) and leaves the token undecided', async () => {
    const { token } = await getRequestToken(h);
    const forged = await h.http.post('/sandbox/oauth/authorize').type('form').send(formBody({ oauth_token: token, consent_nonce: 'guess', decision: 'authorize' }));
    expect(forged.status).toBe(403);
    expect(forged.headers['location']).toBeUndefined();
    expect(headingOf(forged.text)).toBe('This approval did not come from this page');
    const noNonce = await h.http.post('/sandbox/oauth/authorize').type('form').send(formBody({ oauth_token: token, decision: 'authorize' }));
    expect(noNonce.status).toBe(403);
    expect(noNonce.headers['location']).toBeUndefined();
    expect(headingOf(noNonce.text)).toBe('This approval did not come from this page');
    // The real page still works afterwards.
    expect(await authorize(h, token)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('shows the verifier on a page for an oob callback', async () => {
    const { token } = await getRequestToken(h, 'oob');
    const nonce = await consentNonce(h, token);
    const res = await h.http.post('/sandbox/oauth/authorize').type('form').send(formBody({ oauth_token: token, consent_nonce: nonce, decision: 'authorize' }));
    expect(res.status).toBe(200);
    expect(parse(res.text).querySelectorAll('code').map((c) => c.text)).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)]);
  });

  it('shown again after approving (Back, refresh), leads back to the app’s home rather than to connecting again', async () => {
    const rt = await getRequestToken(h, 'http://client.example:3000/auth/callback');
    const verifier = await authorize(h, rt.token);
    const pages = [await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(rt.token)}`)];
    // And once the app has exchanged it, as when Back comes after the app's home page.
    const exchanged = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } });
    expect(exchanged.status).toBe(200);
    pages.push(await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(rt.token)}`));
    for (const page of pages) {
      expect(page.status).toBe(400);
      expect(page.text).toContain('This sign-in request was already answered');
      expect(page.text).toContain('You already approved this request, so there is nothing more to do here.');
      expect(page.text).toMatch(/<a [^>]*href="http:\/\/client\.example:3000\/">Go back to the app<\/a>/);
      expect(page.text).not.toMatch(/connect again/i);
      expect(page.text).not.toContain('name="decision"');
    }
    // Looking at the page exchanged nothing more.
    expect(h.sandbox.stats().accessTokenCalls).toBe(1);
  });

  it('cannot be answered twice', async () => {
    const { token } = await getRequestToken(h);
    await authorize(h, token);
    const again = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
    expect(again.status).toBe(400);
    expect(again.text).toContain('already answered');
  });
});

describe('access token endpoint', () => {
  it('completes the three-legged flow and names the user: the account of their own the consent page suggested', async () => {
    const rt = await getRequestToken(h);
    const { verifier, account } = await authorizeAs(h, rt.token);
    expect(account).toMatch(/^[a-z]+-[a-z]+$/);
    const res = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } });
    expect(res.status).toBe(200);
    const access = parseForm(res.text);
    expect(access['oauth_token']).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(access['oauth_token_secret']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(access['username']).toBe(account);
    expect(h.sandbox.stats()).toEqual({ requestTokenCalls: 1, accessTokenCalls: 1, smsCalls: 0, balanceCalls: 0 });
  });

  it('refuses a request token a second time with 401 token_used', async () => {
    const rt = await getRequestToken(h);
    const verifier = await authorize(h, rt.token);
    const sign = { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } };
    expect((await postSigned(h, '/oauth/access_token', sign)).status).toBe(200);
    expectProblem(await postSigned(h, '/oauth/access_token', sign), 401, 'token_used');
    expect(h.sandbox.stats().accessTokenCalls).toBe(2);
  });

  it('refuses a wrong verifier with 401 verifier_invalid, and the token cannot be retried', async () => {
    const rt = await getRequestToken(h);
    const verifier = await authorize(h, rt.token);
    const sign = { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret };
    expectProblem(await postSigned(h, '/oauth/access_token', { ...sign, oauth: { oauth_verifier: `${verifier}x` } }), 401, 'verifier_invalid');
    expectProblem(await postSigned(h, '/oauth/access_token', { ...sign, oauth: { oauth_verifier: verifier } }), 401, 'token_used');
  });

  it('refuses a verifier that belongs to another request token', async () => {
    const first = await getRequestToken(h);
    const second = await getRequestToken(h);
    const firstVerifier = await authorize(h, first.token);
    await authorize(h, second.token);
    const res = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: second.token, tokenSecret: second.secret, oauth: { oauth_verifier: firstVerifier } });
    expectProblem(res, 401, 'verifier_invalid');
  });

  it('refuses a token that was never authorized with 401 permission_unknown', async () => {
    const rt = await getRequestToken(h);
    const res = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: 'anything' } });
    expectProblem(res, 401, 'permission_unknown');
  });

  it('refuses an expired request token with 401 token_expired, then forgets it', async () => {
    const rt = await getRequestToken(h);
    const verifier = await authorize(h, rt.token);
    clock += 10 * 60 * 1000 + 1;
    const sign = () => ({ ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, timestamp: nowSeconds(), oauth: { oauth_verifier: verifier } });
    expectProblem(await postSigned(h, '/oauth/access_token', sign()), 401, 'token_expired');
    clock += 10 * 60 * 1000;
    expectProblem(await postSigned(h, '/oauth/access_token', sign()), 401, 'token_rejected');
  });

  it('refuses an unknown token and requires oauth_verifier', async () => {
    expectProblem(await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: 'made-up', tokenSecret: 'x', oauth: { oauth_verifier: 'v' } }), 401, 'token_rejected');
    const rt = await getRequestToken(h);
    const res = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret });
    expect(expectProblem(res, 400, 'parameter_absent')['oauth_parameters_absent']).toBe('oauth_verifier');
  });

  it('refuses a request signed without the token secret', async () => {
    const rt = await getRequestToken(h);
    const verifier = await authorize(h, rt.token);
    const res = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: '', oauth: { oauth_verifier: verifier } });
    expectProblem(res, 401, 'signature_invalid');
  });

  it('accepts PLAINTEXT with the token secret', async () => {
    const rt = await getRequestToken(h);
    const { verifier, account } = await authorizeAs(h, rt.token, 'plain-text');
    expect(account).toBe('plain-text');
    const res = await postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, signatureMethod: 'PLAINTEXT', token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } });
    expect(res.status).toBe(200);
    expect(parseForm(res.text)['username']).toBe('plain-text');
  });
});

describe('mounting', () => {
  it('works at the root of a host app that has its own body parser, building links from the mount point', async () => {
    const sandbox = await createSandbox({ ...TEST_CONSUMER });
    const app = express();
    app.use(express.urlencoded({ extended: true }));
    app.use(sandbox.router);
    app.get('/other', (_req, res) => {
      res.send('host route');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const agent = supertest.agent(`http://127.0.0.1:${port}`);
      const oauth = signRequest({ ...TEST_CONSUMER, method: 'POST', url: `http://127.0.0.1:${port}/oauth/request_token` });
      // Parameters in the body, already parsed by the host's parser before the sandbox saw them.
      const res = await agent.post('/oauth/request_token').type('form').send(formBody({ ...oauth, oauth_callback: CALLBACK }));
      expect(res.status).toBe(401); // the callback was not signed
      const signed = signRequest({ ...TEST_CONSUMER, method: 'POST', url: `http://127.0.0.1:${port}/oauth/request_token`, oauth: { oauth_callback: CALLBACK } });
      const ok = await agent.post('/oauth/request_token').type('form').send(formBody(signed));
      expect(ok.status).toBe(200);
      const token = parseForm(ok.text)['oauth_token'] as string;
      const page = await agent.get(`/oauth/authorize?oauth_token=${rfc3986(token)}`);
      expect(page.text).toContain('action="/oauth/authorize"');
      expect(page.text).toContain('href="/sandbox-assets/sandbox.css"');
      expect((await agent.get('/other')).text).toBe('host route');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('creates random credentials per sandbox and validates its options', async () => {
    const a = await createSandbox();
    const b = await createSandbox();
    expect(a.consumerKey).not.toBe(b.consumerKey);
    expect(a.consumerSecret.length).toBeGreaterThanOrEqual(40);
    await expect(createSandbox({ maxRequestsPerSecond: 0 })).rejects.toThrow(/maxRequestsPerSecond/);
    await expect(createSandbox({ consumerKey: '' })).rejects.toThrow(/consumerKey/);
    await expect(createSandbox({ storage: {} as never })).rejects.toThrow(/storage/);
  });
});
