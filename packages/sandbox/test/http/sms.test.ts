import oauth from 'oauth';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../src/index.js';
import {
  TEST_CONSUMER,
  authorizationHeader,
  authorize,
  connect,
  getRequestToken,
  postSigned,
  rfc3986,
  signIn,
  signRequest,
  startSandbox, balanceOf } from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

let clock = Date.now();
let h: SandboxHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setUp(options: SandboxOptions = {}) {
  clock = Date.now();
  h = await startSandbox({ now: () => clock, ...options });
  return { h, access: await connect(h) };
}

type Access = { token: string; secret: string };

function sendSms(harness: SandboxHarness, access: Access, form: Record<string, string>, tokenSecret = access.secret) {
  return postSigned(harness, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret, form });
}

const SMS = { from: 'NexmoDemo', to: '447700900000', text: 'Hello from the sandbox' };

// 51 UTF-16 units: characters that break naive encoders, quotes, a newline and an emoji.
const TRICKY = `Ünïcode "quoted" 'single' !*'()&=+ new\nline 😀 end.`;
// 103 units > 70, so split at 67 per part; neither emoji (units 44 and 96) straddles a boundary.
const TWO_PART_UNICODE = `${TRICKY} ${TRICKY}`;

describe('POST /sms/json', () => {
  it('delivers a two-part unicode message byte for byte, one entry per part, balance falling part by part', async () => {
    const { h, access } = await setUp();
    const res = await sendSms(h, access, { ...SMS, type: 'unicode', text: TWO_PART_UNICODE, 'client-ref': 'order-42' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body['message-count']).toBe('2');
    const [first, second] = res.body.messages;
    expect(first).toEqual({
      to: '447700900000',
      'message-id': expect.stringMatching(/^[0-9A-F]{16}$/),
      status: '0',
      'remaining-balance': '9.96670000',
      'message-price': '0.03330000',
      network: '23410',
      'client-ref': 'order-42',
    });
    expect(second['remaining-balance']).toBe('9.93340000');
    expect(second['message-id']).not.toBe(first['message-id']);

    const outbox = await h.sandbox.outbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ from: 'NexmoDemo', to: '447700900000', text: TWO_PART_UNICODE, type: 'unicode', parts: 2 });
    expect(outbox[0]?.messageIds).toEqual([first['message-id'], second['message-id']]);
    expect(new Date(outbox[0]?.at as string).getTime()).toBe(clock);
    expect(h.sandbox.stats().smsCalls).toBe(1);

    const balance = await balanceOf(h, access);
    expect(balance.status).toBe(200);
    expect(balance.text).toBe('{"value":9.93340000,"autoReload":false}');
    expect(h.sandbox.stats().balanceCalls).toBe(1);
  });

  it('bills type=text with characters outside GSM-7 as unicode', async () => {
    const { h, access } = await setUp();
    const res = await sendSms(h, access, { ...SMS, text: 'Grüße 😀' });
    expect(res.body['message-count']).toBe('1');
    expect((await h.sandbox.outbox())[0]?.type).toBe('unicode');
  });

  it('bills a 161-character GSM text as two parts', async () => {
    const { h, access } = await setUp();
    const res = await sendSms(h, access, { ...SMS, text: 'a'.repeat(161) });
    expect(res.body['message-count']).toBe('2');
    expect(res.body.messages[1]['remaining-balance']).toBe('9.93340000');
    expect((await h.sandbox.outbox())[0]).toMatchObject({ type: 'text', parts: 2 });
  });

  it('accepts a JSON body (signed over the header parameters only) and a GET with a query', async () => {
    const { h, access } = await setUp();
    const jsonOauth = signRequest({ ...TEST_CONSUMER, method: 'POST', url: `${h.base}/sms/json`, token: access.token, tokenSecret: access.secret });
    const viaJson = await h.http.post('/sandbox/sms/json').set('Authorization', authorizationHeader(jsonOauth)).send({ ...SMS, to: 447700900001 });
    expect(viaJson.status).toBe(200);
    expect(viaJson.body.messages[0]).toMatchObject({ status: '0', to: '447700900001' });

    const query = `from=NexmoDemo&to=447700900002&text=${rfc3986('via query + plus')}`;
    const getOauth = signRequest({ ...TEST_CONSUMER, method: 'GET', url: `${h.base}/sms/json?${query}`, token: access.token, tokenSecret: access.secret });
    const viaGet = await h.http.get(`/sandbox/sms/json?${query}`).set('Authorization', authorizationHeader(getOauth));
    expect(viaGet.body.messages[0]).toMatchObject({ status: '0', to: '447700900002' });
    expect((await h.sandbox.outbox()).map((e) => e.text)).toEqual(['via query + plus', SMS.text]);
  });

  it('keeps the balance with the account: another account starts full, the same account carries on', async () => {
    const { h, access } = await setUp({ startingBalance: 1 });
    await sendSms(h, access, SMS);
    const other = await connect(h, 'alice');
    expect(other.username).toBe('alice');
    expect((await balanceOf(h, other)).body).toEqual({ value: 1, autoReload: false });
    expect((await balanceOf(h, access)).body).toEqual({ value: 0.9667, autoReload: false });
    // Connecting again to the first account is a new token on the same balance.
    const again = await connect(h, access.username);
    expect(again.username).toBe(access.username);
    expect(again.token).not.toBe(access.token);
    expect((await balanceOf(h, again)).body).toEqual({ value: 0.9667, autoReload: false });
    expect((await h.sandbox.outbox()).map((e) => e.account)).toEqual([access.username]);
  });

  it('never lets concurrent sends take an account below zero', async () => {
    // 0.1 EUR at 0.0333 a part: room for three single-part messages, whoever sends them.
    const { h, access } = await setUp({ startingBalance: 0.1, maxRequestsPerSecond: 100 });
    const second = await connect(h);
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => sendSms(h, i % 2 ? second : access, SMS)));
    const statuses = replies.map((r) => (r.body.messages[0] as Record<string, string>)['status']);
    expect(statuses.filter((s) => s === '0')).toHaveLength(3);
    expect(statuses.filter((s) => s === '9')).toHaveLength(7);
    expect((await balanceOf(h, access)).body).toEqual({ value: 0.0001, autoReload: false });
    expect(await h.sandbox.outbox()).toHaveLength(3);
  });
});

