// Reachable from another machine: with PUBLIC_URL unset, browser-facing URLs follow the address
// the browser used, but only addresses the app trusts; any other Host is refused.
import type { AddressInfo } from 'node:net';

import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import { expectNoProviderCall, expectProviderCalls, shouldNotSetCookie } from '../helpers/assertions.js';
import { decideOnConsentPage, pathOf, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The port the app listens on (PUBLIC_URL may name another). */
const portOf = (app: TestApp) => String((app.server.address() as AddressInfo).port);

describe('the address the app answers at', () => {
  it('completes the whole flow for a browser that reached it through another trusted address', async () => {
    app = await startTestApp();
    // 127.0.0.2: another address of this machine, standing in for the presenter's LAN address.
    const other = `http://127.0.0.2:${portOf(app)}`;
    const browser = supertest.agent(other);
    const login = await browser.get('/auth/login');
    expect(login.status).toBe(302);
    expect((login.headers.location as string).startsWith(`${other}/sandbox/oauth/authorize?`)).toBe(true);
    const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize');
    expect(callback.startsWith(`${other}/auth/callback?`)).toBe(true);
    const done = await browser.get(pathOf(callback));
    expect(done.headers.location).toBe('/?notice=connected');
    expect((await browser.get('/')).text).toContain('Disconnect');
  });

  it('follows a host listed in ALLOWED_HOSTS', async () => {
    app = await startTestApp({ ALLOWED_HOSTS: 'demo.example.test' });
    const res = await supertest(app.url).get('/auth/login').set('Host', `demo.example.test:${portOf(app)}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(new RegExp(`^http://demo\\.example\\.test:${portOf(app)}/sandbox/oauth/authorize\\?oauth_token=`));
  });

  it('refuses any other Host with a page naming PUBLIC_URL and ALLOWED_HOSTS, before any provider call or session', async () => {
    app = await startTestApp();
    for (const host of ['evil.example', `evil.example:${portOf(app)}`, 'localhost.evil.example', '[::ffff:8.8.8.8]', 'a b']) {
      const res = await supertest(app.url).get('/auth/login').set('Host', host);
      expect(res.status, host).toBe(400);
      expect(res.text).toContain('This address is not one the app answers to');
      expect(res.text).toContain('ALLOWED_HOSTS');
      expect(res.text).toContain('PUBLIC_URL');
      expect(res.text).not.toContain('evil.example');
      shouldNotSetCookie(res);
    }
    expectNoProviderCall(app.sandbox!, 'request_token');
    // Health checks from a load balancer still answer, whatever Host they use.
    expect((await supertest(app.url).get('/healthz').set('Host', 'evil.example')).status).toBe(200);
  });

  it('styles the refusal: its stylesheet and icon are served whatever the Host', async () => {
    app = await startTestApp();
    const page = await supertest(app.url).get('/').set('Host', 'evil.example');
    expect(page.status).toBe(400);
    expect(page.text).toContain('<link rel="stylesheet" href="/css/app.css">');
    expect(page.text).toContain('<link rel="icon" href="/favicon.svg"');
    const css = await supertest(app.url).get('/css/app.css').set('Host', 'evil.example');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).toContain('.notice');
    const icon = await supertest(app.url).get('/favicon.svg').set('Host', 'evil.example');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('uses PUBLIC_URL whatever Host the request carries, when it is set', async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://sms.example.com' });
    const res = await supertest(app.server).get('/auth/login').set('Host', 'evil.example');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^https:\/\/sms\.example\.com\/sandbox\/oauth\/authorize\?/);
  });

  it('with PUBLIC_URL on localhost, ends a login where it started: a teammate at another address and the presenter at 127.0.0.1 both connect, at once', async () => {
    app = await startTestApp({ PUBLIC_URL: 'http://localhost:3999' });
    // The presenter opened http://127.0.0.1:<port>; a teammate's laptop reaches this machine at 127.0.0.2.
    const addresses = [`http://127.0.0.1:${portOf(app)}`, `http://127.0.0.2:${portOf(app)}`];
    const results = await Promise.all(
      addresses.map(async (origin, i) => {
        const browser = supertest.agent(origin);
        const login = await browser.get('/auth/login');
        expect(login.status).toBe(302);
        expect((login.headers.location as string).startsWith(`${origin}/sandbox/oauth/authorize?`)).toBe(true);
        const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize', `person-${i}`);
        expect(callback.startsWith(`${origin}/auth/callback?`)).toBe(true);
        const done = await browser.get(pathOf(callback));
        return { origin, location: done.headers.location as string, home: (await browser.get('/')).text };
      }),
    );
    for (const { location, home } of results) {
      expect(location).toBe('/?notice=connected');
      expect(home).toContain('Disconnect');
    }
    expectProviderCalls(app.sandbox!, 'access_token', 2);
  });

  it('with PUBLIC_URL on localhost, still refuses a Host that is none of this machine’s', async () => {
    app = await startTestApp({ PUBLIC_URL: 'http://localhost:3999' });
    const res = await supertest(app.server).get('/auth/login').set('Host', 'evil.example');
    expect(res.status).toBe(400);
    expectNoProviderCall(app.sandbox!, 'request_token');
  });

  it('with PUBLIC_URL on a public name, follows the hosts listed in ALLOWED_HOSTS as themselves', async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://sms.example.com', ALLOWED_HOSTS: 'demo.example.test' });
    const res = await supertest(app.server).get('/auth/login').set('Host', 'demo.example.test:8080');
    expect(res.headers.location).toMatch(/^http:\/\/demo\.example\.test:8080\/sandbox\/oauth\/authorize\?/);
  });

  it('says in plain words when a callback arrives in a browser with no session for this address', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const login = await browser.get('/auth/login');
    const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize');
    // The same callback opened in a browser that holds no cookie for the app.
    const res = await supertest(app.url).get(pathOf(callback));
    expect(res.status).toBe(403);
    expect(res.text).toContain('This browser has no sign-in in progress');
    expect(res.text).toContain('blocks cookies');
    expect(res.text).toContain('href="/auth/login"');
    expectNoProviderCall(app.sandbox!, 'access_token');
  });
});
