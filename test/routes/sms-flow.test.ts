// The SMS form and what a send shows, in sandbox mode with the fake provider: who may see the
// form, what it draws, bad input refused before any provider call, a result page that never
// sends again, and the provider's refusals and failed receipts in plain words. A message through
// the real sandbox, byte for byte: test/http/sms-flow.
import { describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { refusedOutcome, sentOutcome } from '../helpers/fakeNexmo.js';
import { csrfFrom, elementOf, fieldValue, pageOf, smsFormTokens, textOf } from '../helpers/html.js';
import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { ROUTE_RECEIPT_KEY, useRouteApp } from '../helpers/routeApp.js';
import { sendSms } from '../helpers/smsForm.js';

const createRouteApp = useRouteApp();

/** The form posted with exactly `fields` (no defaults filled in). */
const sendForm = (browser: ConnectedBrowser, fields: Record<string, string>) => sendSms(browser, { from: undefined, to: undefined, text: undefined, ...fields });

async function connected(options: { now?: () => number } = {}) {
  const route = createRouteApp({}, { ...options, sandbox: {} });
  return { route, browser: await connect(route) };
}

/** The submit button labelled `label`, as a person and the busy-submit script read it. */
function submitButton(html: string, label: string) {
  const button = pageOf(html).querySelectorAll('form button[type="submit"]').find((b) => textOf(b) === label);
  expect(button, `a submit button labelled ${label}`).toBeDefined();
  return { busyLabel: button!.getAttribute('data-busy-label'), primary: button!.classList.contains('button-primary'), secondary: button!.classList.contains('button-secondary') };
}

describe('the SMS form', () => {
  it('sends disconnected visitors to the start page, for the form and for a post', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const browser = route.browser();
    const form = await browser.get('/sms');
    expect(form.status).toBe(303);
    // Connecting again comes back to the form, for the page asked for and for the form posted.
    expect(form.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    const post = await browser.post('/sms').type('form').send({ from: 'Demo', to: '447700900000', text: 'hi' });
    expect(post.status).toBe(303);
    expect(post.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    expect((await browser.get('/?notice=connect-first')).text).toContain('Connect with Nexmo first');
    expect(route.nexmo.calls).toEqual([]);
  });

  it('shows labelled fields, the balance, the counter rendered by the server and the counter script', async () => {
    const { route, browser } = await connected();
    const res = await browser.get('/sms');
    expect(res.status).toBe(200);
    const page = pageOf(res.text);
    expect(page.querySelectorAll('label').map((l) => l.getAttribute('for'))).toEqual(expect.arrayContaining(['from', 'to', 'text']));
    expect(textOf(elementOf(page, '#balance strong'))).toBe('€10.00');
    expect(res.text).toContain('0 characters · the message is empty');
    expect(elementOf(page, 'script[src="/js/app/browser/sms-counter.js"]').getAttribute('type')).toBe('module');
    // A plain form post without scripts; with them, the button says "Sending…" once pressed.
    const form = elementOf(page, 'form[action="/sms"]');
    expect(form.getAttribute('method')).toBe('post');
    expect(form.hasAttribute('novalidate')).toBe(true);
    expect(form.hasAttribute('data-once')).toBe(true);
    expect(submitButton(res.text, 'Send SMS')).toEqual({ busyLabel: 'Sending…', primary: true, secondary: false });
    expect(elementOf(page, 'script[src="/js/app/browser/busy-submit.js"]').getAttribute('type')).toBe('module');
    const script = await browser.get('/js/app/browser/busy-submit.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
    expect(route.nexmo.balanceCalls()).toBe(1);
  });
});

describe('a sent message', () => {
  it('never sends twice when the result page is refreshed', async () => {
    const { route, browser } = await connected();
    const res = await sendForm(browser, { from: 'DemoApp', to: '447700900000', text: 'Once only' });
    expect(res.status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect((await browser.get(res.headers.location as string)).status).toBe(200);
    expect(route.nexmo.sends()).toHaveLength(1);
  });

  it('keeps results private to the connection that sent them', async () => {
    const { route, browser: alice } = await connected();
    const res = await sendForm(alice, { from: 'DemoApp', to: '447700900000', text: 'For Alice only' });
    expect(res.status).toBe(303);
    // Another person on the same demo signs in to another account.
    const bob = await connect(route, { account: 'bob' });
    const peek = await bob.get(res.headers.location as string);
    expect(peek.status).toBe(404);
    expect(peek.text).not.toContain('For Alice only');
    expect((await bob.get('/messages/not-an-id')).status).toBe(404);
  });

  it('shows a failed receipt in plain language', async () => {
    const { route, browser } = await connected();
    route.nexmo.answerSend(sentOutcome('0A00000000000999', '447700900999'));
    const res = await sendForm(browser, { from: 'DemoApp', to: '447700900999', text: 'Nobody home' });
    expect(res.status).toBe(303);
    const receipt = await route.browser().get(`${RECEIPT_PATH}/${ROUTE_RECEIPT_KEY}`).query({ messageId: '0A00000000000999', status: 'failed', 'err-code': '2', msisdn: '447700900999', 'message-timestamp': '2026-11-23 12:00:01' });
    expect(receipt.status).toBe(204);
    const status = await browser.get(`${res.headers.location as string}/status.json`);
    expect(status.body.complete).toBe(true);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('Not delivered');
    expect(page.text).toContain('Phone unreachable for now');
  });
});

describe('bad input is refused before anything is sent', () => {
  it('refuses a post without the form token, or with a wrong one, with 403', async () => {
    const { route, browser } = await connected();
    for (const token of [undefined, 'forged-token']) {
      const res = await browser.post('/sms').type('form').send({ ...(token ? { _csrf: token } : {}), from: 'Demo', to: '447700900000', text: 'hi' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('nothing was done');
    }
    expect(route.nexmo.sends()).toEqual([]);
  });

  it('shows each field error next to its field and keeps what the user typed', async () => {
    const { route, browser } = await connected();
    const res = await sendForm(browser, { from: 'Far Too Long A Sender', to: '+44 (abc) 123', text: '  ' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Nothing was sent');
    for (const field of ['from', 'to', 'text']) {
      expect(textOf(elementOf(res.text, `#${field}-error`)), `the ${field} error`).not.toBe('');
      expect(elementOf(res.text, `#${field}`).getAttribute('aria-invalid'), `#${field} is marked invalid`).toBe('true');
    }
    expect(fieldValue(res.text, 'from')).toBe('Far Too Long A Sender');
    expect(fieldValue(res.text, 'to')).toBe('+44 (abc) 123');
    expect(route.nexmo.sends()).toEqual([]);
  });

  it('refuses a message over 3200 characters and keeps the text', async () => {
    const { route, browser } = await connected();
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'x'.repeat(3201) });
    expect(res.status).toBe(400);
    expect(textOf(elementOf(res.text, '#text-error'))).not.toBe('');
    expect(fieldValue(res.text, 'text')).toBe('x'.repeat(3201));
    expect(route.nexmo.sends()).toEqual([]);
  });

  it('answers 3201 emoji with a field error, not a refusal to read the form', async () => {
    const { route, browser } = await connected();
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: '🎉'.repeat(3201) });
    expect(res.status).toBe(400);
    expect(textOf(elementOf(res.text, '#text-error'))).not.toBe('');
    expect(route.nexmo.sends()).toEqual([]);
  });

  it('answers a body far too large to be a form with 413 and a page, sending nothing', async () => {
    const { route, browser } = await connected();
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('That request could not be read');
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(route.nexmo.sends()).toEqual([]);
  });

  it('treats repeated fields as invalid rather than guessing', async () => {
    const { route, browser } = await connected();
    const form = await browser.get('/sms');
    const body = `_csrf=${encodeURIComponent(csrfFrom(form.text))}&sendKey=${encodeURIComponent(smsFormTokens(form.text).sendKey)}&from=Demo&to=447700900000&to=447700900001&text=hi`;
    const res = await browser.post('/sms').type('form').send(body);
    expect(res.status).toBe(400);
    expect(textOf(elementOf(res.text, '#to-error'))).not.toBe('');
    expect(route.nexmo.sends()).toEqual([]);
  });
});

describe('what the provider refuses is explained', () => {
  it('says there is not enough credit and that nothing was sent when the provider refuses the message for it', async () => {
    const { route, browser } = await connected();
    // Nexmo's status 9: the account's credit does not cover the message.
    route.nexmo.answerSend(refusedOutcome(9));
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'y'.repeat(200) });
    expect(res.status).toBe(303);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('Not sent');
    expect(page.text).toMatch(/credit/i);
    expect(route.nexmo.sends().map((sms) => sms.text)).toEqual(['y'.repeat(200)]);
  });

  it('asks the user to wait and retry when sending too fast', async () => {
    const { route, browser } = await connected({ now: () => Date.parse('2026-11-23T12:00:00Z') });
    await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'first' });
    route.nexmo.answerSend({ kind: 'throttled' });
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'second' });
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('Not sent: too many messages at once');
    expect(page.text).toContain('Wait a few seconds');
    // Like the form's, the button says "Sending…" once pressed (with the script; without it, it just posts).
    expect(submitButton(page.text, 'Send this message again')).toEqual({ busyLabel: 'Sending…', primary: false, secondary: true });
    expect(elementOf(page.text, 'script[src="/js/app/browser/busy-submit.js"]').getAttribute('type')).toBe('module');
    expect(route.nexmo.sends().map((sms) => sms.text)).toEqual(['first', 'second']);
  });
});
