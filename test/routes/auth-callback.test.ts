// The login's callback and logout over createApp with the fake provider: what the callback
// refuses (anything this browser did not start), what it takes again (its own completed
// login), and disconnecting. Each spec says which token calls reached the provider.
import { describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '../../src/http/session.js';
import { ProviderHttpError } from '../../src/oauth/errors.js';
import { PENDING_LOGIN_TTL_MS } from '../../src/oauth/pendingLogin.js';
import { shouldClearCookie, shouldNotSetCookie, shouldSetCookie } from '../helpers/assertions.js';
import { csrfFrom, elementOf, linksIn, textOf } from '../helpers/html.js';
import { pathOf } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

type Browser = ReturnType<RouteApp['browser']>;

/** The app in sandbox mode, as the specs of the whole flow run it. */
const sandboxApp = (options: { now?: () => number } = {}) => createRouteApp({}, { ...options, sandbox: {} });

async function startLogin(browser: Browser) {
  const res = await browser.get('/auth/login');
  expect(res.status).toBe(302);
  return res.headers.location as string;
}

/** Starts a login and approves it at the provider: the callback the browser is sent back to. */
async function approvedCallback(route: RouteApp, browser: Browser): Promise<string> {
  return route.approve(browser, await startLogin(browser));
}

const exchanges = (route: RouteApp) => route.consumer.tokenCalls.filter((call) => call.kind === 'access_token');
const tokenOf = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get('oauth_token')!;

describe('connecting with Nexmo', () => {
  it('lets two tabs of one browser each start a login and both complete', async () => {
    const route = sandboxApp();
    const browser = route.browser();
    const first = await startLogin(browser);
    const second = await startLogin(browser);
    const firstCallback = await route.approve(browser, first);
    const secondCallback = await route.approve(browser, second);

    const a = await browser.get(pathOf(firstCallback));
    expect(a.status).toBe(302);
    expect(a.headers.location).toBe('/?notice=connected');
    const b = await browser.get(pathOf(secondCallback));
    expect(b.status).toBe(302);
    expect(b.headers.location).toBe('/?notice=connected');
    expect(exchanges(route).map((call) => call.kind === 'access_token' && call.requestToken.token)).toEqual([tokenOf(first), tokenOf(second)]);
    expect((await browser.get('/')).text).toContain('Disconnect');
  });

  it('goes to the authenticate page when asked, and refuses an unknown page name', async () => {
    const route = sandboxApp();
    const res = await route.browser().get('/auth/login?page=authenticate');
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location as string).pathname).toBe('/sandbox/oauth/authenticate');
    const bad = await route.browser().get('/auth/login?page=elsewhere');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Unknown sign-in page');
    expect(route.consumer.tokenCalls.map((call) => call.kind)).toEqual(['request_token']);
  });
});

