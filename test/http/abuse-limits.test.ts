// Abuse limits kept in the store, across whole apps: two instances on one SQLite file or one
// Redis share every limit, and limits kept in a Redis that goes away refuse (503) without
// calling the provider, then count again. The mounted sandbox counts the calls that reached it.
// Each limit on one instance: test/routes/abuse-limits.
import supertest from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { expectProviderCalls, providerCalls, shouldNotSetCookie } from '../helpers/assertions.js';
import { connect } from '../helpers/login.js';
import { formsOf, fresh, refused, statuses } from '../helpers/manyForms.js';
import { startRedisServer } from '../helpers/redisServer.js';
import { redisBackend, sqliteBackend } from '../helpers/storeBackends.js';
import { NO_LIMITS, useTestApp, type TestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();
const apps: TestApp[] = [];
async function start(env: Record<string, string>): Promise<TestApp> {
  // A fast sandbox: its own throttle must not be what stops the sends.
  const app = await startTestApp({ ...NO_LIMITS, ...env }, { sandbox: { receiptDelayMs: 600_000, maxRequestsPerSecond: 1000 } });
  apps.push(app);
  return app;
}
afterEach(() => {
  // express-rate-limit reports misconfiguration through the app's log: there must be none.
  for (const app of apps.splice(0)) expect(app.logs.filter((line) => /rate.?limit/i.test(line))).toEqual([]);
});

const backends = [sqliteBackend(), redisBackend()];
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

describe.each(backends)('limits kept in the $name store', (backend) => {
  it('are shared by two app instances on the one store', async () => {
    const env = { ...(await backend.env()), LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '3', LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '5', LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '100' };
    const a = await start(env);
    const b = await start(env);
    // One session, used through both instances (the store holds sessions and the sandbox's state).
    const browser = await connect(a);
    const cookie = browser.sessionCookie;
    const forms = await formsOf(browser, 20);
    const post = (app: TestApp) => supertest(app.url).post('/sms').set('Cookie', cookie).type('form').send({ ...forms.next(), from: 'Demo', to: '447700900123', text: fresh() });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i % 2 ? a : b)));
    expect(answers.filter((x) => x.status === 303)).toHaveLength(3);
    expect(refused(answers)).toHaveLength(17);
    expect(providerCalls(a.sandbox!, 'sms') + providerCalls(b.sandbox!, 'sms')).toBe(3);

    // One login start was used by connect(); four more across the two instances, then none.
    const logins = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).browser().get('/auth/login')));
    expect(logins.filter((x) => x.status === 302)).toHaveLength(4);
    expect(providerCalls(a.sandbox!, 'request_token') + providerCalls(b.sandbox!, 'request_token')).toBe(5);
  });
});

describe('limits kept in a Redis that goes away', () => {
  it('answer 503 without calling the provider while Redis is down, and count again when it is back', async () => {
    const redis = await startRedisServer();
    try {
      const app = await start({ REDIS_URL: redis.url, LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '2' });
      await redis.stop();
      const down = await app.browser().get('/auth/login');
      expect(down.status).toBe(503);
      shouldNotSetCookie(down);
      expectProviderCalls(app.sandbox!, 'request_token', 0);
      // Back empty (no persistence): the counter script is loaded again and counting resumes.
      await redis.restart();
      await expect.poll(async () => (await app.browser().get('/readyz')).status, { timeout: 10_000 }).toBe(200);
      const answers = await Promise.all(Array.from({ length: 5 }, () => app.browser().get('/auth/login')));
      expect(statuses(answers)).toEqual([302, 302, 429, 429, 429]);
      expectProviderCalls(app.sandbox!, 'request_token', 2);
    } finally {
      // Closed before its Redis goes (the log check is for the specs whose store stays up).
      for (const app of apps.splice(0)) await app.close();
      await redis.close();
    }
  });
});
