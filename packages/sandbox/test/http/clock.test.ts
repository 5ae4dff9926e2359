import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/index.js';
import type { SandboxOptions } from '../../src/index.js';
import { TEST_CONSUMER, balanceOf, connect, parseForm, postSigned, pressControl, signIn, startSandbox } from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

/** The sandbox's clock, a whole second so its Date header (to the second) states it exactly. */
const NOW = Math.floor(Date.now() / 1000) * 1000;
const SHIFT_S = 600;
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

const requestToken = (h: SandboxHarness, timestamp?: number) =>
  postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, oauth: { oauth_callback: 'http://client.example/cb' }, ...(timestamp === undefined ? {} : { timestamp }) });

describe('the sandbox’s clock', () => {
  it('states its time in every reply’s Date header, refusals included', async () => {
    const h = await setUp();
    const ok = await requestToken(h);
    expect(ok.status).toBe(200);
    expect(ok.headers['date']).toBe(new Date(NOW).toUTCString());
    const stale = await requestToken(h, NOW / 1000 - 301);
    expect(stale.status).toBe(401);
    expect(parseForm(stale.text)['oauth_problem']).toBe('timestamp_refused');
    expect(stale.headers['date']).toBe(new Date(NOW).toUTCString());
  });

  it('"this app’s clock is 10 minutes off": judges by a clock 10 minutes ahead, for every call, until cancelled', async () => {
    const h = await setUp();
    const access = await connect(h);
    await signIn(h, undefined, 'controls');
    const pressed = await pressControl(h, 'clock-off');
    expect(pressed.status).toBe(303);
    expect(pressed.headers['location']).toBe('/sandbox/controls?done=clock-off#result');
    const page = await h.http.get('/sandbox/controls?done=clock-off');
    expect(page.text).toContain('as if the app’s clock were 10 minutes behind');
    expect(page.text).toContain('value="clock-right"');

    // A token call signed now: refused, with the range and the Date of a clock 10 minutes ahead.
    const refused = await requestToken(h, NOW / 1000);
    expect(refused.status).toBe(401);
    const body = parseForm(refused.text);
    expect(body).toEqual({ oauth_problem: 'timestamp_refused', oauth_acceptable_timestamps: `${NOW / 1000 + SHIFT_S - 300}-${NOW / 1000 + SHIFT_S + 300}` });
    expect(refused.headers['date']).toBe(new Date(NOW + SHIFT_S * 1000).toUTCString());

    // The SMS API says so in WWW-Authenticate (not Nexmo's status 14): nothing sent, nothing charged.
    const sms = await postSigned(h, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form: SMS, timestamp: NOW / 1000 });
    expect(sms.status).toBe(401);
    expect(sms.headers['www-authenticate']).toBe(`OAuth realm="Nexmo sandbox", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="${NOW / 1000 + SHIFT_S - 300}-${NOW / 1000 + SHIFT_S + 300}"`);
    expect(sms.headers['date']).toBe(new Date(NOW + SHIFT_S * 1000).toUTCString());
    expect(await h.sandbox.outbox()).toEqual([]);
    expect((await balanceOf(h, access)).status).toBe(401);

    // A client whose clock agrees with the shifted one is accepted.
    expect((await requestToken(h, NOW / 1000 + SHIFT_S)).status).toBe(200);

    expect((await pressControl(h, 'clock-right')).headers['location']).toBe('/sandbox/controls?done=clock-right#result');
    expect((await h.http.get('/sandbox/controls?done=clock-right')).text).toContain('judges timestamps by its own clock again');
    expect((await requestToken(h, NOW / 1000)).status).toBe(200);
    expect((await balanceOf(h, access)).body).toEqual({ value: 10, autoReload: false });
  });

  it('is shifted for every instance sharing the storage', async () => {
    const storage = createMemoryStorage({ now: () => NOW });
    const first = await setUp({ storage });
    const second = await setUp({ storage });
    await signIn(first, undefined, 'controls');
    await pressControl(first, 'clock-off');
    const refused = await requestToken(second, NOW / 1000);
    expect(refused.status).toBe(401);
    expect(parseForm(refused.text)['oauth_problem']).toBe('timestamp_refused');
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