describe('the callback refuses what it did not start', () => {
  it('shows a cancelled page when the user denies, and the denied token cannot be used afterwards', async () => {
    const route = sandboxApp();
    const browser = route.browser();
    const token = tokenOf(await startLogin(browser));
    // Deny on the consent page: the provider sends the browser back naming the denied token.
    const page = await browser.get('/auth/callback').query({ denied: token });
    expect(page.status).toBe(200);
    expect(page.text).toContain('You cancelled the connection');
    const again = await browser.get(`/auth/callback?oauth_token=${token}&oauth_verifier=guess`);
    expect(again.status).toBe(403);
    expect(exchanges(route)).toEqual([]);
    expect((await browser.get('/')).text).toContain('Connect with Nexmo');
  });

  it('shows the cancelled page to a browser with no login pending, without creating a session', async () => {
    const route = sandboxApp();
    const res = await route.browser().get('/auth/callback?denied=some-token');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You cancelled the connection');
    shouldNotSetCookie(res);
  });

  it.each([
    ['no oauth_token at all', '/auth/callback?oauth_verifier=abc', 403, 'not valid'],
    ['a token this session never started', '/auth/callback?oauth_token=forged&oauth_verifier=abc', 403, 'not started here'],
    ['a repeated oauth_token parameter', '/auth/callback?oauth_token=a&oauth_token=b&oauth_verifier=abc', 403, 'not valid'],
  ])('answers %s with 403 and makes no access-token request', async (_name, path, status, words) => {
    const route = sandboxApp();
    const browser = route.browser();
    await startLogin(browser);
    const res = await browser.get(path);
    expect(res.status).toBe(status);
    expect(res.text).toContain(words);
    expect(linksIn(res.text).map((link) => link.href)).toContain('/auth/login');
    expect(exchanges(route)).toEqual([]);
  });

  it('answers a missing or empty oauth_verifier with 400 and makes no exchange', async () => {
    const route = sandboxApp();
    const browser = route.browser();
    const token = tokenOf(await startLogin(browser));
    for (const path of [`/auth/callback?oauth_token=${token}`, `/auth/callback?oauth_token=${token}&oauth_verifier=`]) {
      const res = await browser.get(path);
      expect(res.status).toBe(400);
      expect(res.text).toContain('no verification code');
    }
    expect(exchanges(route)).toEqual([]);
  });

  it('sends a browser that reopens its own completed callback (Back, refresh) home as connected, without a second exchange', async () => {
    const route = sandboxApp();
    const browser = route.browser();
    const callback = await approvedCallback(route, browser);
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
    expect(exchanges(route)).toHaveLength(1);

    const home = await browser.get('/?notice=already-connected');
    expect(home.status).toBe(200);
    expect(home.text).toContain('You&#39;re connected to Nexmo');
    expect(home.text).toContain('that sign-in was already completed in this browser');
    expect(home.text).not.toContain('Connect again');
  });

  it('still refuses a completed callback replayed by another connected browser, or one no longer connected, without an exchange', async () => {
    const route = sandboxApp();
    const first = route.browser();
    const firstCallback = await approvedCallback(route, first);
    expect((await first.get(pathOf(firstCallback))).status).toBe(302);
    const second = route.browser();
    const secondCallback = await approvedCallback(route, second);
    expect((await second.get(pathOf(secondCallback))).status).toBe(302);
    expect(exchanges(route)).toHaveLength(2);

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
    expect(exchanges(route)).toHaveLength(2);
  });

  it('refuses a callback from another browser (login CSRF), without an exchange', async () => {
    const route = sandboxApp();
    const attacker = route.browser();
    const callback = await approvedCallback(route, attacker);
    const victim = route.browser();
    const res = await victim.get(pathOf(callback));
    expect(res.status).toBe(403);
    expect(textOf(elementOf(res.text, 'h1'))).toBe('This browser has no sign-in in progress');
    expect(linksIn(res.text, 'main a')).toContainEqual({ href: '/auth/login', text: 'Connect with Nexmo again' });
    shouldNotSetCookie(res);
    expect(exchanges(route)).toEqual([]);
    // The victim was not logged in to the attacker's account; the attacker's login is still theirs.
    expect((await victim.get('/sms')).headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    const attackerDone = await attacker.get(pathOf(callback));
    expect(attackerDone.headers.location).toBe('/?notice=connected');
    expect(exchanges(route)).toHaveLength(1);
  });

  it('refuses and drops a pending login older than 10 minutes', async () => {
    let offset = 0;
    const route = sandboxApp({ now: () => Date.parse('2026-11-23T12:00:00Z') + offset });
    const browser = route.browser();
    const callback = await approvedCallback(route, browser);
    offset = PENDING_LOGIN_TTL_MS + 1000;
    const res = await browser.get(pathOf(callback));
    expect(res.status).toBe(403);
    expect(res.text).toContain('expired');
    offset = 0;
    const retry = await browser.get(pathOf(callback));
    expect(retry.status).toBe(403);
    expect(retry.text).toContain('not started here');
    expect(exchanges(route)).toEqual([]);
  });

  it('says Nexmo did not confirm the sign-in (403) and stores nothing when the provider refuses the verifier', async () => {
    const route = sandboxApp();
    const browser = route.browser();
    const callback = new URL(await approvedCallback(route, browser), 'http://app');
    callback.searchParams.set('oauth_verifier', 'not-the-verifier');
    route.consumer.refuseNext('access_token', new ProviderHttpError('the provider refused the verifier', { status: 401, body: 'oauth_problem=verifier_invalid', problem: { code: 'verifier_invalid' } }));
    const res = await browser.get(pathOf(callback.toString()));
    expect(res.status).toBe(403);
    expect(res.text).toContain('Nexmo did not confirm this sign-in');
    expect(res.text).not.toContain('oauth_problem');
    expect(exchanges(route)).toEqual([{ kind: 'access_token', requestToken: { token: 'rt-1', secret: 'rt-secret-1' }, verifier: 'not-the-verifier' }]);
    expect((await browser.get('/')).text).toContain('Connect with Nexmo');
    // The pending login was dropped: the same token can't be tried again.
    const again = await browser.get(pathOf(callback.toString()));
    expect(again.status).toBe(403);
    expect(exchanges(route)).toHaveLength(1);
  });
});

describe('disconnecting', () => {
  it('needs the form token, then destroys the session so the old cookie shows a disconnected page', async () => {
    const route = sandboxApp();
    const browser = route.browser();
    const callback = await approvedCallback(route, browser);
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

    const replay = await route.browser().get('/').set('Cookie', oldCookie);
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('Connect with Nexmo');
    expect(replay.text).not.toContain('Disconnect');
  });
});
