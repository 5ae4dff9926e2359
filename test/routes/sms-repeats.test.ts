// The SMS route's answer to a form that would send money twice by itself: the same text to the
// same number from the same browser a moment ago (Back, then Send, after the browser refilled a
// new form), a form drawn while another tab connected to another account, and a send the
// provider refused, which must cost no limit and no repeat. Over createApp with a NexmoClient
// that records every call and the in-memory stores.

import { afterEach, describe, expect, it } from 'vitest';

import { refusedOutcome, sentOutcome } from '../helpers/fakeNexmo.js';
import { elementOf, fieldValue, linksIn, smsFormTokens, textOf } from '../helpers/html.js';
import { connect, pathOf } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';

const NOW = Date.parse('2026-11-23T09:44:00Z');
const SMS = { from: 'Demo', to: '+44 7400 123456', text: 'See you at 10' };
/** Nexmo's status 6: an unroutable number, refused whole. */
const REJECTED = refusedOutcome(6);

const createRouteApp = useRouteApp();
let at = NOW;
afterEach(() => {
  at = NOW;
});

type Browser = ReturnType<RouteApp['browser']>;

async function start(env: Record<string, string> = {}): Promise<{ r: RouteApp; browser: Browser }> {
  const r = createRouteApp(env, { now: () => at });
  return { r, browser: await connect(r) };
}

/** Draws a new form and posts `fields` with its tokens, as a browser does. */
async function send(browser: Browser, fields: Record<string, string> = SMS, headers: Record<string, string> = {}) {
  const form = await browser.get('/sms');
  expect(form.status).toBe(200);
  return browser.post('/sms').set(headers).type('form').send({ ...smsFormTokens(form.text), ...fields });
}

const idIn = (location: unknown) => String(location).split('/').pop() as string;

