import supertest from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { redisBackend } from '../helpers/storeBackends.js';
import { startRedisServer } from '../helpers/redisServer.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});
const redis = redisBackend();
afterAll(() => redis.tearDown());

describe('health endpoints', () => {
  it('say the process is up and ready, without a session, a version or any configuration', async () => {
    app = await startTestApp(await redis.env());
    const health = await supertest(app.url).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await supertest(app.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
    for (const res of [health, ready]) {
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.text).not.toMatch(/redis|sqlite|version|\d+\.\d+\.\d+/i);
    }
  });

  it('report not ready while the store is unreachable, and ready again once it is back', async () => {
    const server = await startRedisServer();
    try {
      app = await startTestApp({ REDIS_URL: server.url });
      await server.stop();
      const down = await supertest(app.url).get('/readyz').timeout(8000);
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable' });
      expect((await supertest(app.url).get('/healthz')).status).toBe(200);
      await server.restart();
      let ready = await supertest(app.url).get('/readyz');
      for (let attempt = 0; ready.status !== 200 && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ready = await supertest(app.url).get('/readyz');
      }
      expect(ready.status).toBe(200);
    } finally {
      await app?.close();
      app = undefined;
      await server.close();
    }
  });
});
