import supertest from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startStandalone, type RunningSandbox } from '@nexmo-oauth/sandbox/standalone';
import { expectNoSecretIn, expectProviderCalls, shouldNotSetCookie } from '../helpers/assertions.js';
import { json, startScriptedRest } from '../helpers/scriptedRest.js';
import { sendSms } from '../helpers/smsForm.js';
import { smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { onlyAccount as onlyAccountOf, useTestApp, type TestApp } from '../helpers/testApp.js';

/**
 * The app with credentials configured, as in production: OAuth against a provider on another
 * origin (the sandbox running alone) and the REST API at a scripted server.
 */
const KEY = 'live-consumer-key';
const SECRET = 'live-consumer-secret-never-shown';

let provider: RunningSandbox;
let rest: Awaited<ReturnType<typeof startScriptedRest>>;
let app: TestApp;
let providerClosed = false;

/**
 * Long enough for every answer the provider does give to arrive on a busy machine; the specs of a
 * provider that never answers wait this long once each.
 */
const TIMEOUT_MS = '3000';

// Registered before the apps' own teardown, so the providers go after the app (afterEach hooks run last-registered first).
afterEach(async () => {
  await rest.close();
  if (!providerClosed) await provider.close();
});
const startTestApp = useTestApp();

beforeEach(async () => {
  providerClosed = false;
  provider = await startStandalone({ port: 0, host: '127.0.0.1', consumerKey: KEY, consumerSecret: SECRET }, () => {});
  rest = await startScriptedRest();
  app = await startTestApp({
    NEXMO_CONSUMER_KEY: KEY,
    NEXMO_CONSUMER_SECRET: SECRET,
    NEXMO_OAUTH_URL: `${provider.baseUrl}/oauth/`,
    NEXMO_REST_URL: rest.url,
    OAUTH_TIMEOUT_MS: TIMEOUT_MS,
  });
});
/** Logs in through the provider's own origin, as a browser would: its consent page, then back to this app. */
function connectLive() {
  return connect(app, {
    async approve(browser, authorizeUrl) {
      expect(authorizeUrl.startsWith(`${provider.baseUrl}/oauth/authorize?oauth_token=`)).toBe(true);
      const callback = await app.approve(browser, authorizeUrl);
      expect(callback.startsWith(`${app.url}/auth/callback?`)).toBe(true);
      return callback;
    },
  });
}

const onlyAccount = () => onlyAccountOf(app);

/** A number the phone-number library finds valid and mobile: live mode refuses any other. */
const MOBILE = '447911123456';
const send = (browser: supertest.Agent, text = 'Hello') => sendSms(browser, { to: MOBILE, text });

describe('against a provider on another origin (credentials configured)', () => {
  it('runs the login with the configured key and signs SMS calls with the access token only', async () => {
    const browser = await connectLive();
    expect(app.sandbox).toBeUndefined();
    expect((await browser.get('/')).text).not.toContain('Sandbox mode');
    rest.answerSms(json({ 'message-count': '1', messages: [{ to: '447911123456', 'message-id': 'ABC123', status: '0', 'remaining-balance': '9.5', 'message-price': '0.05', network: '23410' }] }));
    const res = await send(browser, 'Hi & bye');
    expect(res.status).toBe(303);
    expectProviderCalls(rest, 'sms', 1);
    const [call] = rest.smsCalls();
    expect(call!.method).toBe('POST');
    expect(call!.authorization).toMatch(/^OAuth /);
    expect(call!.authorization).toContain(`oauth_consumer_key="${KEY}"`);
    expect(call!.authorization).toContain('oauth_version="1.0"');
    expect(new URLSearchParams(call!.body).get('text')).toBe('Hi & bye');
    expect(call!.body).not.toContain('api_secret');
    expectNoSecretIn([call!.authorization ?? '', call!.body], SECRET);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('ABC123');
    expectNoSecretIn(page, SECRET);
  });

  it('finishes a send in flight when asked to shut down, storing the answer before closing', async () => {
    const browser = await connectLive();
    const reply = { 'message-count': '1', messages: [{ to: '447911123456', 'message-id': 'SLOW1', status: '0', 'message-price': '0.05' }] };
    rest.answerSms({ status: 200, contentType: 'application/json', body: JSON.stringify(reply), delayMs: 150 }); // well within OAUTH_TIMEOUT_MS
    const form = await browser.get('/sms');
    // then(): supertest sends only once something waits for the answer.
    const sending = browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447911123456', text: 'In flight' }).then((res) => res);
    // Shut down once the send has reached the provider, before it has answered.
    while (rest.smsCalls().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const closing = app.close();
    const res = await sending;
    await closing;
    expect(res.status).toBe(303);
    const id = (res.headers.location as string).split('/').pop()!;
    const account = (await app.stores.messages.list((await onlyAccount()), { offset: 0, limit: 10 })).records;
    expect(account.map((r) => r.id)).toEqual([id]);
    expect(account[0]!.outcome).toMatchObject({ kind: 'sent', parts: [{ messageId: 'SLOW1' }] });
  });

  it('disconnects the user when the API answers 401, and asks them to connect again', async () => {
    const browser = await connectLive();
    rest.answerSms({ status: 401, body: '{"error-code":"401"}', contentType: 'application/json' });
    const res = await send(browser);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?notice=token-revoked&return=%2Fsms');
    const home = await browser.get('/?notice=token-revoked');
    expect(home.text).toContain('Connect again');
    expect(home.text).toContain('Connect with Nexmo');
    expect((await browser.get('/sms')).status).toBe(303);
    expectProviderCalls(rest, 'sms', 1);
  });

  it.each([
    ['HTTP 429', { status: 429, body: 'slow down' }],
    ['status 1', json({ 'message-count': '1', messages: [{ status: '1', 'error-text': 'Throughput Rate Exceeded - please wait [ 978 ] and retry' }] })],
  ])('says to wait and retry when throttled (%s), having sent once', async (_name, script) => {
    const browser = await connectLive();
    rest.answerSms(script);
    const res = await send(browser);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('too many messages at once');
    expect(page.text).toContain('Wait a few seconds');
    expectProviderCalls(rest, 'sms', 1);
  });

  it('says the outcome is unknown after a timeout, and does not retry', async () => {
    const browser = await connectLive();
    rest.answerSms('hang');
    const res = await send(browser);
    expect(res.status).toBe(303);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('don’t know whether it was sent');
    expect(page.text).toContain('did not try again');
    expectProviderCalls(rest, 'sms', 1);
  });

  it.each([
    ['a 500 answer', { status: 500, body: '<html>Internal stack trace at line 42</html>' }, 'problem of its own'],
    ['a body that is not JSON', { status: 200, body: '<html>Internal stack trace at line 42</html>' }, 'could not read'],
    ['JSON of the wrong shape', json({ messages: 'Internal stack trace at line 42' }), 'could not read'],
  ])('says "not sent" for %s without showing the raw body', async (_name, script, words) => {
    const browser = await connectLive();
    rest.answerSms(script);
    const res = await send(browser);
    const page = await browser.get(res.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Not sent');
    expect(page.text).toContain(words);
    expect(page.text).not.toContain('stack trace');
    expectProviderCalls(rest, 'sms', 1);
  });

  it('explains a partial failure part by part', async () => {
    const browser = await connectLive();
    rest.answerSms(json({ 'message-count': '2', messages: [
      { to: '447911123456', 'message-id': 'P1', status: '0', 'remaining-balance': '9.9', 'message-price': '0.05', network: '23410' },
      { status: '9', 'error-text': 'Partner quota exceeded' },
    ] }));
    const res = await send(browser, 'z'.repeat(200));
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('Only part of your message was sent');
    expect(page.text).toContain('Part 2 of 2 was not accepted');
    expect(page.text).not.toContain('Partner quota exceeded');
  });

  it('still shows the form when the balance cannot be fetched', async () => {
    const browser = await connectLive();
    rest.answerBalance({ status: 503, body: 'down' });
    const form = await browser.get('/sms');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Balance unavailable right now');
    expect(form.text).toContain('name="text"');
  });

  it('shows a 502 page when the provider cannot be reached, naming no secret', async () => {
    await provider.close();
    providerClosed = true;
    const res = await app.browser().get('/auth/login');
    expect(res.status).toBe(502);
    expect(res.text).toContain('could not talk to Nexmo');
    expectNoSecretIn(res, SECRET);
    shouldNotSetCookie(res);
    expectNoSecretIn(app.rawLogs, SECRET);
  });

  it.each([
    ['does not answer in time', 'hang' as const, 'did not answer in time'],
    ['answers with a redirect', { status: 302, body: '' }, 'could not talk to Nexmo'],
    ['refuses the consumer', { status: 401, body: 'oauth_problem=consumer_key_unknown' }, 'Check NEXMO_CONSUMER_KEY'],
    ['answers without oauth_callback_confirmed', { status: 200, body: 'oauth_token=t&oauth_token_secret=s' }, 'could not talk to Nexmo'],
  ])('shows a 502 page when the request-token call %s, and starts no login', async (_name, script, words) => {
    // Its OAuth endpoints at the scripted server too.
    const other = await startTestApp({ NEXMO_CONSUMER_KEY: KEY, NEXMO_CONSUMER_SECRET: SECRET, NEXMO_OAUTH_URL: `${rest.url}/oauth/`, NEXMO_REST_URL: rest.url, OAUTH_TIMEOUT_MS: TIMEOUT_MS });
    rest.answerOther(script);
    const res = await other.browser().get('/auth/login');
    expect(res.status).toBe(502);
    expect(res.text).toContain(words);
    shouldNotSetCookie(res);
    expectProviderCalls(rest, 'request_token', 1);
    expectProviderCalls(rest, 'access_token', 0);
  });
});

describe('the per-number limit with a live provider', () => {
  it('counts every number, none exempt as a test number: in live mode each is someone’s phone', async () => {
    await app.close();
    app = await startTestApp({
      NEXMO_CONSUMER_KEY: KEY,
      NEXMO_CONSUMER_SECRET: SECRET,
      NEXMO_OAUTH_URL: `${provider.baseUrl}/oauth/`,
      NEXMO_REST_URL: rest.url,
      LIMIT_SMS_PER_NUMBER_PER_HOUR: '1',
    });
    expect(app.provider.testNumbers.size).toBe(0);
    rest.answerSms(json({ 'message-count': '1', messages: [{ to: '447911123456', 'message-id': 'ABC123', status: '0', 'remaining-balance': '9.5', 'message-price': '0.05', network: '23410' }] }));
    const browser = await connectLive();
    let n = 0;
    const send = async () => {
      const form = await browser.get('/sms');
      return browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '+44 7911 123456', text: `Hello ${++n}` });
    };
    expect((await send()).status).toBe(303);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('This number, +447911123456, has had 1 message in the last hour, the most this app sends to one phone number (LIMIT_SMS_PER_NUMBER_PER_HOUR).');
    expect(rest.smsCalls()).toHaveLength(1);
  });
});
