// The clock-skew explanation end to end: the mounted sandbox's demo control makes it judge one
// account's timestamps 10 minutes ahead, and the app works out the difference from the sandbox's
// Date header against its own (injected) clock. Another account's calls are not affected.
import { describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { SANDBOX_MOUNT } from '../../src/routes/paths.js';
import { expectNoSecretIn, expectProviderCalls, shouldNotSetCookie } from '../helpers/assertions.js';
import { csrfFrom, pageOf, smsFormTokens } from '../helpers/html.js';
import { connect, decideOnConsentPage, pathOf } from '../helpers/login.js';
import { sendSms } from '../helpers/smsForm.js';
import { useTestApp, type TestApp } from '../helpers/testApp.js';

/** A whole second, so the sandbox's Date header (to the second) states its clock exactly. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const CONTROLS = `${SANDBOX_MOUNT}${CONTROLS_PATH}`;
const SKEW_SENTENCE = 'this server’s clock is 600 seconds (about 10 minutes) behind Nexmo’s';

const startTestApp = useTestApp();

type Browser = ReturnType<TestApp['browser']>;

/** Presses a control on the sandbox's demo controls, open on the account this browser approved. */
async function pressControl(browser: Browser, action: string): Promise<void> {
  const page = await browser.get(CONTROLS);
  expect(page.status).toBe(200);
  const res = await browser.post(CONTROLS).type('form').send({ csrf: csrfFrom(page.text, 'csrf'), action });
  expect(res.status).toBe(303);
}

const words = (html: string) => (pageOf(html).querySelector('.message-card')?.textContent ?? '').replace(/\s+/g, ' ');

describe('a provider whose clock is 10 minutes ahead (the sandbox’s control)', () => {
  it('the form explains the skew from the first refused call, and the connection stays', async () => {
    const app = await startTestApp({}, { now: () => NOW });
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

  it('connecting again to that account explains the skew at the exchange; starting a login is judged by the sandbox’s own clock', async () => {
    const app = await startTestApp({}, { now: () => NOW });
    const presenter = await connect(app, { account: 'presenter' });
    await pressControl(presenter, 'clock-off');

    // The request token acts for no account yet: accepted.
    const login = await presenter.get('/auth/login');
    expect(login.status).toBe(302);
    expectProviderCalls(app.sandbox!, 'request_token', 2);
    // The consent page starts from the presenter's account; its clock refuses the exchange.
    const callback = await decideOnConsentPage(presenter, login.headers.location as string, 'Authorize');
    const refused = await presenter.get(pathOf(callback));
    expect(refused.status).toBe(502);
    expect(words(refused.text)).toContain(SKEW_SENTENCE);
    expect(words(refused.text)).toContain('Nothing was connected.');
    expectProviderCalls(app.sandbox!, 'access_token', 2);
    const logged = app.logEntries.find((entry) => entry.oauthProblem === 'timestamp_refused');
    expect(logged).toMatchObject({ step: 'access token', clockSkewSeconds: 600 });

    // A teammate connecting meanwhile, to another account, gets through.
    const teammate = await connect(app, { account: 'teammate' });
    expect((await teammate.get('/')).text).toContain('teammate');
    expectProviderCalls(app.sandbox!, 'access_token', 3);

    await pressControl(presenter, 'clock-right');
    await connect(app, { browser: presenter, account: 'presenter' });
    expectProviderCalls(app.sandbox!, 'access_token', 4);
  });

  it('the presenter’s clock switch refuses the presenter’s next send while a teammate’s send on another account goes through', async () => {
    const app = await startTestApp({}, { now: () => NOW });
    const [presenter, teammate] = await Promise.all([connect(app, { account: 'presenter' }), connect(app, { account: 'teammate' })]);
    const form = await presenter.get('/sms');
    expect(form.status).toBe(200);
    await pressControl(presenter, 'clock-off');

    const [refused, sent] = await Promise.all([
      presenter.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Presenter', to: '447700900123', text: 'From the presenter' }),
      sendSms(teammate, { from: 'Teammate', to: '447700900123', text: 'From the teammate' }),
    ]);
    expect(sent.status).toBe(303);
    const teammatesPage = await teammate.get(sent.headers.location as string);
    expect(teammatesPage.text).toContain('From the teammate');
    expect(refused.status).toBe(502);
    expect(words(refused.text)).toContain(SKEW_SENTENCE);
    expect(words(refused.text)).toContain('Nothing was sent.');
    expect((await app.sandbox!.outbox()).map((sms) => [sms.account, sms.text])).toEqual([['teammate', 'From the teammate']]);

    // The presenter's pages name the switch and where to turn it off; the teammate's say nothing.
    const banner = (html: string) => pageOf(html).querySelector('.demo-switches');
    const presenterHome = await presenter.get('/');
    expect(banner(presenterHome.text)?.textContent.replace(/\s+/g, ' ').trim()).toBe('Demo switch on for presenter: This app’s clock counts as 10 minutes off. Turn it off: This app’s clock counts as 10 minutes off');
    expect(banner(presenterHome.text)?.querySelector('a')?.getAttribute('href')).toBe(`${CONTROLS}#clock-title`);
    expect(banner(refused.text)).toBeNull();
    expect(banner((await presenter.get('/messages')).text)).not.toBeNull();
    // The form (its balance is known from a minute ago, so it draws) says what is switched on.
    expect(banner((await presenter.get('/sms')).text)).not.toBeNull();
    expect(banner((await teammate.get('/')).text)).toBeNull();
    expect(banner((await teammate.get('/sms')).text)).toBeNull();
    await pressControl(presenter, 'clock-right');
    expect(banner((await presenter.get('/')).text)).toBeNull();
  });
});

describe('concurrent form loads while the clock is off', () => {
  it('make one balance call between them; the loads that share it explain the skew, a later one shows the form', async () => {
    const app = await startTestApp({}, { now: () => NOW });
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
