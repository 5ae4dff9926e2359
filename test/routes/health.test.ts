// The health endpoints over a real Redis store: up and ready, and not ready while the store is
// unreachable, ready again once it is back.
import { afterAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../../src/logging/logger.js';
import { connectRedisStores } from '../../src/store/redis/index.js';
import { startRedisServer } from '../helpers/redisServer.js';
import { useRouteApp } from '../helpers/routeApp.js';
import { redisBackend, testSealer, TEST_SESSION_IDLE_MS } from '../helpers/storeBackends.js';

const createRouteApp = useRouteApp();
const redis = redisBackend();
afterAll(() => redis.tearDown());

describe('health endpoints', () => {
  it('say the process is up and ready, without a session, a version or any configuration', async () => {
    const stores = await redis.open();
    try {
      const route = createRouteApp({}, { stores });
      const health = await route.browser().get('/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok' });
      const ready = await route.browser().get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready' });
      for (const res of [health, ready]) {
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.text).not.toMatch(/redis|sqlite|version|\d+\.\d+\.\d+/i);
      }
    } finally {
      await stores.close();
    }
  });

  it('report not ready while the store is unreachable, and ready again once it is back', async () => {
    const server = await startRedisServer();
    const stores = await connectRedisStores(server.url, { log: silentLogger, sealer: testSealer, sessionIdleMs: TEST_SESSION_IDLE_MS });
    try {
      const route = createRouteApp({}, { stores });
      await server.stop();
      const down = await route.browser().get('/readyz').timeout(8000);
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable' });
      expect((await route.browser().get('/healthz')).status).toBe(200);
      await server.restart();
      let ready = await route.browser().get('/readyz');
      for (let attempt = 0; ready.status !== 200 && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ready = await route.browser().get('/readyz');
      }
      expect(ready.status).toBe(200);
    } finally {
      await stores.close();
      await server.close();
    }
  });
});
