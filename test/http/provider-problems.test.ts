import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { expectNoSecretIn, expectProviderCalls, shouldNotSetCookie } from '../helpers/assertions.js';
import { pageOf } from '../helpers/html.js';
import { startScriptedRest, type Script } from '../helpers/scriptedRest.js';
import { sendSms } from '../helpers/smsForm.js';
import { connect, straightBack } from '../helpers/login.js';
import { onlyAccount as onlyAccountOf, useTestApp, type TestApp } from '../helpers/testApp.js';

/**
 * Refusals that say why (the OAuth Problem Reporting extension), from a provider whose every
 * answer the spec scripts: each problem gets its own page, status and log line, at each step.
 */
const KEY = 'problem-consumer-key';
const SECRET = 'problem-consumer-secret-never-shown';
/** The provider's own words: never shown to a person. */
const ADVICE = 'Internal+note+from+the+provider+xyzzy';
/** The app's clock, a whole second so the provider's Date header (to the second) is exact. */
const NOW = Math.floor(Date.now() / 1000) * 1000;

let rest: Awaited<ReturnType<typeof startScriptedRest>>;
let app: TestApp;

// Registered before the app's own teardown, so the provider goes after the app.
afterEach(async () => {
  await rest.close();
});
const startTestApp = useTestApp();

beforeEach(async () => {
  rest = await startScriptedRest();
  app = await startTestApp(
    { NEXMO_CONSUMER_KEY: KEY, NEXMO_CONSUMER_SECRET: SECRET, NEXMO_OAUTH_URL: `${rest.url}/oauth/`, NEXMO_REST_URL: rest.url, OAUTH_TIMEOUT_MS: '3000' },
    { now: () => NOW },
  );
});

const form = (body: string, status = 401, headers: Record<string, string> = {}): Exclude<Script, 'hang'> => ({ status, body, contentType: 'application/x-www-form-urlencoded', headers });
const dateIn = (seconds: number) => ({ Date: new Date(NOW + seconds * 1000).toUTCString() });

