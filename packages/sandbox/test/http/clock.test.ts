import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/index.js';
import type { SandboxOptions } from '../../src/index.js';
import {
  TEST_CONSUMER,
  anotherBrowser,
  authorize,
  balanceOf,
  connect,
  getRequestToken,
  parseForm,
  postSigned,
  pressControl,
  signIn,
  startSandbox,
} from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

/** The sandbox's clock, a whole second so its Date header (to the second) states it exactly. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const NOW_S = NOW / 1000;
const SHIFT_S = 600;
const OWN_DATE = new Date(NOW).toUTCString();
const MOVED_DATE = new Date(NOW + SHIFT_S * 1000).toUTCString();
const MOVED_RANGE = `${NOW_S + SHIFT_S - 300}-${NOW_S + SHIFT_S + 300}`;
const SMS = { from: 'NexmoDemo', to: '447700900123', text: 'Hello' };

const harnesses: SandboxHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    h.sandbox.close();
    await h.close();
  }
});

async function setUp(options: SandboxOptions = {}): Promise<SandboxHarness> {
  const h = await startSandbox({ now: () => NOW, ...options });
  harnesses.push(h);
  return h;
}

type Access = { token: string; secret: string };

const requestToken = (h: SandboxHarness, timestamp?: number) =>
  postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, oauth: { oauth_callback: 'http://client.example/cb' }, ...(timestamp === undefined ? {} : { timestamp }) });

const sendSms = (h: SandboxHarness, access: Access, timestamp = NOW_S) =>
  postSigned(h, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form: SMS, timestamp });

/** The exchange that finishes a connection, signed at `timestamp`. */
const exchange = (h: SandboxHarness, rt: { token: string; secret: string }, verifier: string, timestamp = NOW_S) =>
  postSigned(h, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier }, timestamp });

/** Signs the harness's browser in to the controls as `account` and sets its app's clock off. */
async function setClockOff(h: SandboxHarness, account: string): Promise<void> {
  await signIn(h, account, 'controls');
  const pressed = await pressControl(h, 'clock-off');
  expect(pressed.status).toBe(303);
  expect(pressed.headers['location']).toBe('/sandbox/controls?done=clock-off#result');
}

