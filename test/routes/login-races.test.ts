// Pending logins are records of their own, taken atomically: real concurrent requests, not
// sequential ones, are what these specifications are about. The app with the fake provider,
// which counts the token exchanges, on every store backend.
import { afterAll, describe, expect, it } from 'vitest';

import type { AppStores } from '../../src/store/types.js';
import { pathOf } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';
import { allBackends } from '../helpers/storeBackends.js';

const createRouteApp = useRouteApp();
const backends = allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

const exchanges = (route: ReturnType<typeof createRouteApp>) => route.consumer.tokenCalls.filter((call) => call.kind === 'access_token').length;

describe.each(backends)('one login, many requests at once, with the $name store', (backend) => {
  async function withStores(use: (stores: AppStores) => Promise<void>) {
    const stores = await backend.open();
    try {
      await use(stores);
    } finally {
      await stores.close();
    }
  }

  it('exchanges the request token exactly once when the same callback arrives eight times at once', async () => {
    await withStores(async (stores) => {
      const route = createRouteApp({}, { stores, sandbox: {} });
      const browser = route.browser();
      const login = await browser.get('/auth/login');
      const callback = pathOf(await route.approve(browser, login.headers.location as string));

      const answers = await Promise.all(Array.from({ length: 8 }, () => browser.get(callback)));

      const connected = answers.filter((res) => res.status === 302 && res.headers.location === '/?notice=connected');
      const refused = answers.filter((res) => res.status === 403);
      expect(connected).toHaveLength(1);
      expect(refused).toHaveLength(7);
      // A loser read either the session before the winner replaced it (the login is gone) or after
      // (the old session is gone): a refusal either way, never an exchange.
      for (const res of refused) expect(res.text).toMatch(/This sign-in was not started here|This browser has no sign-in in progress/);
      expect(exchanges(route)).toBe(1);
    });
  });

  it('keeps every login of three tabs started at the same moment, and each completes', async () => {
    await withStores(async (stores) => {
      const route = createRouteApp({}, { stores, sandbox: {} });
      const browser = route.browser();
      // The browser already has its session (the first tab), as when a person opens more tabs.
      const first = await browser.get('/auth/login');
      const more = await Promise.all([browser.get('/auth/login'), browser.get('/auth/login'), browser.get('/auth/login')]);
      const starts = [first, ...more];
      for (const res of starts) expect(res.status).toBe(302);

      for (const start of starts) {
        const callback = await route.approve(browser, start.headers.location as string);
        const done = await browser.get(pathOf(callback));
        expect(done.status).toBe(302);
        expect(done.headers.location).toBe('/?notice=connected');
      }
      expect(exchanges(route)).toBe(4);
    });
  });
});
