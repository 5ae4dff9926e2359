// The security headers are worked out once and set as they are on each response: exactly what
// helmet itself would set on that response, for every policy the app uses.
import express from 'express';
import helmet from 'helmet';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { headersOf, securityHeaders, securityPolicy } from '../../src/http/securityHeaders.js';

/** The headers a response carries, without those every Express response has whatever the middleware. */
async function headersFrom(middleware: express.RequestHandler, host: string): Promise<Record<string, unknown>> {
  const app = express();
  app.disable('x-powered-by');
  app.use(middleware);
  app.get('/', (_req, res) => res.send('ok'));
  const res = await supertest(app).get('/').set('Host', host);
  expect(res.status).toBe(200);
  expect(res.text).toBe('ok');
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, etag: _etag, ...rest } = res.headers;
  return rest;
}

describe.each([
  { publicUrl: 'https', https: true },
  { publicUrl: 'http', https: false },
])('security headers computed once (PUBLIC_URL over $publicUrl)', ({ https }) => {
  it.each([
    { where: 'a loopback host (a secure context)', host: 'localhost:3000', secureContext: true },
    { where: 'a network address', host: '192.168.1.5:3000', secureContext: https },
  ])('are what helmet sets per response, on $where', async ({ host, secureContext }) => {
    const precomputed = await headersFrom(securityHeaders({ https }), host);
    const perResponse = await headersFrom(helmet(securityPolicy(https, secureContext)), host);
    expect(precomputed).toEqual(perResponse);
    expect(precomputed['content-security-policy']).toContain("script-src 'self'");
    expect(precomputed['strict-transport-security'] !== undefined).toBe(https);
    expect(precomputed['cross-origin-opener-policy'] !== undefined).toBe(secureContext);
  });

  it('records every header of the policy, to be set as it is on each response', () => {
    const headers = headersOf(securityPolicy(https, true));
    expect([...headers.keys()].map((k) => k.toLowerCase())).toEqual(
      expect.arrayContaining(['content-security-policy', 'referrer-policy', 'x-frame-options', 'x-content-type-options', 'cross-origin-opener-policy']),
    );
    expect(headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(headers.get('X-Frame-Options')).toBe('DENY');
  });
});
