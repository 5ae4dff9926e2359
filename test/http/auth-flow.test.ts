import session from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';

import { PENDING_LOGIN_TTL_MS } from '../../src/oauth/pendingLogin.js';
import { SESSION_COOKIE } from '../../src/http/session.js';
import { expectNoProviderCall, expectNoSecretIn, expectProviderCalls, shouldClearCookie, shouldNotSetCookie, shouldSetCookie } from '../helpers/assertions.js';
import { elementOf, linksIn, textOf } from '../helpers/html.js';
import { connect, consentDecision, csrfFrom, decideOnConsentPage, pathOf, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function storedSessions(store: session.MemoryStore): Promise<session.SessionData[]> {
  return new Promise((resolve, reject) =>
    store.all((err, all) => (err ? reject(err) : resolve(Object.values(all ?? {}) as session.SessionData[]))),
  );
}

async function startLogin(browser: ReturnType<TestApp['browser']>) {
  const res = await browser.get('/auth/login');
  expect(res.status).toBe(302);
  return res.headers.location as string;
}

describe('the home page', () => {
  it('explains the app and offers Connect with Nexmo to a disconnected visitor, without creating a session', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Connect with Nexmo');
    expect(res.text).toContain('href="/auth/login"');
    expect(res.text).toContain('Sandbox mode');
    shouldNotSetCookie(res);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers unknown addresses with a 404 page', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
  });
});

describe('connecting with Nexmo', () => {
  it('sends the browser to the provider with only oauth_token, then connects under a new session id', async () => {
    const store = new session.MemoryStore();
    app = await startTestApp({}, { sessionStore: store });
    const running = app;
    const browser = app.browser();

    const login = await browser.get('/auth/login');
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.location as string);
    expect(authorize.origin + authorize.pathname).toBe(`${running.url}/sandbox/oauth/authorize`);
    expect([...authorize.searchParams.keys()]).toEqual(['oauth_token']);
    const cookieBefore = shouldSetCookie(login, SESSION_COOKIE);

    // Authorize straight away: the sandbox's consent page offers an account of one's own.
    const { location: callback, account } = await consentDecision(browser, authorize.toString(), 'Authorize');
    expect(account).toMatch(/^[a-z]+-[a-z]+$/);
    expect(callback.startsWith(`${running.url}/auth/callback?`)).toBe(true);
    const done = await browser.get(pathOf(callback));
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/?notice=connected');
    const cookieAfter = shouldSetCookie(done, SESSION_COOKIE);
    expect(cookieAfter).not.toBe(cookieBefore);

    const home = await browser.get('/?notice=connected');
    expect(home.status).toBe(200);
    expect(home.text).toContain('You&#39;re connected to Nexmo');
    expect(home.text).toContain(account);
    expect(home.text).toContain('Disconnect');

    const sessions = await storedSessions(store);
    const connected = sessions.filter((s) => s.connection);
    expect(connected).toHaveLength(1);
    const connection = connected[0]!.connection!;
    expect(connection.token).toMatch(/\S{16,}/);
    expect(connection.secret).toMatch(/\S{16,}/);
    expect(connection.extra).toEqual({ username: account });
    // Pending logins live in their own store: the session never holds a request token.
    expect(JSON.stringify(connected[0])).not.toContain(authorize.searchParams.get('oauth_token'));

    const secrets = [connection.token, connection.secret, running.sandbox!.consumerSecret];
    for (const res of [login, done, home]) expectNoSecretIn(res, ...secrets);
    expectNoSecretIn(app.rawLogs, ...secrets);
    expectProviderCalls(running.sandbox!, 'access_token', 1);
    // The access log names paths only: never the query, where tokens and verifiers travel.
    const callbackLine = app.logEntries.find((e) => e.msg === 'GET /auth/callback 302');
    expect(callbackLine).toMatchObject({ method: 'GET', path: '/auth/callback', statusCode: 302, responseTime: expect.any(Number), requestId: expect.any(String) });
    expect(app.logEntries.some((e) => e.msg === 'POST /sandbox/oauth/request_token 200')).toBe(true);
    expect(app.rawLogs.join('\n')).not.toContain('oauth_verifier');
    expect(app.rawLogs.join('\n')).not.toContain('?');
  });

  it('connects two browsers that press Authorize straight away to two different sandbox accounts, each with its own history', async () => {
    app = await startTestApp();
    const running = app;
    const logins = await Promise.all([app.browser(), app.browser()].map(async (browser) => {
      const login = await startLogin(browser);
      const { location, account } = await consentDecision(browser, login, 'Authorize');
      expect((await browser.get(pathOf(location))).headers.location).toBe('/?notice=connected');
      return { browser, account };
    }));
    const [first, second] = logins as [(typeof logins)[0], (typeof logins)[0]];
    expect(first.account).not.toBe(second.account);
    for (const { browser, account } of logins) {
      const home = await browser.get('/');
      expect(home.text).toContain(account);
      expect(home.text).not.toContain(account === first.account ? second.account : first.account);
    }
    expectProviderCalls(running.sandbox!, 'access_token', 2);
    // Connecting again, the consent page starts from the account this browser chose.
    await connect(running, first.browser);
    expect((await first.browser.get('/')).text).toContain(first.account);
  });

  it('lets two tabs of one browser each start a login and both complete', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const first = await startLogin(browser);
    const second = await startLogin(browser);
    const firstCallback = await decideOnConsentPage(browser, first, 'Authorize');
    const secondCallback = await decideOnConsentPage(browser, second, 'Authorize');

    const a = await browser.get(pathOf(firstCallback));
    expect(a.status).toBe(302);
    expect(a.headers.location).toBe('/?notice=connected');
    const b = await browser.get(pathOf(secondCallback));
    expect(b.status).toBe(302);
    expect(b.headers.location).toBe('/?notice=connected');
    expectProviderCalls(app.sandbox!, 'access_token', 2);
    expect((await browser.get('/')).text).toContain('Disconnect');
  });

  it('goes to the authenticate page when asked, and refuses an unknown page name', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/auth/login?page=authenticate');
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location as string).pathname).toBe('/sandbox/oauth/authenticate');
    const bad = await app.browser().get('/auth/login?page=elsewhere');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Unknown sign-in page');
    expectProviderCalls(app.sandbox!, 'request_token', 1);
  });
});

