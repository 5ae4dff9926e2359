// The security headers middleware (src/http/securityHeaders.ts) on a throwaway app: the policy
// every response carries, and the headers that depend on how the page was reached (https, a
// trusted proxy, a loopback host). Which pages of the app carry it: test/routes/page-headers.
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { securityHeaders } from '../../src/http/securityHeaders.js';
import { directives, expectAppSecurityHeaders } from '../helpers/securityPolicy.js';

/** The middleware in front of one page, as the app puts it in front of every answer. */
function appWith(options: { https: boolean; trustProxy?: string }) {
  const app = express();
  if (options.trustProxy) app.set('trust proxy', options.trustProxy);
  app.use(securityHeaders({ https: options.https }));
  app.get('/', (_req, res) => res.send('<p>page</p>'));
  return supertest(app);
}

const LAN = '192.168.1.5:3000';

describe('the security headers', () => {
  it('are a strict CSP (no inline script, no framing), no referrer and nosniff, on plain http and on https', async () => {
    for (const https of [false, true]) {
      const res = await appWith({ https }).get('/');
      expect(res.status).toBe(200);
      expect(res.text).toBe('<p>page</p>');
      expectAppSecurityHeaders(res);
    }
  });

  it('leave out transport security on http: no HSTS, no upgrade-insecure-requests', async () => {
    const res = await appWith({ https: false }).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(directives(res.headers['content-security-policy'] as string)).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('ask browsers to keep to https when PUBLIC_URL is https', async () => {
    const res = await appWith({ https: true }).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    expect(directives(res.headers['content-security-policy'] as string)).toHaveProperty('upgrade-insecure-requests');
  });
});

describe('headers browsers only apply in a secure context (Cross-Origin-Opener-Policy, Origin-Agent-Cluster)', () => {
  it('are left out over plain http at a network address, where browsers would log an error for each; the rest of the policy stays', async () => {
    const res = await appWith({ https: false }).get('/').set('Host', LAN);
    expect(res.status).toBe(200);
    expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
    expect(res.headers['origin-agent-cluster']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'demo.localhost:3000'])('are sent at the loopback host %s', async (host) => {
    const res = await appWith({ https: false }).get('/').set('Host', host);
    expect(res.status).toBe(200);
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['origin-agent-cluster']).toBe('?1');
  });

  it('are sent at a network address reached over https, through a trusted TLS proxy or with an https PUBLIC_URL', async () => {
    const proxied = appWith({ https: false, trustProxy: 'loopback' });
    const res = await proxied.get('/').set('Host', LAN).set('X-Forwarded-Proto', 'https');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['origin-agent-cluster']).toBe('?1');
    // Without the proxy's word the same request is plain http.
    const plain = await proxied.get('/').set('Host', LAN);
    expect(plain.headers['cross-origin-opener-policy']).toBeUndefined();
    // A proxy that is not trusted is not believed.
    const untrusted = await appWith({ https: false }).get('/').set('Host', LAN).set('X-Forwarded-Proto', 'https');
    expect(untrusted.headers['cross-origin-opener-policy']).toBeUndefined();

    const atPublicUrl = await appWith({ https: true }).get('/').set('Host', 'sms.example.com');
    expect(atPublicUrl.status).toBe(200);
    expect(atPublicUrl.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(atPublicUrl.headers['origin-agent-cluster']).toBe('?1');
  });
});