describe('the same text to the same number again, from a new form', () => {
  it('is not sent: it answers with the earlier message, and no provider call is made', async () => {
    const { r, browser } = await start();
    const first = await send(browser);
    expect(first.status).toBe(303);
    at += 60_000;

    const again = await send(browser);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/sms?again=${idIn(first.headers.location)}`);
    expect(r.nexmo.sends()).toHaveLength(1);

    const page = await browser.get(again.headers.location as string);
    expect(page.status).toBe(200);
    expect(textOf(elementOf(page.text, '#repeat-notice'))).toBe(
      'You sent this at 23 Nov 2026, 09:44:00 UTC to +44 7400 123456 (United Kingdom), so it was not sent again. Open that message, or press Send it again to send it once more.',
    );
    expect(linksIn(page.text, '#repeat-notice a')).toEqual([{ href: first.headers.location, text: 'Open that message' }]);
    // The form holds the earlier message, to be sent again only on purpose.
    expect([fieldValue(page.text, 'from'), fieldValue(page.text, 'to'), fieldValue(page.text, 'text')]).toEqual(['Demo', '+44 7400 123456', 'See you at 10']);
    expect(textOf(elementOf(page.text, 'form button[type=submit]'))).toBe('Send it again');
    expect(r.nexmo.sends()).toHaveLength(1);
  });

  it('answers a script with 409 and the earlier message, as JSON', async () => {
    const { r, browser } = await start();
    const first = await send(browser);
    const again = await send(browser, SMS, { Accept: 'application/json' });
    expect(again.status).toBe(409);
    expect(again.body.error.title).toBe('This message was sent a moment ago');
    expect(again.body.error.message).toContain(`(message ${idIn(first.headers.location)})`);
    expect(r.nexmo.sends()).toHaveLength(1);
  });

  it('is sent once more from "Send it again", and that form is held like any other once it has sent', async () => {
    const { r, browser } = await start();
    const first = idIn((await send(browser)).headers.location);
    const repeatForm = await browser.get(`/sms?again=${first}`);
    const deliberate = await browser.post('/sms').type('form').send({ ...smsFormTokens(repeatForm.text), ...SMS });
    expect(deliberate.status).toBe(303);
    expect(deliberate.headers.location).toMatch(/^\/messages\/[\w-]{22}$/);
    expect(r.nexmo.sends()).toHaveLength(2);
    // The same "Send it again" form posted once more is the same send.
    const twice = await browser.post('/sms').type('form').send({ ...smsFormTokens(repeatForm.text), ...SMS });
    expect(twice.headers.location).toBe(deliberate.headers.location);
    expect(r.nexmo.sends()).toHaveLength(2);
  });

  it('is sent when the text, the number or the browser differs, or after ten minutes', async () => {
    const { r, browser } = await start();
    await send(browser);
    expect((await send(browser, { ...SMS, text: 'See you at 11' })).headers.location).toMatch(/^\/messages\//);
    expect((await send(browser, { ...SMS, to: '+44 7400 123457' })).headers.location).toMatch(/^\/messages\//);
    // A teammate on the same account, in their own browser.
    const teammate = await connect(r);
    expect((await send(teammate)).headers.location).toMatch(/^\/messages\//);
    at += 10 * 60_000;
    expect((await send(browser)).headers.location).toMatch(/^\/messages\//);
    expect(r.nexmo.sends()).toHaveLength(5);
  });

  it('ignores an "again" that names no send of this account', async () => {
    const { r, browser } = await start();
    for (const again of ['AAAAAAAAAAAAAAAAAAAAAA', '<script>', '../../etc']) {
      const page = await browser.get('/sms').query({ again });
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('id="repeat-notice"');
      expect(textOf(elementOf(page.text, 'form button[type=submit]'))).toBe('Send SMS');
    }
    expect(r.nexmo.sends()).toEqual([]);
  });
});

describe('a send the provider refused', () => {
  it('counts against no limit, and the same text can be sent again at once', async () => {
    const { r, browser } = await start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '1', LIMIT_SMS_PER_NUMBER_PER_HOUR: '1' });
    r.nexmo.answerSend(REJECTED);
    const refused = await send(browser);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(/^\/messages\//);

    // Neither the limit of one a minute nor the repeat check holds the next try.
    r.nexmo.answerSend(sentOutcome());
    const retried = await send(browser);
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toMatch(/^\/messages\//);
    expect(retried.headers.location).not.toBe(refused.headers.location);
    expect(r.nexmo.sends()).toHaveLength(2);

    // The send that went out did count: a third is refused by the limit, asking Nexmo nothing.
    const third = await send(browser, { ...SMS, text: 'Something else' });
    expect(third.status).toBe(429);
    expect(r.nexmo.sends()).toHaveLength(2);
  });

  it('still counts when the provider may have sent it (no answer in time)', async () => {
    const { r, browser } = await start({ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '1' });
    r.nexmo.answerSend({ kind: 'unknown' });
    expect((await send(browser)).status).toBe(303);
    r.nexmo.answerSend(sentOutcome());
    expect((await send(browser, { ...SMS, text: 'Another' })).status).toBe(429);
    expect(r.nexmo.sends()).toHaveLength(1);
  });
});

describe('a form drawn before another tab connected to another account', () => {
  it('sends nothing and says which account is connected now, keeping what was typed', async () => {
    const { r, browser } = await start();
    const alicesForm = await browser.get('/sms');
    // Another tab of the same browser connects as carol.
    r.consumer.access.token = 'carols-token';
    r.consumer.access.extra.username = 'carol';
    const login = await browser.get('/auth/login');
    const done = await browser.get(pathOf(await r.approve(browser, login.headers.location as string)));
    expect(done.headers.location).toBe('/?notice=switched');
    expect((await browser.get('/?notice=switched')).text).toContain('You are now connected as carol, in place of the account this browser was connected to before.');

    const res = await browser.post('/sms').type('form').send({ ...smsFormTokens(alicesForm.text), ...SMS });
    expect(res.status).toBe(409);
    expect(textOf(elementOf(res.text, '#account-changed'))).toBe(
      'You are now connected as carol. Another tab connected since this form was filled in, so nothing was sent. Your message is below: check it, and send it from carol if that is what you meant.',
    );
    expect(fieldValue(res.text, 'text')).toBe('See you at 10');
    expect(r.nexmo.sends()).toEqual([]);
    // The form shown is carol's: sending it now goes out once, as carol.
    const resent = await browser.post('/sms').type('form').send({ ...smsFormTokens(res.text), ...SMS });
    expect(resent.status).toBe(303);
    expect(r.nexmo.sends()).toHaveLength(1);
    expect(r.nexmo.calls.find((c) => c.kind === 'sendSms')?.access.token).toBe('carols-token');
  });
});