/** The page's own words: its heading and paragraphs. */
function wordsOf(html: string): string {
  const card = pageOf(html).querySelector('.message-card');
  return (card?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function expectLogged(code: string): void {
  const line = app.logEntries.find((entry) => entry.oauthProblem === code);
  expect(line, `a log line naming ${code}`).toBeDefined();
  expect(line!.msg).toContain(`oauth_problem=${code}`);
  expectNoSecretIn(app.rawLogs, SECRET);
}

describe('a refused request token', () => {
  it.each([
    ['timestamp_refused, 600 s behind by the Date header', form(`oauth_problem=timestamp_refused&oauth_problem_advice=${ADVICE}`, 401, dateIn(600)), 'timestamp_refused', ['This server’s clock is off', 'this server’s clock is 600 seconds (about 10 minutes) behind Nexmo’s', 'NTP']],
    ['timestamp_refused, 90 s ahead by the acceptable range', { ...form(`oauth_problem=timestamp_refused&oauth_acceptable_timestamps=${NOW / 1000 - 390}-${NOW / 1000 + 210}`), noDate: true }, 'timestamp_refused', ['this server’s clock is 90 seconds (about 2 minutes) ahead of Nexmo’s', 'NTP']],
    ['consumer_key_unknown', form('oauth_problem=consumer_key_unknown'), 'consumer_key_unknown', ['Nexmo does not accept this app’s consumer key', 'Check NEXMO_CONSUMER_KEY']],
    ['consumer_key_rejected', form('oauth_problem=consumer_key_rejected'), 'consumer_key_rejected', ['Check NEXMO_CONSUMER_KEY']],
    ['nonce_used', form('oauth_problem=nonce_used'), 'nonce_used', ['Nexmo took this request for a replay', 'nonce']],
    ['signature_invalid', form('oauth_problem=signature_invalid&oauth_signature_base_string=POST%26x'), 'signature_invalid', ['could not verify the request’s signature', 'NEXMO_CONSUMER_SECRET']],
    ['signature_method_rejected', form('oauth_problem=signature_method_rejected', 400), 'signature_method_rejected', ['Nexmo does not accept this signature method', 'OAUTH_SIGNATURE_METHOD to HMAC-SHA1']],
    ['parameter_absent', form('oauth_problem=parameter_absent&oauth_parameters_absent=oauth_nonce%26oauth_timestamp', 400), 'parameter_absent', ['The request lacked oauth_nonce and oauth_timestamp']],
    ['version_rejected', form('oauth_problem=version_rejected&oauth_acceptable_versions=2.0-2.0', 400), 'version_rejected', ['The app signs with OAuth 1.0, which Nexmo refused (it accepts versions 2.0-2.0)']],
    ['the callback, in WWW-Authenticate only', { status: 400, body: '{"error":"bad"}', contentType: 'application/json', headers: { 'WWW-Authenticate': 'OAuth realm="Nexmo", oauth_problem="parameter_rejected", oauth_parameters_rejected="oauth_callback"' } }, 'parameter_rejected', ['Nexmo refused to start the sign-in', 'callback URL']],
  ] as const)('%s: its own explanation on a 502 page, no login started', async (_name, script, code, sentences) => {
    rest.answerPath('/oauth/request_token', script);
    const res = await app.browser().get('/auth/login');
    expect(res.status).toBe(502);
    const words = wordsOf(res.text);
    for (const sentence of sentences) expect(words).toContain(sentence);
    expect(res.text).not.toContain('oauth_problem');
    expect(res.text).not.toContain('xyzzy');
    expect(res.text).not.toContain('POST%26x');
    expectNoSecretIn(res, SECRET);
    shouldNotSetCookie(res);
    expectProviderCalls(rest, 'request_token', 1);
    expectProviderCalls(rest, 'access_token', 0);
    expectLogged(code);
  });

  it('without a reason: names the callback URL Nexmo must accept', async () => {
    rest.answerPath('/oauth/request_token', { status: 401, body: 'Unauthorized' });
    const res = await app.browser().get('/auth/login');
    expect(res.status).toBe(502);
    expect(wordsOf(res.text)).toContain(`Nexmo must accept this app’s callback URL, ${app.url}/auth/callback.`);
    expect(wordsOf(res.text)).toContain('PUBLIC_URL');
    expectProviderCalls(rest, 'request_token', 1);
    expect(app.logEntries.some((entry) => entry.msg.includes('status=401'))).toBe(true);
  });
});

/** Gets a request token from the scripted provider and comes back with a verifier, as after consenting. */
async function callbackAfterConsent(browser = app.browser()) {
  rest.answerPath('/oauth/request_token', form('oauth_token=request-token-1&oauth_token_secret=request-secret-1&oauth_callback_confirmed=true', 200));
  const login = await browser.get('/auth/login');
  expect(login.status).toBe(302);
  return { browser, callback: `/auth/callback?oauth_token=request-token-1&oauth_verifier=verifier-1` };
}

/** Logs in: the scripted provider hands out its tokens and, having no pages, sends the browser straight back. */
function connected() {
  rest.answerPath('/oauth/request_token', form('oauth_token=request-token-1&oauth_token_secret=request-secret-1&oauth_callback_confirmed=true', 200));
  rest.answerPath('/oauth/access_token', form('oauth_token=access-token-1&oauth_token_secret=access-secret-1', 200));
  return connect(app, { approve: straightBack('verifier-1') });
}

describe('a refused access token', () => {
  it.each([
    ['token_expired', 403, 'This sign-in is no longer valid at Nexmo'],
    ['token_rejected', 403, 'This sign-in is no longer valid at Nexmo'],
    ['verifier_invalid', 403, 'Nexmo did not confirm this sign-in'],
    ['timestamp_refused', 502, 'This server’s clock is off'],
  ] as const)('%s: answered %i with its explanation, nothing connected', async (code, status, title) => {
    const { browser, callback } = await callbackAfterConsent();
    rest.answerPath('/oauth/access_token', form(`oauth_problem=${code}`, 401, dateIn(-400)));
    const res = await browser.get(callback);
    expect(res.status).toBe(status);
    expect(wordsOf(res.text)).toContain(title);
    expect(wordsOf(res.text)).toContain('Nothing was connected.');
    if (code === 'timestamp_refused') expect(wordsOf(res.text)).toContain('400 seconds (about 7 minutes) ahead of Nexmo’s');
    expectNoSecretIn(res, SECRET, 'request-secret-1');
    expectProviderCalls(rest, 'access_token', 1);
    expect((await browser.get('/sms')).headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    expectLogged(code);
  });
});

describe('a refused signed API call', () => {
  const problemHeader = (code: string, extra = '') => ({ 'WWW-Authenticate': `OAuth realm="Nexmo", oauth_problem="${code}"${extra}`, ...dateIn(-600) });

  it('a send refused for the clock: the skew explained (502), kept in the history as not sent, still connected', async () => {
    const browser = await connected();
    rest.answerSms({ status: 401, body: '{"error-code":"401"}', contentType: 'application/json', headers: problemHeader('timestamp_refused') });
    const res = await sendSms(browser, { to: '447911123456' });
    expect(res.status).toBe(502);
    expect(wordsOf(res.text)).toContain('this server’s clock is 600 seconds (about 10 minutes) ahead of Nexmo’s');
    expect(wordsOf(res.text)).toContain('Nothing was sent.');
    expectNoSecretIn(res, SECRET, 'access-secret-1');
    expectProviderCalls(rest, 'sms', 1);
    // The record written ahead of the call is completed with the refusal: it went to Nexmo, so
    // the history keeps it, as not sent.
    const stored = await app.stores.messages.list(await onlyAccount(), { offset: 0, limit: 10 });
    expect(stored.records.map((record) => record.outcome)).toEqual([{ kind: 'refused', problem: expect.objectContaining({ code: 'timestamp_refused' }) }]);
    const history = await browser.get('/messages');
    expect(history.status).toBe(200);
    expect(pageOf(history.text).querySelector('tbody tr')?.textContent?.replace(/\s+/g, ' ')).toContain('Not sent: Nexmo refused the signed request');
    // The token may be fine: nobody is disconnected.
    expect((await browser.get('/')).text).toContain('Disconnect');
    expectLogged('timestamp_refused');
  });

  it.each(['token_revoked', 'token_expired', 'token_rejected'])('a send refused with %s disconnects and asks to connect again', async (code) => {
    const browser = await connected();
    rest.answerSms({ status: 401, body: `oauth_problem=${code}`, contentType: 'application/x-www-form-urlencoded' });
    const res = await sendSms(browser, { to: '447911123456' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?notice=token-revoked&return=%2Fsms');
    expect((await browser.get('/?notice=token-revoked')).text).toContain('Connect again');
    expect((await browser.get('/sms')).headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    expectProviderCalls(rest, 'sms', 1);
    expectLogged(code);
  });

  it('the balance refused with consumer_key_refused: the form explains it instead (502), no send made', async () => {
    const browser = await connected();
    rest.answerBalance({ status: 401, body: '', headers: problemHeader('consumer_key_refused') });
    const res = await browser.get('/sms');
    expect(res.status).toBe(502);
    expect(wordsOf(res.text)).toContain('Check NEXMO_CONSUMER_KEY');
    expectProviderCalls(rest, 'balance', 1);
    expectProviderCalls(rest, 'sms', 0);
    expect((await browser.get('/')).text).toContain('Disconnect');
    expectLogged('consumer_key_refused');
  });
});

const onlyAccount = () => onlyAccountOf(app);