describe('POST /sms/json refusals', () => {
  const refusal = (res: { status: number; body: { 'message-count': string; messages: Record<string, string>[] } }) => {
    expect(res.status).toBe(200);
    expect(res.body['message-count']).toBe('1');
    return res.body.messages[0] as Record<string, string>;
  };

  it('answers status 2 for each missing parameter', async () => {
    const { h, access } = await setUp();
    for (const missing of ['from', 'to', 'text'] as const) {
      const fields: Record<string, string> = { ...SMS };
      delete fields[missing];
      expect(refusal(await sendSms(h, access, fields))).toEqual({ status: '2', 'error-text': `Missing ${missing} param` });
    }
    expect(await h.sandbox.outbox()).toHaveLength(0);
  });

  it('answers status 3 for a recipient that is not 7 to 15 digits, a bad type or a repeated field', async () => {
    const { h, access } = await setUp();
    for (const to of ['123456', '1234567890123456', '+447700900000', '44 7700 900000']) {
      expect(refusal(await sendSms(h, access, { ...SMS, to })).status).toBe('3');
    }
    expect(refusal(await sendSms(h, access, { ...SMS, type: 'binary' }))).toEqual({ status: '3', 'error-text': 'Invalid type param' });
    const oauthParams = signRequest({ ...TEST_CONSUMER, method: 'POST', url: `${h.base}/sms/json?to=447700900009`, token: access.token, tokenSecret: access.secret, form: SMS });
    const repeated = await h.http.post('/sandbox/sms/json?to=447700900009').set('Authorization', authorizationHeader(oauthParams)).type('form').send(new URLSearchParams(SMS).toString());
    expect(refusal(repeated).status).toBe('3');
    expect(await h.sandbox.outbox()).toHaveLength(0);
  });

  it('answers status 12 for a text over 3200 characters', async () => {
    const { h, access } = await setUp();
    expect(refusal(await sendSms(h, access, { ...SMS, text: 'x'.repeat(3201) }))).toEqual({ status: '12', 'error-text': 'Message too long' });
    const longest = await sendSms(h, access, { ...SMS, text: 'x'.repeat(3200) });
    expect(longest.body['message-count']).toBe('21');
    expect(longest.body.messages[20].status).toBe('0');
  });

  it('answers status 15 for a sender that is neither 11 alphanumerics nor 15 digits', async () => {
    const { h, access } = await setUp();
    for (const from of ['TwelveChars1', 'bad-sender', '1234567890123456']) {
      expect(refusal(await sendSms(h, access, { ...SMS, from }))).toEqual({ status: '15', 'error-text': 'Invalid sender address' });
    }
    expect(refusal(await sendSms(h, access, { ...SMS, from: 'Nexmo Demo' })).status).toBe('0');
    expect(refusal(await sendSms(h, access, { ...SMS, from: '447700900123' })).status).toBe('0');
  });

  it('answers status 9 when the balance cannot pay for every part, delivering nothing', async () => {
    const { h, access } = await setUp({ startingBalance: 0.05 });
    expect(refusal(await sendSms(h, access, { ...SMS, text: 'a'.repeat(200) })).status).toBe('9');
    expect(await h.sandbox.outbox()).toHaveLength(0);
    expect((await balanceOf(h, access)).body.value).toBe(0.05);
    expect(refusal(await sendSms(h, access, SMS))).toMatchObject({ status: '0', 'remaining-balance': '0.01670000' });
  });

  it('answers status 1 beyond maxRequestsPerSecond, and lets the client through a second later', async () => {
    const { h, access } = await setUp({ maxRequestsPerSecond: 2 });
    expect(refusal(await sendSms(h, access, SMS)).status).toBe('0');
    expect(refusal(await sendSms(h, access, SMS)).status).toBe('0');
    expect(refusal(await sendSms(h, access, SMS))).toEqual({ status: '1', 'error-text': 'Throughput Rate Exceeded - please wait [ 1000 ] and retry' });
    expect(await h.sandbox.outbox()).toHaveLength(2);
    clock += 1000;
    expect(refusal(await sendSms(h, access, SMS)).status).toBe('0');
  });

  it('answers status 14 for a bad signature made with a valid token, delivering nothing', async () => {
    const { h, access } = await setUp();
    expect(refusal(await sendSms(h, access, SMS, 'wrong-token-secret'))).toEqual({ status: '14', 'error-text': 'Invalid Signature' });
    expect(await h.sandbox.outbox()).toHaveLength(0);
  });

  it('answers HTTP 401 with a JSON body for an unknown token, a request token or no OAuth at all', async () => {
    const { h, access } = await setUp();
    const unknown = await sendSms(h, { token: 'not-a-token', secret: 'x' }, SMS);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ 'error-code': '401', 'error-code-label': 'authentication failed' });
    expect(unknown.headers['www-authenticate']).toContain('oauth_problem="token_rejected"');

    const rt = await getRequestToken(h);
    const withRequestToken = await sendSms(h, rt, SMS);
    expect(withRequestToken.status).toBe(401);

    const plain = await h.http.post('/sandbox/sms/json').type('form').send({ ...SMS, api_key: 'k', api_secret: 's' });
    expect(plain.status).toBe(401);
    const balance = await balanceOf(h, { token: 'not-a-token', secret: access.secret });
    expect(balance.status).toBe(401);
    expect(balance.body).toEqual({ 'error-code': '401', 'error-code-label': 'authentication failed' });
    expect(await h.sandbox.outbox()).toHaveLength(0);
    expect(h.sandbox.stats()).toMatchObject({ smsCalls: 3, balanceCalls: 1 });
  });

  it('answers status 3 for a body that cannot be parsed', async () => {
    const { h, access } = await setUp();
    const oauthParams = signRequest({ ...TEST_CONSUMER, method: 'POST', url: `${h.base}/sms/json`, token: access.token, tokenSecret: access.secret });
    const res = await h.http.post('/sandbox/sms/json').set('Authorization', authorizationHeader(oauthParams)).type('json').send('{"to":');
    expect(refusal(res).status).toBe('3');
  });
});

