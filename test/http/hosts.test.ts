// Reachable from another machine: with PUBLIC_URL unset, browser-facing URLs follow the address
// the browser used, but only addresses the app trusts; any other Host is refused.
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import { expectNoProviderCall, shouldNotSetCookie } from '../helpers/assertions.js';
import { decideOnConsentPage, pathOf, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const portOf = (app: TestApp) => new URL(app.url).port;

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

  it('uses PUBLIC_URL whatever Host the request carries, when it is set', async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://sms.example.com' });
    const res = await supertest(app.server).get('/auth/login').set('Host', 'evil.example');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^https:\/\/sms\.example\.com\/sandbox\/oauth\/authorize\?/);
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
