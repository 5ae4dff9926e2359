// The SMS, message and webhook routes over createApp(deps), with a NexmoClient that records
// every call and the in-memory stores: each spec says what the route answers AND which provider
// calls it made or must not make.

import { describe, expect, it } from 'vitest';

import { accountKeyOf } from '../../src/oauth/loginFlow.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { sentOutcome } from '../helpers/fakeNexmo.js';
import { csrfFrom, smsFormTokens, elementOf, fieldValue, linksIn, pageOf, textOf, textsOf } from '../helpers/html.js';
import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { ROUTE_APP_URL, ROUTE_RECEIPT_KEY, useRouteApp, type RouteApp } from '../helpers/routeApp.js';
import { sendSms } from '../helpers/smsForm.js';

/** Route specs run against a live provider, which refuses numbers the phone-number library finds invalid. */
const LIVE_MOBILE = '447911123456';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const createRouteApp = useRouteApp();

/** A connected browser on a fresh app; the login's two token calls go to the fake consumer, not the NexmoClient. */
async function connected(): Promise<{ route: RouteApp; browser: ConnectedBrowser }> {
  const route = createRouteApp({}, { now: () => NOW });
  const browser = await connect(route);
  expect(route.nexmo.calls, 'the login made no SMS or balance call').toEqual([]);
  return { route, browser };
}

/** The ids of the records the store holds for the connected account, newest first. */
async function storedRecords(r: RouteApp): Promise<string[]> {
  const account = accountKeyOf(new URL(r.config.provider.oauthUrl!).origin, r.consumer.access);
  const { records } = await r.stores.messages.list(account, { offset: 0, limit: 100 });
  return records.map((record) => record.id);
}

describe('GET /sms', () => {
  it('shows the form with the balance, after exactly one balance call with the access token', async () => {
    const { route: r, browser } = await connected();
    const res = await browser.get('/sms');
    expect(res.status).toBe(200);
    const page = pageOf(res.text);
    expect(textOf(elementOf(page, 'h1'))).toBe('Send an SMS');
    expect(textOf(elementOf(page, '#balance'))).toBe('Balance: €10.00');
    expect(elementOf(page, 'form').getAttribute('action')).toBe('/sms');
    expect(csrfFrom(res.text)).toMatch(/^[\w-]{40,}$/);
    expect(r.nexmo.calls).toEqual([{ kind: 'getBalance', access: { token: 'access-token-1', secret: 'access-secret-1' } }]);
  });

  it('still shows the form when the balance is unavailable, saying so', async () => {
    const { route: r, browser } = await connected();
    r.nexmo.answerBalance({ kind: 'unavailable' });
    const res = await browser.get('/sms');
    expect(res.status).toBe(200);
    expect(textOf(elementOf(res.text, '#balance'))).toBe('Balance unavailable right now — you can still send.');
    expect(r.nexmo.balanceCalls()).toBe(1);
    expect(r.nexmo.sends()).toEqual([]);
  });

  it('sends a visitor who is not connected to the start page without asking the provider anything', async () => {
    const route = createRouteApp();
    const res = await route.browser().get('/sms');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    expect(route.nexmo.calls).toEqual([]);
    expect(route.consumer.tokenCalls).toEqual([]);
  });
});

