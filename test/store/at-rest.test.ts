// A copy of the SQLite file or a Redis dump holds no usable token: after a login, the raw store
// contains neither the access token nor its secret, nor the pending request-token secret. The
// app with the fake provider, on each real backend opened as the app opens it; the sandbox's
// own state at rest: test/http/sandbox-at-rest.
import { afterAll, describe, expect, it } from 'vitest';

import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openStores } from '../../src/store/open.js';
import { pathOf } from '../helpers/login.js';
import { rawStore } from '../helpers/rawStore.js';
import { useRouteApp } from '../helpers/routeApp.js';
import { redisBackend, sqliteBackend } from '../helpers/storeBackends.js';

const createRouteApp = useRouteApp();
const backends = [sqliteBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

const ACCESS = { token: 'access-token-at-rest-1', secret: 'access-secret-at-rest-1' };

describe.each(backends)('tokens at rest in the $name store', (backend) => {
  it('are sealed: the raw store holds no access token, token secret or request-token secret', async () => {
    const env = await backend.env();
    const config = loadConfig({ ...env, SESSION_SECRET: 'at-rest-spec' });
    const stores = await openStores(config.store, { log: silentLogger, storeKeys: config.storeKeys, sessionIdleMs: config.session.idleMs });
    try {
      const route = createRouteApp(env, { stores });
      Object.assign(route.consumer.access, ACCESS);
      const browser = route.browser();
      const login = await browser.get('/auth/login');
      expect(login.status).toBe(302);
      const pending = await rawStore(backend.name, env);
      expect(pending).not.toContain('rt-secret-1');

      const done = await browser.get(pathOf(await route.approve(browser, login.headers.location as string)));
      expect(done.headers.location).toBe('/?notice=connected');
      expect((await browser.get('/')).text).toContain('Disconnect');

      const connected = await rawStore(backend.name, env);
      // The session is really there (the store is not simply empty)…
      expect(connected.length).toBeGreaterThan(100);
      for (const secret of [ACCESS.token, ACCESS.secret, 'rt-secret-1', route.provider.consumerSecret]) expect(connected).not.toContain(secret);
      expect(route.consumer.tokenCalls.map((call) => call.kind)).toEqual(['request_token', 'access_token']);
    } finally {
      await stores.close();
    }
  });
});
