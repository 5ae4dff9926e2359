// Reachable from another machine: with PUBLIC_URL unset, the login's redirect and callback follow
// the address the browser used, but only addresses the app trusts; any other Host is refused
// with a page, before any provider call or session. The app in sandbox mode (its consent pages
// at the app's own address), with the fake provider. The origin each Host resolves to:
// test/middleware/hosts; two real addresses through the real sandbox: test/http/hosts.
import { describe, expect, it } from 'vitest';

import { shouldNotSetCookie } from '../helpers/assertions.js';
import { elementOf, linksIn } from '../helpers/html.js';
import { pathOf } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

/** The app in sandbox mode, answering at the address each request names (no PUBLIC_URL unless `env` sets one). */
const sandboxApp = (env: Record<string, string> = {}) => createRouteApp({ PUBLIC_URL: '', ...env }, { sandbox: {} });

const callbacksAsked = (route: ReturnType<typeof sandboxApp>) => route.consumer.tokenCalls.flatMap((call) => (call.kind === 'request_token' ? [call.callbackUrl] : []));

describe('the address the app answers at', () => {
  it('completes the whole flow for a browser that reached it through another trusted address', async () => {
    const route = sandboxApp();
    // 127.0.0.2: another address of this machine, standing in for the presenter's LAN address.
    const other = 'http://127.0.0.2:3000';
    const browser = route.browser().set('Host', '127.0.0.2:3000');
    const login = await browser.get('/auth/login');
    expect(login.status).toBe(302);
    expect((login.headers.location as string).startsWith(`${other}/sandbox/oauth/authorize?`)).toBe(true);
    // The provider is told to send the browser back to that same address.
    expect(callbacksAsked(route)).toEqual([`${other}/auth/callback`]);
    const callback = await route.approve(browser, login.headers.location as string);
    const done = await browser.get(pathOf(callback));
    expect(done.headers.location).toBe('/?notice=connected');
    expect((await browser.get('/')).text).toContain('Disconnect');
    expect(route.consumer.tokenCalls.map((call) => call.kind)).toEqual(['request_token', 'access_token']);
  });

  it('follows a host listed in ALLOWED_HOSTS', async () => {
    const route = sandboxApp({ ALLOWED_HOSTS: 'demo.example.test' });
    const res = await route.browser().get('/auth/login').set('Host', 'demo.example.test:3000');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^http:\/\/demo\.example\.test:3000\/sandbox\/oauth\/authorize\?oauth_token=/);
    expect(callbacksAsked(route)).toEqual(['http://demo.example.test:3000/auth/callback']);
  });

  it('refuses any other Host with a page naming PUBLIC_URL and ALLOWED_HOSTS, before any provider call or session', async () => {
    const route = sandboxApp();
    for (const host of ['evil.example', 'evil.example:3000', 'localhost.evil.example', '[::ffff:8.8.8.8]', 'a b']) {
      const res = await route.browser().get('/auth/login').set('Host', host);
      expect(res.status, host).toBe(400);
      expect(res.text).toContain('This address is not one the app answers to');
      expect(res.text).toContain('ALLOWED_HOSTS');
      expect(res.text).toContain('PUBLIC_URL');
      expect(res.text).not.toContain('evil.example');
      shouldNotSetCookie(res);
    }
    expect(route.consumer.tokenCalls).toEqual([]);
    // Health checks from a load balancer still answer, whatever Host they use.
    expect((await route.browser().get('/healthz').set('Host', 'evil.example')).status).toBe(200);
  });

  it('styles the refusal: its stylesheet and icon are served whatever the Host', async () => {
    const route = sandboxApp();
    const page = await route.browser().get('/').set('Host', 'evil.example');
    expect(page.status).toBe(400);
    expect(elementOf(page.text, 'link[rel="stylesheet"]').getAttribute('href')).toBe('/css/app.css');
    expect(elementOf(page.text, 'link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
    const css = await route.browser().get('/css/app.css').set('Host', 'evil.example');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).toContain('.notice');
    const icon = await route.browser().get('/favicon.svg').set('Host', 'evil.example');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('uses PUBLIC_URL whatever Host the request carries, when it is set', async () => {
    const route = sandboxApp({ PUBLIC_URL: 'https://sms.example.com' });
    const res = await route.browser().get('/auth/login').set('Host', 'evil.example');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^https:\/\/sms\.example\.com\/sandbox\/oauth\/authorize\?/);
    expect(callbacksAsked(route)).toEqual(['https://sms.example.com/auth/callback']);
  });

  it('with PUBLIC_URL on localhost, still refuses a Host that is none of this machine’s', async () => {
    const route = sandboxApp({ PUBLIC_URL: 'http://localhost:3999' });
    const res = await route.browser().get('/auth/login').set('Host', 'evil.example');
    expect(res.status).toBe(400);
    expect(route.consumer.tokenCalls).toEqual([]);
  });

  it('with PUBLIC_URL on a public name, follows the hosts listed in ALLOWED_HOSTS as themselves', async () => {
    const route = sandboxApp({ PUBLIC_URL: 'https://sms.example.com', ALLOWED_HOSTS: 'demo.example.test' });
    const res = await route.browser().get('/auth/login').set('Host', 'demo.example.test:8080');
    expect(res.headers.location).toMatch(/^http:\/\/demo\.example\.test:8080\/sandbox\/oauth\/authorize\?/);
  });

  it('says in plain words when a callback arrives in a browser with no session for this address', async () => {
    const route = sandboxApp();
    const browser = route.browser();
    const login = await browser.get('/auth/login');
    const callback = await route.approve(browser, login.headers.location as string);
    // The same callback opened in a browser that holds no cookie for the app.
    const res = await route.browser().get(pathOf(callback));
    expect(res.status).toBe(403);
    expect(res.text).toContain('This browser has no sign-in in progress');
    expect(res.text).toContain('blocks cookies');
    expect(linksIn(res.text).map((link) => link.href)).toContain('/auth/login');
    expect(route.consumer.tokenCalls.map((call) => call.kind)).toEqual(['request_token']);
  });
});