describe('the sandbox’s clock', () => {
  it('states its time in every reply’s Date header, refusals included', async () => {
    const h = await setUp();
    const ok = await requestToken(h);
    expect(ok.status).toBe(200);
    expect(ok.headers['date']).toBe(OWN_DATE);
    const stale = await requestToken(h, NOW_S - 301);
    expect(stale.status).toBe(401);
    expect(parseForm(stale.text)['oauth_problem']).toBe('timestamp_refused');
    expect(stale.headers['date']).toBe(OWN_DATE);
  });

  it('"this app’s clock is 10 minutes off": judges the account’s calls by a clock 10 minutes ahead, until cancelled', async () => {
    const h = await setUp();
    const access = await connect(h, 'presenter');
    await setClockOff(h, 'presenter');
    const page = await h.http.get('/sandbox/controls?done=clock-off');
    expect(page.text).toContain('judges this account’s signed calls as if the app’s clock were 10 minutes behind');
    expect(page.text).toContain('the app’s clock counts as 10 minutes off for <strong>presenter</strong>');
    expect(page.text).toContain('value="clock-right"');

    // The SMS API says so in WWW-Authenticate (not Nexmo's status 14), with the moved clock's
    // range and Date: nothing sent, nothing charged.
    const sms = await sendSms(h, access);
    expect(sms.status).toBe(401);
    expect(sms.body).toEqual({ 'error-code': '401', 'error-code-label': 'authentication failed' });
    expect(sms.headers['www-authenticate']).toBe(`OAuth realm="Nexmo sandbox", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="${MOVED_RANGE}"`);
    expect(sms.headers['date']).toBe(MOVED_DATE);
    expect(await h.sandbox.outbox()).toEqual([]);
    const balance = await balanceOf(h, access);
    expect(balance.status).toBe(401);
    expect(balance.headers['date']).toBe(MOVED_DATE);

    // A client whose clock agrees with the moved one is accepted, and told the moved time.
    const moved = await sendSms(h, access, NOW_S + SHIFT_S);
    expect(moved.status).toBe(200);
    expect(moved.body.messages[0].status).toBe('0');
    expect(moved.headers['date']).toBe(MOVED_DATE);

    expect((await pressControl(h, 'clock-right')).headers['location']).toBe('/sandbox/controls?done=clock-right#result');
    expect((await h.http.get('/sandbox/controls?done=clock-right')).text).toContain('For this account, the sandbox judges timestamps by its own clock again');
    const after = await sendSms(h, access);
    expect(after.body.messages[0].status).toBe('0');
    expect(after.headers['date']).toBe(OWN_DATE);
    expect((await balanceOf(h, access)).body).toEqual({ value: 9.9334, autoReload: false });
  });

  it('judges a request-token call by its own clock (no account yet), and the exchange by the approved account’s', async () => {
    const h = await setUp();
    await setClockOff(h, 'presenter');

    // Starting a connection acts for nobody: accepted, on the sandbox's own clock.
    const rt = await getRequestToken(h);
    const started = await requestToken(h);
    expect(started.status).toBe(200);
    expect(started.headers['date']).toBe(OWN_DATE);

    // Finishing it for the presenter: refused on the presenter's clock, before the token is used up.
    const verifier = await authorize(h, rt.token, 'presenter');
    const refused = await exchange(h, rt, verifier);
    expect(refused.status).toBe(401);
    expect(parseForm(refused.text)).toEqual({ oauth_problem: 'timestamp_refused', oauth_acceptable_timestamps: MOVED_RANGE });
    expect(refused.headers['date']).toBe(MOVED_DATE);
    expect(h.sandbox.stats().accessTokenCalls).toBe(1);
    const finished = await exchange(h, rt, verifier, NOW_S + SHIFT_S);
    expect(finished.status).toBe(200);
    expect(parseForm(finished.text)['username']).toBe('presenter');
    expect(finished.headers['date']).toBe(MOVED_DATE);

    // Another account's exchange keeps the sandbox's own clock.
    const other = await getRequestToken(h);
    const done = await exchange(h, other, await authorize(h, other.token, 'teammate'));
    expect(done.status).toBe(200);
    expect(parseForm(done.text)['username']).toBe('teammate');
    expect(done.headers['date']).toBe(OWN_DATE);
  });

  it('the presenter’s clock switch refuses the presenter’s next send while a teammate’s send on another account goes through', async () => {
    const presenter = await setUp();
    const teammate = anotherBrowser(presenter);
    const [presenterAccess, teammateAccess] = await Promise.all([connect(presenter, 'presenter'), connect(teammate, 'teammate')]);
    await setClockOff(presenter, 'presenter');

    const [refused, sent] = await Promise.all([sendSms(presenter, presenterAccess), sendSms(teammate, teammateAccess)]);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('oauth_problem="timestamp_refused"');
    expect(refused.headers['date']).toBe(MOVED_DATE);
    expect(sent.status).toBe(200);
    expect(sent.body.messages[0]).toMatchObject({ status: '0', to: SMS.to });
    expect(sent.headers['date']).toBe(OWN_DATE);
    expect((await presenter.sandbox.outbox()).map((e) => e.account)).toEqual(['teammate']);
    const balance = await balanceOf(teammate, teammateAccess);
    expect(balance.body).toEqual({ value: 9.9667, autoReload: false });
    expect(balance.headers['date']).toBe(OWN_DATE);

    // The teammate's controls show their clock as right.
    const controls = await signIn(teammate, 'teammate', 'controls');
    expect(controls.text).toContain('value="clock-off"');
    expect(controls.text).not.toContain('value="clock-right"');
  });

  it('is shifted for every instance sharing the storage', async () => {
    const storage = createMemoryStorage({ now: () => NOW });
    const first = await setUp({ storage });
    const second = await setUp({ storage });
    const access = await connect(second, 'presenter');
    await setClockOff(first, 'presenter');
    const refused = await sendSms(second, access);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('oauth_problem="timestamp_refused"');
    expect(refused.headers['date']).toBe(MOVED_DATE);
  });

  it('reports a replayed nonce on the SMS API in WWW-Authenticate too, and sends nothing twice', async () => {
    const h = await setUp();
    const access = await connect(h);
    const sign = { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form: SMS, nonce: 'once-only-nonce' };
    expect((await postSigned(h, '/sms/json', sign)).body.messages[0].status).toBe('0');
    const replay = await postSigned(h, '/sms/json', sign);
    expect(replay.status).toBe(401);
    expect(replay.headers['www-authenticate']).toBe('OAuth realm="Nexmo sandbox", oauth_problem="nonce_used"');
    expect(await h.sandbox.outbox()).toHaveLength(1);
  });
});