describe('the callback refuses what it did not start', () => {
  it('shows a cancelled page when the user denies, and the denied token cannot be used afterwards', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const authorize = await startLogin(browser);
    const callback = await decideOnConsentPage(browser, authorize, 'Deny');
    const denied = new URL(callback);
    const token = new URL(authorize).searchParams.get('oauth_token')!;
    expect(denied.searchParams.get('denied')).toBe(token);

    const page = await browser.get(pathOf(callback));
    expect(page.status).toBe(200);
    expect(page.text).toContain('You cancelled the connection');
    const again = await browser.get(`/auth/callback?oauth_token=${token}&oauth_verifier=guess`);
    expect(again.status).toBe(403);
    expectNoProviderCall(app.sandbox!, 'access_token');
    expect((await browser.get('/')).text).toContain('Connect with Nexmo');
  });

  it('shows the cancelled page to a browser with no login pending, without creating a session', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/auth/callback?denied=some-token');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You cancelled the connection');
    shouldNotSetCookie(res);
  });

  it.each([
    ['no oauth_token at all', '/auth/callback?oauth_verifier=abc', 403, 'not valid'],
    ['a token this session never started', '/auth/callback?oauth_token=forged&oauth_verifier=abc', 403, 'not started here'],
    ['a repeated oauth_token parameter', '/auth/callback?oauth_token=a&oauth_token=b&oauth_verifier=abc', 403, 'not valid'],
  ])('answers %s with 403 and makes no access-token request', async (_name, path, status, words) => {
    app = await startTestApp();
    const browser = app.browser();
    await startLogin(browser);
    const res = await browser.get(path);
    expect(res.status).toBe(status);
    expect(res.text).toContain(words);
    expect(res.text).toContain('href="/auth/login"');
    expectNoProviderCall(app.sandbox!, 'access_token');
  });

  it('answers a missing or empty oauth_verifier with 400 and makes no exchange', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const token = new URL(await startLogin(browser)).searchParams.get('oauth_token')!;
    for (const path of [`/auth/callback?oauth_token=${token}`, `/auth/callback?oauth_token=${token}&oauth_verifier=`]) {
      const res = await browser.get(path);
      expect(res.status).toBe(400);
      expect(res.text).toContain('no verification code');
    }
    expectNoProviderCall(app.sandbox!, 'access_token');
  });

  it('sends a browser that reopens its own completed callback (Back, refresh) home as connected, without a second exchange', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const callback = await decideOnConsentPage(browser, await startLogin(browser), 'Authorize');
    const done = await browser.get(pathOf(callback));
    expect(done.status).toBe(302);
    shouldSetCookie(done, SESSION_COOKIE);

    for (const attempt of [1, 2]) {
      const replay = await browser.get(pathOf(callback));
      expect(replay.status, `replay ${attempt}`).toBe(303);
      expect(replay.headers.location).toBe('/?notice=already-connected');
      // The session stays the one the login made: no new session id, and no cookie at all, since
      // its expiry was just sent and has not moved materially since.
      shouldNotSetCookie(replay);
    }
    expectProviderCalls(app.sandbox!, 'access_token', 1);

    const home = await browser.get('/?notice=already-connected');
    expect(home.status).toBe(200);
    expect(home.text).toContain('You&#39;re connected to Nexmo');
    expect(home.text).toContain('that sign-in was already completed in this browser');
    expect(home.text).not.toContain('Connect again');
  });

  it('still refuses a completed callback replayed by another connected browser, or one no longer connected, without an exchange', async () => {
    app = await startTestApp();
    const first = app.browser();
    const firstCallback = await decideOnConsentPage(first, await startLogin(first), 'Authorize');
    expect((await first.get(pathOf(firstCallback))).status).toBe(302);
    const second = app.browser();
    const secondCallback = await decideOnConsentPage(second, await startLogin(second), 'Authorize');
    expect((await second.get(pathOf(secondCallback))).status).toBe(302);
    expectProviderCalls(app.sandbox!, 'access_token', 2);

    // Another browser's finished login is not this one's, though both are connected.
    const crossed = await second.get(pathOf(firstCallback));
    expect(crossed.status).toBe(403);
    expect(crossed.text).toContain('This sign-in was not started here');
    // An unknown token likewise.
    const unknown = await second.get('/auth/callback?oauth_token=never-issued&oauth_verifier=abc');
    expect(unknown.status).toBe(403);
    expect(unknown.text).toContain('This sign-in was not started here');

    // Disconnected: the same callback is no longer "connected".
    const home = await first.get('/');
    expect((await first.post('/auth/logout').type('form').send({ _csrf: csrfFrom(home.text) })).status).toBe(303);
    const afterLogout = await first.get(pathOf(firstCallback));
    expect(afterLogout.status).toBe(403);
    expect(afterLogout.headers.location).toBeUndefined();
    expectProviderCalls(app.sandbox!, 'access_token', 2);
  });

  it('refuses a callback from another browser (login CSRF), without an exchange', async () => {
    app = await startTestApp();
    const attacker = app.browser();
    const callback = await decideOnConsentPage(attacker, await startLogin(attacker), 'Authorize');
    const victim = app.browser();
    const res = await victim.get(pathOf(callback));
    expect(res.status).toBe(403);
    expect(textOf(elementOf(res.text, 'h1'))).toBe('This browser has no sign-in in progress');
    expect(linksIn(res.text, 'main a')).toContainEqual({ href: '/auth/login', text: 'Connect with Nexmo again' });
    shouldNotSetCookie(res);
    expectNoProviderCall(app.sandbox!, 'access_token');
    // The victim was not logged in to the attacker's account; the attacker's login is still theirs.
    expect((await victim.get('/sms')).headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    const attackerDone = await attacker.get(pathOf(callback));
    expect(attackerDone.headers.location).toBe('/?notice=connected');
    expectProviderCalls(app.sandbox!, 'access_token', 1);
  });

  it('refuses and drops a pending login older than 10 minutes', async () => {
    let offset = 0;
    app = await startTestApp({}, { now: () => Date.now() + offset });
    const browser = app.browser();
    const callback = await decideOnConsentPage(browser, await startLogin(browser), 'Authorize');
    offset = PENDING_LOGIN_TTL_MS + 1000;
    const res = await browser.get(pathOf(callback));
    expect(res.status).toBe(403);
    expect(res.text).toContain('expired');
    offset = 0;
    const retry = await browser.get(pathOf(callback));
    expect(retry.status).toBe(403);
    expect(retry.text).toContain('not started here');
    expectNoProviderCall(app.sandbox!, 'access_token');
  });

  it('says Nexmo did not confirm the sign-in (403) and stores nothing when the provider refuses the verifier', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const callback = new URL(await decideOnConsentPage(browser, await startLogin(browser), 'Authorize'));
    callback.searchParams.set('oauth_verifier', 'not-the-verifier');
    const res = await browser.get(pathOf(callback.toString()));
    expect(res.status).toBe(403);
    expect(res.text).toContain('Nexmo did not confirm this sign-in');
    expect(res.text).not.toContain('oauth_problem');
    expectProviderCalls(app.sandbox!, 'access_token', 1);
    expect((await browser.get('/')).text).toContain('Connect with Nexmo');
    // The pending login was dropped: the same token can't be tried again.
    const again = await browser.get(pathOf(callback.toString()));
    expect(again.status).toBe(403);
    expectProviderCalls(app.sandbox!, 'access_token', 1);
  });
});

describe('disconnecting', () => {
  it('needs the form token, then destroys the session so the old cookie shows a disconnected page', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const callback = await decideOnConsentPage(browser, await startLogin(browser), 'Authorize');
    const done = await browser.get(pathOf(callback));
    const oldCookie = shouldSetCookie(done, SESSION_COOKIE);

    const forged = await browser.post('/auth/logout').type('form').send({ _csrf: 'wrong' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('This form has expired');
    expect((await browser.get('/')).text).toContain('Disconnect');

    const home = await browser.get('/');
    const res = await browser.post('/auth/logout').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?notice=disconnected');
    shouldClearCookie(res, SESSION_COOKIE);

    const supertest = (await import('supertest')).default;
    const replay = await supertest(app.url).get('/').set('Cookie', oldCookie);
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('Connect with Nexmo');
    expect(replay.text).not.toContain('Disconnect');
  });
});
