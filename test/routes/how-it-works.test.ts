// "How it works": the OAuth 1.0a legs explained before connecting, and the connection's own
// timeline after, as the fakes record each exchange (the real consumer's signed calls, their
// base strings and masking: test/http/how-it-works).
import { describe, expect, it } from 'vitest';

import { elementOf, smsFormTokens, textOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

describe('the "How it works" page', () => {
  it('explains the three legs before connecting, with the button that starts them, and asks the provider nothing', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const res = await route.browser().get('/how-it-works');
    expect(res.status).toBe(200);
    expect(res.text).toContain('How connecting with OAuth 1.0a works');
    for (const leg of ['Leg 1</span> Request token', 'Leg 2</span> Approval', 'Leg 3</span> Access token', 'Leg 4</span> Signed calls']) expect(res.text).toContain(leg);
    expect(res.text).toContain('oauth_callback_confirmed=true');
    // Connecting from here comes back here.
    const button = elementOf(res.text, 'a.button-primary[href="/auth/login?return=%2Fhow-it-works"]');
    expect(textOf(button)).toBe('Connect with Nexmo');
    expect(button.classList.contains('button-large')).toBe(true);
    // A general explanation: no recorded step, and nothing was asked of the provider for it.
    expect(res.text).not.toContain('Signature base string');
    expect(res.text).not.toContain('No steps recorded');
    expect(route.consumer.tokenCalls).toEqual([]);
    expect(route.nexmo.calls).toEqual([]);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('shows every send, newest first, and the balance reads as one card saying how often', async () => {
    // The form asks for the balance at most once a minute: each load here is a minute later.
    let at = Date.parse('2026-11-23T12:00:00Z');
    const route = createRouteApp({}, { now: () => at, sandbox: {} });
    const browser = await connect(route);
    for (const text of ['First message', 'Second message']) {
      const form = await browser.get('/sms');
      const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text });
      expect(sent.status).toBe(303);
    }
    // Every form load reads the balance: far more reads than the timeline keeps.
    for (let i = 0; i < 30; i++) {
      at += 60_000;
      expect((await browser.get('/sms')).status).toBe(200);
    }
    expect(route.nexmo.sends().map((sms) => sms.text)).toEqual(['First message', 'Second message']);
    expect(route.nexmo.balanceCalls()).toBeGreaterThanOrEqual(20);

    const page = await browser.get('/how-it-works');
    expect(page.status).toBe(200);
    const titles = [...page.text.matchAll(/<h2 id="[^"]+-title"><span class="step-leg">Leg (\d)<\/span> ([^<]+)<\/h2>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(titles).toEqual([
      '1 Request token',
      '2 To Nexmo’s consent page',
      '2 Back with a verifier',
      '3 Access token',
      '4 Signed call: send an SMS (2 of 2)',
      '4 Signed call: send an SMS (1 of 2)',
      '4 Signed call: account balance',
    ]);
    // Both sends stayed, however many balance reads came after them.
    const sendCards = page.text.split('<section class="card call').filter((card) => card.includes('send an SMS ('));
    expect(sendCards[0]).toMatch(/text%3DSecond%2520message/);
    expect(sendCards[1]).toMatch(/text%3DFirst%2520message/);
    expect(page.text).toMatch(/Account balance read at least 20 times, last at [^<]+<\/strong>\. The details below are of the latest\./);
  });

  it('keeps the login’s steps and counts a few balance reads exactly', async () => {
    let at = Date.parse('2026-11-23T12:00:00Z');
    const route = createRouteApp({}, { now: () => at, sandbox: {} });
    const browser = await connect(route);
    for (let i = 0; i < 3; i++) {
      expect((await browser.get('/sms')).status).toBe(200);
      at += 60_000;
    }
    expect(route.nexmo.balanceCalls()).toBe(3);
    const page = await browser.get('/how-it-works');
    expect(page.text.match(/<h2[^>]*>.*Signed call: account balance<\/h2>/g)).toHaveLength(1);
    expect(page.text).toMatch(/Account balance read 3 times, last at /);
    expect(page.text).toContain('Back with a verifier');
  });
});
