// The clock-skew explanation end to end: the mounted sandbox's demo control makes it judge
// timestamps 10 minutes ahead, and the app works out the difference from the sandbox's Date
// header against its own (injected) clock.
import { afterEach, describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { SANDBOX_MOUNT } from '../../src/boot/provider.js';
import { expectNoSecretIn, expectProviderCalls, shouldNotSetCookie } from '../helpers/assertions.js';
import { pageOf } from '../helpers/html.js';
import { connect, csrfFrom, startTestApp, type TestApp } from '../helpers/testApp.js';

/** A whole second, so the sandbox's Date header (to the second) states its clock exactly. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const CONTROLS = `${SANDBOX_MOUNT}${CONTROLS_PATH}`;
const SKEW_SENTENCE = 'this server’s clock is 600 seconds (about 10 minutes) behind Nexmo’s';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

type Browser = ReturnType<TestApp['browser']>;

async function pressControl(browser: Browser, action: string): Promise<void> {
  const signIn = await browser.post(`${SANDBOX_MOUNT}/signin`).type('form').send({ next: 'controls' });
  expect(signIn.headers.location).toBe(CONTROLS);
  const page = await browser.get(CONTROLS);
  const res = await browser.post(CONTROLS).type('form').send({ csrf: csrfFrom(page.text, 'csrf'), action });
  expect(res.status).toBe(303);
}

const words = (html: string) => (pageOf(html).querySelector('.message-card')?.textContent ?? '').replace(/\s+/g, ' ');

describe('a provider whose clock is 10 minutes ahead (the sandbox’s control)', () => {
  it('the form explains the skew from the first refused call, and the connection stays', async () => {
    app = await startTestApp({}, { now: () => NOW });
    const browser = await connect(app);
    await pressControl(browser, 'clock-off');

    const form = await browser.get('/sms');
    expect(form.status).toBe(502);
    expect(words(form.text)).toContain('This server’s clock is off');
    expect(words(form.text)).toContain(SKEW_SENTENCE);
    expect(words(form.text)).toContain('NTP');
    expect(form.text).not.toContain('oauth_acceptable_timestamps');
    expectNoSecretIn(form, app.provider.consumerSecret);
    expectProviderCalls(app.sandbox!, 'balance', 1);
    expectProviderCalls(app.sandbox!, 'sms', 0);
    const logged = app.logEntries.find((entry) => entry.oauthProblem === 'timestamp_refused');
    expect(logged?.msg).toContain('oauth_problem=timestamp_refused clock_skew=600s');
    expect(logged?.clockSkewSeconds).toBe(600);
    // The token is fine: the person is still connected, and the form is back once the clock is right.
    expect((await browser.get('/')).text).toContain('Disconnect');
    await pressControl(browser, 'clock-right');
    expect((await browser.get('/sms')).status).toBe(200);
  });

  it('connecting explains the skew at the request token, and starts no login', async () => {
    app = await startTestApp({}, { now: () => NOW });
    const presenter = app.browser();
    await pressControl(presenter, 'clock-off');

    const login = await app.browser().get('/auth/login');
    expect(login.status).toBe(502);
    expect(words(login.text)).toContain(SKEW_SENTENCE);
    expect(words(login.text)).toContain('Nothing was connected.');
    shouldNotSetCookie(login);
    expectProviderCalls(app.sandbox!, 'request_token', 1);

    await pressControl(presenter, 'clock-right');
    expect((await app.browser().get('/auth/login')).status).toBe(302);
    expectProviderCalls(app.sandbox!, 'request_token', 2);
  });
});

describe('concurrent form loads while the clock is off', () => {
  it('make one balance call between them; the loads that share it explain the skew, a later one shows the form', async () => {
    app = await startTestApp({}, { now: () => NOW });
    const browser = await connect(app);
    await pressControl(browser, 'clock-off');
    const loads = await Promise.all([1, 2, 3].map(() => browser.get('/sms').then((res) => res)));
    // Which loads share the call depends on when each reaches it: one that arrives after the call
    // has ended loses this minute's claim and gets the form with no balance, never a second call.
    const explained = loads.filter((res) => res.status === 502);
    expect(explained.length).toBeGreaterThanOrEqual(1);
    for (const res of explained) expect(words(res.text)).toContain(SKEW_SENTENCE);
    for (const res of loads.filter((load) => load.status !== 502)) {
      expect(res.status).toBe(200);
      expect(pageOf(res.text).querySelector('form[action="/sms"]')).not.toBeNull();
      expect(pageOf(res.text).querySelector('#balance strong')).toBeNull();
    }
    // The balance is read at most once a minute per account, however many loads race.
    expectProviderCalls(app.sandbox!, 'balance', 1);
    expectProviderCalls(app.sandbox!, 'sms', 0);
  });
});
