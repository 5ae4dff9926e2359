// Pending logins are records of their own, taken atomically: real concurrent requests, not
// sequential ones, are what these specifications are about.
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { allBackends } from '../helpers/storeBackends.js';
import { decideOnConsentPage, pathOf, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const backends = allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

describe.each(backends)('one login, many requests at once, with the $name store', (backend) => {
  it('exchanges the request token exactly once when the same callback arrives eight times at once', async () => {
    app = await startTestApp(await backend.env());
    const browser = app.browser();
    const login = await browser.get('/auth/login');
    const callback = pathOf(await decideOnConsentPage(browser, login.headers.location as string, 'Authorize'));

    const answers = await Promise.all(Array.from({ length: 8 }, () => browser.get(callback)));

    const connected = answers.filter((res) => res.status === 302 && res.headers.location === '/?notice=connected');
    const refused = answers.filter((res) => res.status === 403);
    expect(connected).toHaveLength(1);
    expect(refused).toHaveLength(7);
    // A loser read either the session before the winner replaced it (the login is gone) or after
    // (the old session is gone): a refusal either way, never an exchange.
    for (const res of refused) expect(res.text).toMatch(/This sign-in was not started here|This browser has no sign-in in progress/);
    expect(app.sandbox!.stats().accessTokenCalls).toBe(1);
  });

  it('keeps every login of three tabs started at the same moment, and each completes', async () => {
    app = await startTestApp(await backend.env());
    const browser = app.browser();
    // The browser already has its session (the first tab), as when a person opens more tabs.
    const first = await browser.get('/auth/login');
    const more = await Promise.all([browser.get('/auth/login'), browser.get('/auth/login'), browser.get('/auth/login')]);
    const starts = [first, ...more];
    for (const res of starts) expect(res.status).toBe(302);

    for (const start of starts) {
      const callback = await decideOnConsentPage(browser, start.headers.location as string, 'Authorize');
      const done = await browser.get(pathOf(callback));
      expect(done.status).toBe(302);
      expect(done.headers.location).toBe('/?notice=connected');
    }
    expect(app.sandbox!.stats().accessTokenCalls).toBe(4);
  });
});