describe('GET /outbox', () => {
  it('shows an empty state, then the messages newest first with their text escaped', async () => {
    const { h, access } = await setUp();
    const empty = await signIn(h);
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('No messages yet');

    await sendSms(h, access, { ...SMS, text: 'first' });
    await sendSms(h, access, { ...SMS, text: '<script>alert("x")</script> & more' });
    const page = await h.http.get('/sandbox/outbox');
    expect(page.text).not.toContain('No messages yet');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more');
    expect(page.text.indexOf('&lt;script&gt;')).toBeLessThan(page.text.indexOf('>first<'));
  });
});

describe('interoperability with the npm oauth package', () => {
  it('completes the flow and sends an SMS with characters that trip encoders', async () => {
    clock = Date.now();
    h = await startSandbox({ now: () => clock });
    const harness = h;
    const client = new oauth.OAuth(
      `${harness.base}/oauth/request_token`,
      `${harness.base}/oauth/access_token`,
      TEST_CONSUMER.consumerKey,
      TEST_CONSUMER.consumerSecret,
      '1.0',
      'http://client.example/cb',
      'HMAC-SHA1',
    );
    const requestToken = await new Promise<{ token: string; secret: string }>((resolve, reject) =>
      client.getOAuthRequestToken((err, token, secret) => (err ? reject(new Error(JSON.stringify(err))) : resolve({ token, secret }))),
    );
    const verifier = await authorize(harness, requestToken.token);
    const access = await new Promise<{ token: string; secret: string }>((resolve, reject) =>
      client.getOAuthAccessToken(requestToken.token, requestToken.secret, verifier, (err, token, secret) =>
        err ? reject(new Error(JSON.stringify(err))) : resolve({ token, secret }),
      ),
    );
    const body = await new Promise<string>((resolve, reject) =>
      client.post(`${harness.base}/sms/json`, access.token, access.secret, { ...SMS, type: 'unicode', text: TWO_PART_UNICODE }, 'application/x-www-form-urlencoded', (err, data) =>
        err ? reject(new Error(JSON.stringify(err))) : resolve(String(data)),
      ),
    );
    expect(JSON.parse(body)['message-count']).toBe('2');
    expect((await harness.sandbox.outbox())[0]?.text).toBe(TWO_PART_UNICODE);
  });
});