describe('POST /sms with valid fields', () => {
  it('makes exactly one send call with the typed fields, the receipt callback and a client-ref, stores the record and redirects to it', async () => {
    const { route: r, browser } = await connected();
    const res = await sendSms(browser, { from: 'Demo', to: '+44 7911 123456', text: 'Hello & goodbye' });
    expect(res.status).toBe(303);
    const id = /^\/messages\/([\w-]{22})$/.exec(res.headers.location as string)?.[1];
    expect(id, `redirect to the message page (got ${res.headers.location})`).toBeDefined();

    expect(r.nexmo.sends()).toEqual([
      { from: 'Demo', to: '447911123456', text: 'Hello & goodbye', type: 'text', clientRef: id, callback: `${ROUTE_APP_URL}${RECEIPT_PATH}/${ROUTE_RECEIPT_KEY}` },
    ]);
    expect(r.nexmo.calls.filter((c) => c.kind === 'sendSms').map((c) => c.access)).toEqual([{ token: 'access-token-1', secret: 'access-secret-1' }]);

    expect(await storedRecords(r)).toEqual([id]);
    const page = await browser.get(`/messages/${id}`);
    expect(page.status).toBe(200);
    expect(textOf(elementOf(page.text, 'h1'))).toMatch(/^Sent/);
    expect(textsOf(page.text, '#parts td[data-label="Message ID"]')).toEqual(['0A0000000123ABCD1']);
  });

  it('adds the send call the client returned to the connection\'s "How it works" timeline', async () => {
    const { browser } = await connected();
    const before = await browser.get('/how-it-works');
    expect(before.status).toBe(200);
    expect(before.text).not.toContain('https://rest.nexmo.test/sms/json');
    expect((await sendSms(browser, { to: LIVE_MOBILE, text: 'Trace me' })).status).toBe(303);
    const after = await browser.get('/how-it-works');
    expect(after.status).toBe(200);
    const sends = pageOf(after.text).querySelectorAll('section.call').filter((call) => call.id.startsWith('call-send-'));
    expect(sends.map((call) => call.id)).toEqual(['call-send-1']);
    expect(textOf(sends[0]!)).toContain('https://rest.nexmo.test/sms/json');
  });

  it('sends a Unicode text as type "unicode"', async () => {
    const { route: r, browser } = await connected();
    expect((await sendSms(browser, { to: LIVE_MOBILE, text: 'Ça va ? 🎉' })).status).toBe(303);
    expect(r.nexmo.sends().map((m) => [m.text, m.type])).toEqual([['Ça va ? 🎉', 'unicode']]);
  });
});

describe('POST /sms with invalid fields', () => {
  async function postInvalid() {
    const { route: r, browser } = await connected();
    const form = await browser.get('/sms');
    expect(form.status).toBe(200);
    const callsBefore = r.nexmo.calls.length;
    const res = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: 'not a number', text: 'Hello' });
    return { r, browser, res, callsOfThePost: r.nexmo.calls.slice(callsBefore) };
  }

  it('answers 400 with the form as typed and the field error, makes no send call and stores nothing', async () => {
    const { r, browser, res, callsOfThePost } = await postInvalid();
    expect(res.status).toBe(400);
    const page = pageOf(res.text);
    expect(textOf(elementOf(page, '#to-error'))).not.toBe('');
    expect(elementOf(page, '#to').getAttribute('aria-invalid')).toBe('true');
    expect(linksIn(page, '#error-summary a').map((l) => l.href)).toEqual(['#to']);
    expect(fieldValue(page, 'to')).toBe('not a number');
    expect(fieldValue(page, 'text')).toBe('Hello');
    expect(callsOfThePost.filter((c) => c.kind === 'sendSms'), 'send calls of the invalid POST').toEqual([]);
    expect(r.nexmo.sends()).toEqual([]);
    expect(await storedRecords(r)).toEqual([]);
  });

  // The re-rendered form shows the balance already known from the form's own load (routes/sms.ts):
  // an invalid POST has nothing to ask the provider.
  it('re-renders the form without asking the provider anything, not even the balance', async () => {
    const { callsOfThePost } = await postInvalid();
    expect(callsOfThePost).toEqual([]);
  });
});

describe('POST /sms with a bad CSRF token', () => {
  it('answers 403 "This form has expired" and makes no provider call', async () => {
    const { route: r, browser } = await connected();
    const res = await browser.post('/sms').type('form').send({ _csrf: 'forged', from: 'Demo', to: '447911123456', text: 'Hello' });
    expect(res.status).toBe(403);
    expect(textOf(elementOf(res.text, 'h1'))).toBe('This form has expired');
    expect(r.nexmo.calls).toEqual([]);
    expect(await storedRecords(r)).toEqual([]);
  });
});

