import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import { connect, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** `a b; c d e` → { a: ['b'], c: ['d', 'e'] } */
function directives(csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const directive of csp.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

/** The app's own policy, whatever page it is on. */
function expectAppSecurityHeaders(res: { headers: Record<string, unknown> }): void {
  const csp = res.headers['content-security-policy'];
  expect(typeof csp, 'Content-Security-Policy header').toBe('string');
  const policy = directives(csp as string);
  // No inline script: scripts come from the app's own origin only, with no escape hatch.
  expect(policy['script-src']).toEqual(["'self'"]);
  expect(policy['default-src']).toEqual(["'self'"]);
  expect(policy['object-src']).toEqual(["'none'"]);
  expect(policy['base-uri']).toEqual(["'none'"]);
  expect(policy['frame-ancestors']).toEqual(["'none'"]);
  // Forms post to the app only: an injected form cannot send a token elsewhere.
  expect(policy['form-action']).toEqual(["'self'"]);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|nonce-|sha256-/);
  // The callback URL carries oauth_token: it must never travel on in a Referer.
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
}

/** Every <script> on the page loads a file; none carries code of its own or an inline handler. */
function expectNoInlineScript(html: string): void {
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    expect(attrs, 'a <script> without src').toMatch(/\bsrc="[^"]+"/);
    expect(body!.trim(), 'code inside a <script src> element').toBe('');
  }
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/href="javascript:/i);
}

describe("the app's own security headers", () => {
  it('send the start page with a strict CSP (no inline script, no framing), no referrer and nosniff', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Connect with Nexmo');
    expectAppSecurityHeaders(res);
    expectNoInlineScript(res.text);
  });

  it('cover error pages too', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
    expectAppSecurityHeaders(res);
    expectNoInlineScript(res.text);
  });

  it('let the SMS form load its counter script from the app, and nothing inline', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const res = await browser.get('/sms');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<script type="module" src="/js/app/browser/sms-counter.js"></script>');
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
    app = await startTestApp();
    const browser = await connect(app);
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
    app = await startTestApp();
    const outside = await app.browser().get('/app.css');
    expect(outside.status).toBe(404);
    expect(outside.text).toContain('Page not found');
    const missing = await app.browser().get('/css/nothing.css');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Page not found');
  });
});

describe('transport security headers', () => {
  it('are left out on http: no HSTS, no upgrade-insecure-requests', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(directives(res.headers['content-security-policy'] as string)).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('ask browsers to keep to https when PUBLIC_URL is https', async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://sms.example.com' });
    // Behind its TLS proxy: talk to the listening server directly.
    const res = await supertest(app.server).get('/');
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
    app = await startTestApp({ ALLOWED_HOSTS: '192.168.1.5' });
    for (const path of PAGES) {
      const res = await supertest(app.server).get(path).set('Host', LAN);
      expect(res.status, path).toBe(path === '/nowhere' ? 404 : 200);
      expect(res.headers['cross-origin-opener-policy'], path).toBeUndefined();
      expect(res.headers['origin-agent-cluster'], path).toBeUndefined();
      // The rest of the policy stays.
      expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options'], path).toBe('DENY');
    }
    // The page itself is the app's, served at that address.
    const home = await supertest(app.server).get('/').set('Host', LAN);
    expect(home.text).toContain('Connect with Nexmo');
  });

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'demo.localhost:3000'])('are sent at the loopback host %s', async (host) => {
    app = await startTestApp({ ALLOWED_HOSTS: 'demo.localhost' });
    for (const path of PAGES) {
      const res = await supertest(app.server).get(path).set('Host', host);
      expect(res.status, path).toBe(path === '/nowhere' ? 404 : 200);
      expect(res.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(res.headers['origin-agent-cluster'], path).toBe('?1');
    }
  });

  it('are sent at a network address reached over https, through a trusted TLS proxy or with an https PUBLIC_URL', async () => {
    app = await startTestApp({ ALLOWED_HOSTS: '192.168.1.5', TRUST_PROXY: 'loopback' });
    for (const path of PAGES) {
      const res = await supertest(app.server).get(path).set('Host', LAN).set('X-Forwarded-Proto', 'https');
      expect(res.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(res.headers['origin-agent-cluster'], path).toBe('?1');
    }
    // Without the proxy's word the same request is plain http.
    const plain = await supertest(app.server).get('/').set('Host', LAN);
    expect(plain.headers['cross-origin-opener-policy']).toBeUndefined();
    await app.close();

    app = await startTestApp({ PUBLIC_URL: 'https://sms.example.com' });
    const res = await supertest(app.server).get('/').set('Host', 'sms.example.com');
    expect(res.status).toBe(200);
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['origin-agent-cluster']).toBe('?1');
  });
});
