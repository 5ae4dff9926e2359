// /metrics's door, on a throwaway app: this machine may read the figures, a request a proxy
// forwarded may not (it would make every visitor look local), and with METRICS_TOKEN set only
// its bearer may, from anywhere. Everyone else finds nothing there.
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { metricsEndpoint } from '../../src/http/metricsEndpoint.js';

const TOKEN = 'scrape-token-0123456789abcdef';
const FIGURES = '# HELP nexmo_sms_sends_total SMS sends\nnexmo_sms_sends_total{outcome="sent"} 3\n';

function appWith(token: string | undefined, trustProxy?: string) {
  let rendered = 0;
  const app = express();
  // As TRUST_PROXY sets it: then req.ip is the forwarded address, which must not open the door either.
  if (trustProxy) app.set('trust proxy', trustProxy);
  app.get('/metrics', metricsEndpoint({ render: async () => ((rendered += 1), FIGURES), contentType: 'text/plain; version=0.0.4; charset=utf-8', token }));
  app.use((_req, res) => res.status(404).send('nothing here'));
  return { app, rendered: () => rendered };
}

describe('GET /metrics', () => {
  it('answers this machine (loopback) with the figures, never cached', async () => {
    const { app, rendered } = appWith(undefined);
    const res = await supertest(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toBe(FIGURES);
    expect(rendered()).toBe(1);
  });

  it('finds nothing for a request a proxy forwarded, though it arrives from loopback, whether or not the proxy is trusted', async () => {
    for (const trustProxy of [undefined, 'loopback']) {
      const { app, rendered } = appWith(undefined, trustProxy);
      for (const [name, value] of [['X-Forwarded-For', '203.0.113.7'], ['X-Forwarded-For', '127.0.0.1'], ['Forwarded', 'for=203.0.113.7']] as const) {
        const res = await supertest(app).get('/metrics').set(name, value);
        expect(res.status, `${name}: ${value}, trust proxy ${trustProxy}`).toBe(404);
        expect(res.text).toBe('nothing here');
      }
      expect(rendered()).toBe(0);
    }
  });

  it('with a token, answers only its bearer, compared whole', async () => {
    const { app, rendered } = appWith(TOKEN);
    expect((await supertest(app).get('/metrics')).status).toBe(404);
    for (const wrong of [`Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      expect((await supertest(app).get('/metrics').set('Authorization', wrong)).status, wrong).toBe(404);
    }
    expect(rendered()).toBe(0);
    const res = await supertest(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).set('X-Forwarded-For', '203.0.113.7');
    expect(res.status).toBe(200);
    expect(res.text).toBe(FIGURES);
  });
});
