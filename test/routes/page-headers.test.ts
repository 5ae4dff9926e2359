// Which answers carry the security policy and the caching rules: the app's pages and error
// pages, its files, and the pages of the sandbox mounted in it (the package's own router), at
// every address. The policy itself is specified on the middleware: test/middleware/security-headers.
import { createSandbox, type Sandbox } from '@nexmo-oauth/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

import { elementOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';
import { directives, expectAppSecurityHeaders, expectNoInlineScript } from '../helpers/securityPolicy.js';

const createRouteApp = useRouteApp();
const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) sandbox.close();
});

/** The app in sandbox mode with the sandbox's own pages mounted, answering at the address each request names (no PUBLIC_URL). */
async function withSandboxPages(env: Record<string, string> = {}) {
  const sandbox = await createSandbox({ hostApp: { home: '/', smsForm: '/sms' } });
  sandboxes.push(sandbox);
  return createRouteApp({ PUBLIC_URL: '', ...env }, { sandbox: { router: sandbox.router } });
}

describe("the app's own security headers", () => {
  it('send the start page with a strict CSP (no inline script, no framing), no referrer and nosniff', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const res = await route.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Connect with Nexmo');
    expectAppSecurityHeaders(res);
    expectNoInlineScript(res.text);
  });

  it('cover error pages too', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const res = await route.browser().get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
    expectAppSecurityHeaders(res);
    expectNoInlineScript(res.text);
  });

  it('let the SMS form load its counter script from the app, and nothing inline', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const browser = await connect(route);
    const res = await browser.get('/sms');
    expect(res.status).toBe(200);
    expect(elementOf(res.text, 'script[src="/js/app/browser/sms-counter.js"]').getAttribute('type')).toBe('module');
    expectAppSecurityHeaders(res);
    expectNoInlineScript(res.text);
    const script = await browser.get('/js/app/browser/sms-counter.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('caching', () => {
  it('pages are never stored, so they carry no ETag; the files under public/ are cached and carry one', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const browser = await connect(route);
    const page = await browser.get('/sms');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Send an SMS');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers.etag).toBeUndefined();

    const styles = await browser.get('/css/app.css');
    expect(styles.status).toBe(200);
    expect(styles.headers['content-type']).toMatch(/^text\/css/);
    expect(styles.headers.etag).toMatch(/^W\/"/);
    const again = await browser.get('/css/app.css').set('If-None-Match', styles.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it('a path outside public/’s own folders is the app’s, not a file lookup: /app.css is a 404 page, /css/nothing.css a 404 too', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const outside = await route.browser().get('/app.css');
    expect(outside.status).toBe(404);
    expect(outside.text).toContain('Page not found');
    const missing = await route.browser().get('/css/nothing.css');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Page not found');
  });
});

describe('transport security headers', () => {
  it('are left out on http: no HSTS, no upgrade-insecure-requests', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const res = await route.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(directives(res.headers['content-security-policy'] as string)).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('ask browsers to keep to https when PUBLIC_URL is https', async () => {
    const route = createRouteApp({ PUBLIC_URL: 'https://sms.example.com' }, { sandbox: {} });
    const res = await route.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    expect(directives(res.headers['content-security-policy'] as string)).toHaveProperty('upgrade-insecure-requests');
  });
});

describe('headers browsers only apply in a secure context (Cross-Origin-Opener-Policy, Origin-Agent-Cluster)', () => {
  // The app answers at a LAN address it was told about; the request itself stays on loopback.
  const LAN = '192.168.1.5:3000';
  const PAGES = ['/', '/sandbox/signin', '/css/app.css', '/nowhere'];

  it('are left out over plain http at a network address, on the app’s pages and the sandbox’s, where browsers would log an error for each', async () => {
    const route = await withSandboxPages({ ALLOWED_HOSTS: '192.168.1.5' });
    for (const path of PAGES) {
      const res = await route.browser().get(path).set('Host', LAN);
      expect(res.status, path).toBe(path === '/nowhere' ? 404 : 200);
      expect(res.headers['cross-origin-opener-policy'], path).toBeUndefined();
      expect(res.headers['origin-agent-cluster'], path).toBeUndefined();
      // The rest of the policy stays.
      expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options'], path).toBe('DENY');
    }
    // The page itself is the app's, served at that address.
    const home = await route.browser().get('/').set('Host', LAN);
    expect(home.text).toContain('Connect with Nexmo');
  });

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'demo.localhost:3000'])('are sent at the loopback host %s', async (host) => {
    const route = await withSandboxPages({ ALLOWED_HOSTS: 'demo.localhost' });
    for (const path of PAGES) {
      const res = await route.browser().get(path).set('Host', host);
      expect(res.status, path).toBe(path === '/nowhere' ? 404 : 200);
      expect(res.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(res.headers['origin-agent-cluster'], path).toBe('?1');
    }
  });

  it('are sent at a network address reached over https, through a trusted TLS proxy or with an https PUBLIC_URL', async () => {
    const proxied = await withSandboxPages({ ALLOWED_HOSTS: '192.168.1.5', TRUST_PROXY: 'loopback' });
    for (const path of PAGES) {
      const res = await proxied.browser().get(path).set('Host', LAN).set('X-Forwarded-Proto', 'https');
      expect(res.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(res.headers['origin-agent-cluster'], path).toBe('?1');
    }
    // Without the proxy's word the same request is plain http.
    const plain = await proxied.browser().get('/').set('Host', LAN);
    expect(plain.headers['cross-origin-opener-policy']).toBeUndefined();

    const route = await withSandboxPages({ PUBLIC_URL: 'https://sms.example.com' });
    const res = await route.browser().get('/').set('Host', 'sms.example.com');
    expect(res.status).toBe(200);
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['origin-agent-cluster']).toBe('?1');
  });
});