describe('a 401 from the provider on send', () => {
  it('disconnects the browser (303 to token-revoked), keeps the send written ahead as refused, and the next form asks the provider nothing', async () => {
    const { route: r, browser } = await connected();
    r.nexmo.answerSend({ kind: 'unauthorized' });
    const res = await sendSms(browser, { to: LIVE_MOBILE, text: 'Hello' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?notice=token-revoked&return=%2Fsms');
    expect(r.nexmo.sends()).toHaveLength(1);
    // Written ahead of the call, the send stays in the history with the answer it got.
    const account = accountKeyOf(new URL(r.config.provider.oauthUrl!).origin, r.consumer.access);
    const { records } = await r.stores.messages.list(account, { offset: 0, limit: 100 });
    expect(records.map((record) => record.outcome)).toEqual([{ kind: 'unauthorized' }]);

    const callsBefore = r.nexmo.calls.length;
    const next = await browser.get('/sms');
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    expect(r.nexmo.calls.length, 'provider calls once disconnected').toBe(callsBefore);
    const home = await browser.get('/?notice=token-revoked');
    expect(home.status).toBe(200);
    expect(linksIn(home.text).map((l) => l.href)).toContain('/auth/login');
  });
});

describe('/messages and /messages/:id', () => {
  it('list and show stored messages without any provider call', async () => {
    const { route: r, browser } = await connected();
    r.nexmo.answerSend(sentOutcome('0A00000000000001'));
    const sent = await sendSms(browser, { to: LIVE_MOBILE, text: 'First' });
    expect(sent.status).toBe(303);
    const callsBefore = r.nexmo.calls.length;

    const history = await browser.get('/messages');
    expect(history.status).toBe(200);
    expect(linksIn(history.text, '#history a').map((l) => [l.href, l.text])).toEqual([[sent.headers.location, 'First']]);
    const page = await browser.get(sent.headers.location as string);
    expect(page.status).toBe(200);
    expect(textsOf(page.text, '#parts td[data-label="Message ID"]')).toEqual(['0A00000000000001']);
    const missing = await browser.get('/messages/AAAAAAAAAAAAAAAAAAAAAA');
    expect(missing.status).toBe(404);
    expect(textOf(elementOf(missing.text, 'h1'))).toBe('Message not found');

    expect(r.nexmo.calls.length, 'provider calls while reading the history').toBe(callsBefore);
  });
});

describe('the delivery-receipt webhook', () => {
  it('applies a receipt to the stored message without any provider call', async () => {
    const { route: r, browser } = await connected();
    r.nexmo.answerSend(sentOutcome('0A00000000000002'));
    const sent = await sendSms(browser, { to: LIVE_MOBILE, text: 'Receipt me' });
    const callsBefore = r.nexmo.calls.length;

    const receipt = await r
      .browser()
      .get(`${RECEIPT_PATH}/${ROUTE_RECEIPT_KEY}`)
      .query({ messageId: '0A00000000000002', status: 'delivered', 'err-code': '0', msisdn: '447911123456', 'message-timestamp': '2026-11-23 12:00:01' });
    expect(receipt.status).toBe(204);
    expect(receipt.text).toBe('');
    const page = await browser.get(sent.headers.location as string);
    expect(textOf(elementOf(page.text, 'h1'))).toBe('Delivered');
    expect(r.nexmo.calls.length, 'provider calls of the webhook').toBe(callsBefore);
  });

  it('refuses a receipt at the wrong key with 404 and changes nothing', async () => {
    const { route: r, browser } = await connected();
    r.nexmo.answerSend(sentOutcome('0A00000000000003'));
    const sent = await sendSms(browser, { to: LIVE_MOBILE, text: 'Keep me' });
    const callsBefore = r.nexmo.calls.length;
    const receipt = await r.browser().get(`${RECEIPT_PATH}/wrong-key`).query({ messageId: '0A00000000000003', status: 'delivered', 'err-code': '0' });
    expect(receipt.status).toBe(404);
    expect(receipt.text).toBe('Not found');
    const page = await browser.get(sent.headers.location as string);
    expect(textOf(elementOf(page.text, 'h1'))).not.toBe('Delivered');
    expect(r.nexmo.calls.length).toBe(callsBefore);
  });
});
