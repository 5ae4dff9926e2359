// Connecting with Nexmo end to end, through the real sandbox's consent page: the redirect with
// only oauth_token, a new session id, the sandbox account named on the page, and no secret in
// any answer or log line. What the callback refuses, and disconnecting: test/routes/auth-callback.
import session from 'express-session';
import { describe, expect, it } from 'vitest';

import { SESSION_COOKIE } from '../../src/http/session.js';
import { expectNoSecretIn, shouldSetCookie } from '../helpers/assertions.js';
import { connect, consentDecision, pathOf } from '../helpers/login.js';
import { useSharedTestApp, type TestApp } from '../helpers/testApp.js';

// One server for both specs, each with browsers and sandbox accounts of its own; its session
// store is the spec's, to read what a connection keeps.
const store = new session.MemoryStore();
const sharedApp = useSharedTestApp({}, { sessionStore: store });

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

describe('connecting with Nexmo', () => {
  it('sends the browser to the provider with only oauth_token, then connects under a new session id', async () => {
    const app = sharedApp();
    const running = app;
    const accessTokenCalls = running.sandbox!.stats().accessTokenCalls;
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
    const connected = sessions.filter((s) => s.connection?.extra?.username === account);
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
    expect(running.sandbox!.stats().accessTokenCalls).toBe(accessTokenCalls + 1);
    // The access log names paths only: never the query, where tokens and verifiers travel.
    const callbackLine = app.logEntries.find((e) => e.msg === 'GET /auth/callback 302');
    expect(callbackLine).toMatchObject({ method: 'GET', path: '/auth/callback', statusCode: 302, responseTime: expect.any(Number), requestId: expect.any(String) });
    expect(app.logEntries.some((e) => e.msg === 'POST /sandbox/oauth/request_token 200')).toBe(true);
    expect(app.rawLogs.join('\n')).not.toContain('oauth_verifier');
    expect(app.rawLogs.join('\n')).not.toContain('?');
  });

  it('connects two browsers that press Authorize straight away to two different sandbox accounts, each with its own history', async () => {
    const app = sharedApp();
    const running = app;
    const accessTokenCalls = running.sandbox!.stats().accessTokenCalls;
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
    expect(running.sandbox!.stats().accessTokenCalls).toBe(accessTokenCalls + 2);
    // Connecting again, the consent page starts from the account this browser chose.
    await connect(running, { browser: first.browser });
    expect((await first.browser.get('/')).text).toContain(first.account);
  });
});
