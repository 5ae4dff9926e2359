import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'node-html-parser';
import { createMemoryStorage, createSandbox, TEST_NUMBERS } from '../../src/index.js';
import type { SandboxOptions } from '../../src/index.js';
import {
  TEST_CONSUMER,
  authorizationHeader,
  authorize,
  connect,
  controlsToken,
  formBody,
  getRequestToken,
  parseForm,
  postSigned,
  pressControl,
  rfc3986,
  signIn,
  signRequest,
  startSandbox, balanceOf } from '../helpers/sandboxClient.js';
import type { SandboxHarness } from '../helpers/sandboxClient.js';

let h: SandboxHarness | undefined;
let logs: string[] = [];

afterEach(async () => {
  h?.sandbox.close();
  await h?.close();
  h = undefined;
});

async function setUp(options: SandboxOptions = {}): Promise<SandboxHarness> {
  logs = [];
  h = await startSandbox({ log: (line) => logs.push(line), ...options });
  return h;
}

type Access = { token: string; secret: string };

function sendSms(harness: SandboxHarness, access: Access, form: Record<string, string>) {
  return postSigned(harness, '/sms/json', { ...TEST_CONSUMER, token: access.token, tokenSecret: access.secret, form });
}

/** A signed /sms/json call over fetch, so the test can give up on it like a client with a timeout. */
function fetchSms(harness: SandboxHarness, access: Access, form: Record<string, string>, signal?: AbortSignal) {
  const url = `${harness.base}/sms/json`;
  const oauth = signRequest({ ...TEST_CONSUMER, method: 'POST', url, token: access.token, tokenSecret: access.secret, form });
  return fetch(url, {
    method: 'POST',
    headers: { Authorization: authorizationHeader(oauth), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formBody(form),
    ...(signal === undefined ? {} : { signal }),
  });
}

const SMS = { from: 'NexmoDemo', to: '447700900123', text: 'Hello' };

/** One CSP directive's value, e.g. "'self' http://client.example" for form-action. */
function directive(csp: string, name: string): string | undefined {
  for (const part of csp.split(';')) {
    const [key, ...values] = part.trim().split(/\s+/);
    if (key === name) return values.join(' ');
  }
  return undefined;
}

describe('the headers of the sandbox pages', () => {
  it('a consent page: no script, no framing, no referrer, nosniff, and form-action allowing exactly its callback origin', async () => {
    const harness = await setUp();
    const { token } = await getRequestToken(harness, 'http://other.example:8080/auth/callback?x=1#frag');
    const res = await harness.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
    expect(res.status).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(directive(csp, 'default-src')).toBe("'none'");
    expect(directive(csp, 'script-src')).toBeUndefined();
    expect(directive(csp, 'style-src')).toBe("'self'");
    expect(directive(csp, 'form-action')).toBe("'self' http://other.example:8080");
    expect(directive(csp, 'frame-ancestors')).toBe("'none'");
    expect(directive(csp, 'base-uri')).toBe("'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');

    // Each page allows its own token's callback, and only that one.
    const second = await getRequestToken(harness, 'https://third.example/cb');
    const page = await harness.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(second.token)}`);
    expect(directive(page.headers['content-security-policy'] as string, 'form-action')).toBe("'self' https://third.example");
    const oob = await getRequestToken(harness, 'oob');
    const oobPage = await harness.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(oob.token)}`);
    expect(directive(oobPage.headers['content-security-policy'] as string, 'form-action')).toBe("'self'");
  });

  it('the sign-in, outbox and controls pages post only to the sandbox; the stylesheet is nosniff', async () => {
    const harness = await setUp();
    const signInPage = await harness.http.get('/sandbox/signin');
    const outbox = await signIn(harness);
    const controls = await harness.http.get('/sandbox/controls');
    for (const res of [signInPage, outbox, controls]) {
      expect(res.status).toBe(200);
      const csp = res.headers['content-security-policy'] as string;
      expect(directive(csp, 'form-action')).toBe("'self'");
      expect(directive(csp, 'default-src')).toBe("'none'");
      expect(directive(csp, 'frame-ancestors')).toBe("'none'");
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.text).not.toMatch(/<script|\sstyle="/i);
    }
    const css = await harness.http.get('/sandbox/sandbox-assets/sandbox.css');
    expect(css.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('the sandbox sign-in', () => {
  it('sends a visitor without a session to the sign-in, which offers the consent page’s accounts', async () => {
    const harness = await setUp();
    for (const page of ['outbox', 'controls']) {
      const res = await harness.http.get(`/sandbox/${page}`);
      expect(res.status).toBe(303);
      expect(res.headers['location']).toBe(`/sandbox/signin?next=${page}`);
    }
    const form = await harness.http.get('/sandbox/signin?next=controls');
    expect(form.text).toMatch(/<fieldset[^>]*>\s*<legend>Sign in to the sandbox as<\/legend>/);
    expect(form.text).toContain('<input type="hidden" name="next" value="controls">');
    // The same picker: an account of one's own under a fresh name, the shared ones unchecked.
    const picker = parse(form.text);
    expect(picker.querySelector('#account-own')?.hasAttribute('checked')).toBe(true);
    expect(picker.querySelector('#account-name')?.getAttribute('value')).toMatch(/^[a-z]+-[a-z]+$/);
    for (const name of ['alice', 'bob', 'carol']) expect(picker.querySelector(`input[value="${name}"]`)?.hasAttribute('checked'), name).toBe(false);
  });

  it('gives a sign-in posted with no account an account of its own, and remembers every sign-in’s choice', async () => {
    const harness = await setUp();
    const res = await harness.http.post('/sandbox/signin').type('form').send(formBody({ next: 'controls' }));
    expect(res.status).toBe(303);
    const remembered = ((res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('nexmo_sandbox_account=')) as string).split(';')[0] as string;
    const account = remembered.split('=')[1] as string;
    expect(account).toMatch(/^[a-z]+-[a-z]+$/);
    const controls = await harness.http.get('/sandbox/controls');
    expect(controls.text).toContain(`Signed in to the sandbox as <strong>${account}</strong>`);
    // Switching starts from it.
    const switchPage = parse((await harness.http.get('/sandbox/signin?next=outbox')).text);
    expect(switchPage.querySelector('#account-name')?.getAttribute('value')).toBe(account);
    expect(switchPage.querySelector('label[for="account-own"]')?.text).toBe('Your own account');
  });

  it('sets an HttpOnly, SameSite=Lax cookie scoped to the mount path, kept in the storage', async () => {
    const storage = createMemoryStorage();
    const harness = await setUp({ storage });
    const res = await harness.http.post('/sandbox/signin').type('form').send(formBody({ next: 'controls', account: 'bob' }));
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe('/sandbox/controls');
    const [cookie, remembered] = res.headers['set-cookie'] as unknown as [string, string];
    expect(remembered).toMatch(/^nexmo_sandbox_account=bob; Max-Age=2592000; Path=\/sandbox; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    expect(cookie).toMatch(/^nexmo_sandbox_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; Path=\/sandbox(;|$)/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; SameSite=Lax(;|$)/);
    expect(cookie).not.toMatch(/; Secure/);

    // Another instance on the same storage knows the session.
    const other = await startSandbox({ storage });
    try {
      const page = await other.http.get('/sandbox/controls').set('Cookie', cookie.split(';')[0] as string);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Signed in to the sandbox as <strong>bob</strong>');
    } finally {
      await other.close();
    }
  });

  it('refuses an invalid account name like the consent page, and a sign-in posted from another site', async () => {
    const harness = await setUp();
    const bad = await harness.http.post('/sandbox/signin').type('form').send(formBody({ next: 'outbox', account: 'carol', account_name: 'not valid!' }));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("That account name can't be used");
    expect(bad.text).toMatch(/value="carol" checked/);
    expect(bad.headers['set-cookie']).toBeUndefined();

    const crossSite = await harness.http.post('/sandbox/signin').set('Sec-Fetch-Site', 'cross-site').type('form').send(formBody({ account: 'alice' }));
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();
  });

  it('ignores a cookie it did not issue', async () => {
    const harness = await setUp();
    const res = await harness.http.get('/sandbox/outbox').set('Cookie', `nexmo_sandbox_session=${'A'.repeat(43)}`);
    expect(res.status).toBe(303);
  });
});

describe('the outbox page', () => {
  it('lists only the signed-in account’s messages, with a switch-account link and the controls', async () => {
    const harness = await setUp();
    const alice = await connect(harness, 'alice');
    const bob = await connect(harness, 'bob');
    await sendSms(harness, alice, { ...SMS, to: '447700900111', text: 'from alice' });
    await sendSms(harness, bob, { ...SMS, to: '447700900222', text: 'from bob' });

    const alicePage = await signIn(harness, 'alice');
    expect(alicePage.text).toContain('from alice');
    expect(alicePage.text).toContain('447700900111');
    expect(alicePage.text).not.toContain('from bob');
    expect(alicePage.text).not.toContain('447700900222');
    expect(alicePage.text).toContain('href="/sandbox/signin?next=outbox">Switch account</a>');
    expect(alicePage.text).toContain('href="/sandbox/controls"');

    const bobPage = await signIn(harness, 'bob');
    expect(bobPage.text).toContain('from bob');
    expect(bobPage.text).not.toContain('from alice');
    expect(bobPage.text).not.toContain('447700900111');
    // The programmatic accessor still sees everything.
    expect((await harness.sandbox.outbox()).map((e) => e.text)).toEqual(['from bob', 'from alice']);
  });

  it('links back to the app only when it is mounted in one', async () => {
    const standalone = await setUp();
    expect((await signIn(standalone)).text).not.toContain('Back to the app');
    standalone.sandbox.close();
    await standalone.close();
    const mounted = await setUp({ hostApp: { home: '/', smsForm: '/sms' } });
    expect((await signIn(mounted)).text).toContain('<a href="/">Back to the app</a>');
  });
});

describe('the demo controls', () => {
  it('lists every test number; "use this number" prefills the app’s form when there is one', async () => {
    const mounted = await setUp({ hostApp: { home: '/', smsForm: '/sms' } });
    const page = await signIn(mounted, undefined, 'controls');
    for (const n of TEST_NUMBERS) {
      expect(page.text).toContain(n.display);
      expect(page.text).toContain(`href="/sms?to=${n.digits}"`);
    }
    mounted.sandbox.close();
    await mounted.close();
    const standalone = await setUp();
    const bare = await signIn(standalone, undefined, 'controls');
    expect(bare.text).toContain('+44 7700 900999');
    expect(bare.text).not.toContain('Use this number');
  });

  it('says beside the test numbers which limits apply: the sandbox’s own, and the host app’s note as written', async () => {
    const note = 'In this app, sends to these test numbers count against none of its <limits>; the sandbox still allows at most 30 sends a second.';
    const mounted = await setUp({ hostApp: { home: '/', smsForm: '/sms', limitsNote: note }, maxRequestsPerSecond: 12 });
    const page = await signIn(mounted, 'alice', 'controls');
    const numbers = parse(page.text).querySelector('section[aria-labelledby="numbers-title"]');
    expect(numbers?.querySelector('#numbers-limits')?.text).toBe('The sandbox takes at most 12 sends a second from one connection; beyond that it answers status 1 (throughput exceeded).');
    // Shown verbatim, escaped: the app's text is never markup.
    expect(numbers?.querySelector('#host-app-limits')?.text).toBe(note);
    expect(page.text).toContain('none of its &lt;limits&gt;;');
    mounted.sandbox.close();
    await mounted.close();

    const standalone = await setUp();
    const bare = await signIn(standalone, 'alice', 'controls');
    expect(bare.text).toContain('id="numbers-limits"');
    expect(bare.text).not.toContain('id="host-app-limits"');
    standalone.sandbox.close();
    await standalone.close();
    const noNote = await setUp({ hostApp: { home: '/' } });
    expect((await signIn(noNote, 'alice', 'controls')).text).not.toContain('id="host-app-limits"');
  });

  it('refuses a limits note that is not one paragraph of text, naming the option', async () => {
    for (const limitsNote of ['', '   ', 'two\nlines', 'x'.repeat(501), 42 as unknown as string]) {
      await expect(createSandbox({ hostApp: { home: '/', limitsNote } })).rejects.toThrow(/hostApp\.limitsNote/);
    }
  });

  it('answers each test number as Nexmo would: refusals cost nothing and are not kept', async () => {
    const harness = await setUp({ receiptDelayMs: 60_000 });
    const access = await connect(harness);
    const statuses: Record<string, string> = {};
    for (const n of TEST_NUMBERS) {
      const res = await sendSms(harness, access, { ...SMS, to: n.digits, 'client-ref': 'ref' });
      expect(res.status).toBe(200);
      const entry = res.body.messages[0];
      statuses[n.digits] = entry.status;
      if (entry.status !== '0') expect(entry).toMatchObject({ 'client-ref': 'ref', 'error-text': expect.any(String) });
    }
    expect(statuses).toEqual({
      '447700900000': '0',
      '447700900999': '0',
      '447700900998': '0',
      '447700900902': '0',
      '447700900903': '0',
      '447700900906': '6',
      '447700900907': '7',
      '447700900901': '1',
      '447700900909': '9',
      '447700900915': '15',
    });
    expect((await harness.sandbox.outbox()).map((e) => e.to).sort()).toEqual(['447700900000', '447700900902', '447700900903', '447700900998', '447700900999']);
    expect((await balanceOf(harness, access)).text).toBe('{"value":9.83350000,"autoReload":false}');
  });

  it('resets the signed-in account’s balance, and no other', async () => {
    const harness = await setUp();
    const alice = await connect(harness, 'alice');
    const bob = await connect(harness, 'bob');
    await sendSms(harness, alice, SMS);
    await sendSms(harness, bob, SMS);
    await signIn(harness, 'alice', 'controls');
    expect((await harness.http.get('/sandbox/controls')).text).toContain('<strong>€9.97</strong> left');

    const res = await pressControl(harness, 'reset-balance');
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe('/sandbox/controls?done=reset-balance#result');
    expect((await balanceOf(harness, alice)).body.value).toBe(10);
    expect((await balanceOf(harness, bob)).body.value).toBe(9.9667);
    const after = await harness.http.get('/sandbox/controls?done=reset-balance');
    expect(after.text).toContain('role="status">The balance is back to €10.00.');
  });

  it('revokes the app’s access: the account’s tokens get HTTP 401 as with Nexmo, other accounts keep theirs, connecting again works', async () => {
    const harness = await setUp();
    const first = await connect(harness, 'alice');
    const second = await connect(harness, 'alice');
    const bob = await connect(harness, 'bob');
    await signIn(harness, 'alice', 'controls');
    expect((await pressControl(harness, 'revoke')).status).toBe(303);

    for (const access of [first, second]) {
      const balance = await balanceOf(harness, access);
      expect(balance.status).toBe(401);
      expect(balance.body).toEqual({ 'error-code': '401', 'error-code-label': 'authentication failed' });
      const sms = await sendSms(harness, access, SMS);
      expect(sms.status).toBe(401);
    }
    expect((await balanceOf(harness, bob)).status).toBe(200);
    const again = await connect(harness, 'alice');
    expect((await sendSms(harness, again, SMS)).body.messages[0].status).toBe('0');
  });

  it('makes the next call slow, once', async () => {
    const harness = await setUp({ slowCallMs: 400 });
    const access = await connect(harness);
    await signIn(harness, undefined, 'controls');
    const armed = await pressControl(harness, 'slow', { call: 'sms' });
    expect(armed.headers['location']).toBe('/sandbox/controls?done=slow&call=sms#result');
    expect((await harness.http.get('/sandbox/controls')).text).toContain('(armed: slow)');

    // What the sandbox says it did, not the wall clock: a busy machine slows every call.
    const held = () => logs.filter((l) => l.includes('sms call held (slow, up to 400 ms)')).length;
    const slow = await sendSms(harness, access, SMS);
    expect(held()).toBe(1);
    expect(slow.body.messages[0].status).toBe('0');
    const next = await sendSms(harness, access, SMS);
    expect(next.body.messages[0].status).toBe('0');
    expect(held()).toBe(1);
    expect((await harness.http.get('/sandbox/controls')).text).not.toContain('(armed:');
  });

  it('"time out": never answers until the client gives up, and then does nothing', async () => {
    const harness = await setUp({ stalledCallLimitMs: 30_000 });
    const access = await connect(harness);
    await signIn(harness, undefined, 'controls');
    await pressControl(harness, 'stall', { call: 'sms' });

    await expect(fetchSms(harness, access, SMS, AbortSignal.timeout(500))).rejects.toThrow();
    expect(logs.some((l) => l.includes('sms call held (stall, up to 30000 ms)'))).toBe(true);
    await expect.poll(() => logs.some((l) => l.includes('gave up on the held sms call'))).toBe(true);
    expect(await harness.sandbox.outbox()).toEqual([]);
    // The next call is answered as usual.
    expect((await sendSms(harness, access, SMS)).body.messages[0].status).toBe('0');
    // fetch's connection pool keeps a socket to the server open for a few seconds.
    harness.server.closeAllConnections();
  });

  it('"time out" is bounded: a client that never gives up gets 504 after the limit', async () => {
    const harness = await setUp({ stalledCallLimitMs: 400 });
    const access = await connect(harness);
    await signIn(harness, undefined, 'controls');
    await pressControl(harness, 'stall', { call: 'balance' });
    const res = await balanceOf(harness, access);
    expect(res.status).toBe(504);
    expect(res.text).toContain('held this call for 400 ms without answering');
    expect((await balanceOf(harness, access)).status).toBe(200);
  });

  it('holds the access-token exchange when armed for connecting, and close() answers held calls at once', async () => {
    const harness = await setUp({ stalledCallLimitMs: 60_000 });
    await signIn(harness, 'carol', 'controls');
    await pressControl(harness, 'stall', { call: 'connect' });
    const rt = await getRequestToken(harness);
    const verifier = await authorize(harness, rt.token, 'carol');
    const exchange = postSigned(harness, '/oauth/access_token', { ...TEST_CONSUMER, token: rt.token, tokenSecret: rt.secret, oauth: { oauth_verifier: verifier } }).then((r) => r);
    await expect.poll(() => logs.some((l) => l.includes('connect call held'))).toBe(true);
    harness.sandbox.close();
    const res = await exchange;
    expect(res.status).toBe(503);
    expect(parseForm(res.text)['oauth_token']).toBeUndefined();
  });

  it('cancels armed delays', async () => {
    const harness = await setUp({ slowCallMs: 5_000 });
    const access = await connect(harness);
    await signIn(harness, undefined, 'controls');
    await pressControl(harness, 'slow', { call: 'balance' });
    await pressControl(harness, 'cancel-delays');
    expect((await balanceOf(harness, access)).status).toBe(200);
    // Answered without being held: the cancelled delay left no trace.
    expect(logs.some((l) => l.includes('balance call held'))).toBe(false);
  });

  it('refuses controls without the page’s token, from another site, or without a session', async () => {
    const harness = await setUp();
    const access = await connect(harness);
    await sendSms(harness, access, SMS);
    await signIn(harness, undefined, 'controls');
    const noToken = await harness.http.post('/sandbox/controls').type('form').send(formBody({ action: 'reset-balance' }));
    expect(noToken.status).toBe(403);
    const wrongToken = await harness.http.post('/sandbox/controls').type('form').send(formBody({ csrf: 'x'.repeat(32), action: 'revoke' }));
    expect(wrongToken.status).toBe(403);
    const csrf = await controlsToken(harness);
    const crossSite = await harness.http.post('/sandbox/controls').set('Sec-Fetch-Site', 'cross-site').type('form').send(formBody({ csrf, action: 'reset-balance' }));
    expect(crossSite.status).toBe(403);
    const unknown = await pressControl(harness, 'format-disk');
    expect(unknown.status).toBe(400);
    const badCall = await pressControl(harness, 'slow', { call: 'everything' });
    expect(badCall.status).toBe(400);
    expect((await balanceOf(harness, access)).body.value).toBe(9.9667);

    const stranger = await startSandbox();
    try {
      const res = await stranger.http.post('/sandbox/controls').type('form').send(formBody({ action: 'reset-balance' }));
      expect(res.status).toBe(303);
      expect(res.headers['location']).toBe('/sandbox/signin?next=controls');
    } finally {
      await stranger.close();
    }
  });
});

describe('a consent page left open too long', () => {
  it('ends on "Go back to the app" with a link to the callback’s origin', async () => {
    let clock = Date.now();
    const harness = await setUp({ now: () => clock, requestTokenTtlMs: 60_000 });
    const rt = await getRequestToken(harness, 'http://client.example:3000/auth/callback?next=%2F');
    const page = await harness.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(rt.token)}`);
    const nonce = /name="consent_nonce" value="([^"]+)"/.exec(page.text)?.[1] as string;
    clock += 61_000;
    const late = await harness.http
      .post('/sandbox/oauth/authorize')
      .type('form')
      .send(formBody({ oauth_token: rt.token, consent_nonce: nonce, decision: 'authorize' }));
    expect(late.status).toBe(400);
    expect(late.text).toContain('This sign-in request has expired');
    expect(late.text).toMatch(/<a [^>]*href="http:\/\/client\.example:3000\/">Go back to the app<\/a>/);

    const oob = await getRequestToken(harness, 'oob');
    clock += 61_000;
    const oobLate = await harness.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(oob.token)}`);
    expect(oobLate.text).toContain('This sign-in request has expired');
    expect(oobLate.text).not.toContain('Go back to the app</a>');
  });
});
