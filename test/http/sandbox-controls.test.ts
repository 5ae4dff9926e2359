// The sandbox's demo controls driving the app: a revoked grant disconnects the user, a held
// call shows the app's timeout page, the balance follows the sends, and the test numbers' links
// fill in the SMS form. Run over every store the app keeps the sandbox's state in: memory, and
// SQLite and Redis sealed as in production (where counters and sealed values live side by side).
import { afterAll, describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { SANDBOX_MOUNT } from '../../src/routes/paths.js';
import { TEST_NUMBERS_LIMITS_NOTE } from '../../src/present/demoSwitches.js';
import { csrfFrom, elementOf, fieldValue, formFor, textOf } from '../helpers/html.js';
import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { sendSms } from '../helpers/smsForm.js';
import { allBackends, type Backend } from '../helpers/storeBackends.js';
import { useSharedTestApp, useTestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();
/** At the defaults, with the in-memory store: shared by the specs below the per-store ones, each on accounts of its own. */
const memoryApp = useSharedTestApp();

const backends = allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

type Browser = ConnectedBrowser;

const CONTROLS = `${SANDBOX_MOUNT}${CONTROLS_PATH}`;

/** Presses a control on the sandbox's demo controls, which open on the account this browser approved. */
async function pressControl(browser: Browser, action: string, extra: Record<string, string> = {}) {
  const page = await browser.get(CONTROLS);
  expect(page.status).toBe(200);
  const csrf = csrfFrom(page.text, 'csrf');
  const res = await browser.post(CONTROLS).type('form').send({ csrf, action, ...extra });
  expect(res.status).toBe(303);
}

let sent = 0;
/** A send of a new text each time: the same text again to the same number would be held as a repeat. */
const send = (browser: Browser, to = '447700900123') => sendSms(browser, { from: 'DemoApp', to, text: `Hello ${++sent}` });

/** The balance the SMS form shows. */
async function formBalance(browser: Browser): Promise<string | undefined> {
  const form = await browser.get('/sms');
  expect(form.status).toBe(200);
  return /Balance: <strong>([^<]+)<\/strong>/.exec(form.text)?.[1];
}

/** The balance the demo controls show for the signed-in sandbox account. */
async function controlsBalance(browser: Browser): Promise<string | undefined> {
  const page = await browser.get(CONTROLS);
  expect(page.status).toBe(200);
  return /has <strong>([^<]+)<\/strong> left/.exec(page.text)?.[1];
}

describe.each(backends)('the sandbox demo controls, from the app, with the $name store', (backend: Backend) => {
  // The specs at the defaults share one server, each on a sandbox account of its own.
  const appAtDefaults = useSharedTestApp(() => backend.env());

  it('revoking the app’s access: the next call gets 401 and the app disconnects the user', async () => {
    const app = appAtDefaults();
    const browser = await connect(app);
    expect((await browser.get('/sms')).status).toBe(200);
    await pressControl(browser, 'revoke');

    // The next signed call (a send: the form's balance is read at most once a minute) is refused.
    const smsCalls = app.sandbox!.stats().smsCalls;
    const sent = await send(browser);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe('/?notice=token-revoked&return=%2Fsms');
    // The send reached the sandbox, which refused the revoked token.
    expect(app.sandbox!.stats().smsCalls).toBe(smsCalls + 1);
    const home = await browser.get('/?notice=token-revoked');
    expect(home.text).toContain('Nexmo no longer accepts this connection (it may have been revoked or expired), so the app disconnected you.');
    expect(home.text).toContain('Connect with Nexmo');
    expect((await browser.get('/sms')).headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    // Nothing can be sent with the old connection.
    expect((await app.sandbox!.outbox()).filter((sms) => sms.text === `Hello ${sent}`)).toEqual([]);
    // Connecting again works.
    await connect(app, { browser });
    expect((await browser.get('/sms')).status).toBe(200);
  });

  it('a send takes its price from the balance, as the form and the demo controls both show', async () => {
    // The form reads the balance at most once a minute; the sandbox signs by the real clock.
    let at = Date.now();
    const app = await startTestApp(await backend.env(), { now: () => at, sandbox: { now: Date.now } });
    const browser = await connect(app);
    expect(await formBalance(browser)).toBe('€10.00');
    expect(await controlsBalance(browser)).toBe('€10.00');

    for (let i = 0; i < 3; i++) {
      at += 1_000;
      expect((await send(browser)).status).toBe(303);
    }
    expect(await app.sandbox!.outbox()).toHaveLength(3);
    // Three one-part messages at €0.0333: €9.9001 left.
    expect(await formBalance(browser)).toBe('€9.90');
    expect(await controlsBalance(browser)).toMatch(/^€9\.90/);

    await pressControl(browser, 'reset-balance');
    at += 60_000;
    expect(await formBalance(browser)).toBe('€10.00');
    expect(await controlsBalance(browser)).toBe('€10.00');
  });

  it('"time out": the app gives up after OAUTH_TIMEOUT_MS and says it does not know; nothing was sent', async () => {
    // Long enough for the login's calls on a busy machine; the held call never answers, so the
    // app's own deadline is what ends it.
    const app = await startTestApp({ ...(await backend.env()), OAUTH_TIMEOUT_MS: '3000' });
    const browser = await connect(app);
    await pressControl(browser, 'stall', { call: 'sms' });
    const res = await send(browser);
    expect(res.status).toBe(303);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('don’t know whether it was sent');
    await expect.poll(() => app.logs.some((line) => line.includes('gave up on the held sms call'))).toBe(true);
    expect(await app.sandbox!.outbox()).toEqual([]);
  });

  it('"slow": the next send waits, then goes through', async () => {
    const app = await startTestApp(await backend.env(), { sandbox: { slowCallMs: 400 } });
    const browser = await connect(app);
    await pressControl(browser, 'slow', { call: 'sms' });
    const res = await send(browser);
    // The call was held as armed (the sandbox says so), and answered all the same.
    expect(app.logs.some((line) => line.includes('sms call held (slow, up to 400 ms)'))).toBe(true);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toMatch(/<h1[^>]*>(Sent|Delivered)<\/h1>/);
    expect(await app.sandbox!.outbox()).toHaveLength(1);
  });

  it('the sandbox links its test numbers to the SMS form, which fills in a valid number and ignores anything else', async () => {
    const app = appAtDefaults();
    const browser = await connect(app);
    const controls = await browser.get(CONTROLS);
    expect(controls.status).toBe(200);
    expect(controls.text).toContain('href="/sms?to=447700900999"');
    expect(controls.text).toContain('<a href="/">Back to the app</a>');
    // Beside the test numbers, which of this app's limits apply to them, in the app's words.
    expect(textOf(elementOf(controls.text, '#host-app-limits'))).toBe(TEST_NUMBERS_LIMITS_NOTE);

    const linked = await browser.get('/sms?to=447700900999');
    // Written as a person writes it, not as the link's digits.
    expect(fieldValue(linked.text, 'to')).toBe('+44 7700 900999');
    // From is filled too: nothing sent yet, so the app's default sender.
    expect(fieldValue(linked.text, 'from')).toBe('NexmoSMS');
    for (const bad of ['%3Cscript%3E', '0447700900999', '12', '447700900999&to=447700900998', '%22%3E%3Cb%3E']) {
      const page = await browser.get(`/sms?to=${bad}`);
      expect(page.status, bad).toBe(200);
      expect(fieldValue(page.text, 'to'), bad).toBe('');
      expect(page.text, bad).not.toContain('<script>');
      expect(page.text, bad).not.toContain('"><b>');
    }
  });
});

describe('a test number carried into the form ("Use this number")', () => {
  it('fills From with the sender this account used last, or the app’s default before its first send', async () => {
    const app = memoryApp();
    const browser = await connect(app, { account: 'ursula' });
    const controls = await browser.get(CONTROLS);
    const link = /href="(\/sms\?to=447700900999)"/.exec(controls.text)?.[1] as string;
    expect(link).toBe('/sms?to=447700900999');
    const first = await browser.get(link);
    expect(first.status).toBe(200);
    expect(fieldValue(first.text, 'from')).toBe('NexmoSMS');
    expect(fieldValue(first.text, 'to')).toBe('+44 7700 900999');

    expect((await send(browser)).status).toBe(303);
    const again = await browser.get(link);
    expect(fieldValue(again.text, 'from')).toBe('DemoApp');
    expect(fieldValue(again.text, 'to')).toBe('+44 7700 900999');
    // Another account's last sender is not this one's.
    const bob = await connect(app, { account: 'victor' });
    const bobs = await bob.get(link);
    expect(fieldValue(bobs.text, 'from')).toBe('NexmoSMS');
    // The form as filled in goes without a correction: only the text is left to write.
    const { fields } = formFor(bobs.text, /^Send SMS$/);
    const sent = await bob.post('/sms').type('form').send({ ...fields, text: 'Straight from the test numbers' });
    expect(sent.status).toBe(303);
    const outbox = (await app.sandbox!.outbox()).filter((sms) => ['ursula', 'victor'].includes(sms.account));
    expect(outbox).toHaveLength(2);
    expect(outbox[0]).toMatchObject({ account: 'victor', from: 'NexmoSMS', to: '447700900999' });
  });
});

describe('the sandbox’s outbox and controls after connecting', () => {
  it('open as the account approved on the consent page, without asking to sign in; Switch account still changes it', async () => {
    const app = memoryApp();
    const bob = await connect(app, { account: 'bob' });
    const carol = await connect(app, { account: 'carol' });
    expect((await send(bob, '447700900111')).status).toBe(303);
    expect((await send(carol, '447700900222')).status).toBe(303);

    const outbox = await bob.get(`${SANDBOX_MOUNT}/outbox`);
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain('Signed in to the sandbox as <strong>bob</strong>');
    expect(outbox.text).toContain('447700900111');
    expect(outbox.text).not.toContain('447700900222');
    const controls = await bob.get(CONTROLS);
    expect(controls.status).toBe(200);
    expect(controls.text).toContain('Signed in to the sandbox as <strong>bob</strong>');
    expect(controls.text).toContain('<strong>bob</strong> has <strong>€9.97</strong> left.');
    // The other browser sees its own account, not the last one connected.
    const carolsOutbox = await carol.get(`${SANDBOX_MOUNT}/outbox`);
    expect(carolsOutbox.text).toContain('Signed in to the sandbox as <strong>carol</strong>');
    expect(carolsOutbox.text).toContain('447700900222');
    expect(carolsOutbox.text).not.toContain('447700900111');

    // Connecting again: the consent page starts from the account this browser uses.
    const login = await bob.get('/auth/login');
    const consent = await bob.get(new URL(login.headers.location as string).pathname + new URL(login.headers.location as string).search);
    expect(consent.text).toMatch(/<input type="radio" name="account" [^>]*value="bob"[^>]* checked/);
    expect(consent.text.match(/<input type="radio"[^>]* checked>/g)).toHaveLength(1);

    // Switch account: the sign-in form, starting from bob, then alice's (empty) outbox.
    const switchPage = await bob.get(`${SANDBOX_MOUNT}/signin?next=outbox`);
    expect(switchPage.text).toMatch(/value="bob"[^>]* checked/);
    const switched = await bob.post(`${SANDBOX_MOUNT}/signin`).type('form').send({ next: 'outbox', account: 'alice' });
    expect(switched.status).toBe(303);
    const alices = await bob.get(`${SANDBOX_MOUNT}/outbox`);
    expect(alices.text).toContain('Signed in to the sandbox as <strong>alice</strong>');
    expect(alices.text).not.toContain('447700900111');
  });

  it('a browser that has not approved anything is still asked to sign in', async () => {
    const app = memoryApp();
    await connect(app, { account: 'bob' });
    const stranger = app.browser();
    const res = await stranger.get(`${SANDBOX_MOUNT}/outbox`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${SANDBOX_MOUNT}/signin?next=outbox`);
  });
});
