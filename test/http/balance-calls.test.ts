// The balance on the SMS form costs a signed call on the user's Nexmo account that no send limit
// counts, so the form makes at most one a minute per account, whoever asks and on whichever
// instance, and a refused or invalid form makes none. Calls are counted where they arrive: the
// sandbox's own counters, or the scripted provider's record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startStandalone, type RunningSandbox } from '@nexmo-oauth/sandbox/standalone';
import { expectNoSmsSent, expectProviderCalls } from '../helpers/assertions.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { startScriptedRest } from '../helpers/scriptedRest.js';
import { TEST_STORE_KEY } from '../helpers/storeBackends.js';
import { NO_LIMITS, connect, csrfFrom, smsFormTokens, logInThroughProvider, startTestApp, type TestApp } from '../helpers/testApp.js';

/** A clock that stands still until the test moves it. */
function testClock() {
  let at = Date.now();
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function sandboxApp(clock = testClock()) {
  // The sandbox checks signature timestamps, which the consumer takes from the real clock.
  const app = await startTestApp(NO_LIMITS, { now: clock.now, sandbox: { receiptDelayMs: 600_000, now: Date.now } });
  apps.push(app);
  return { app, clock, browser: await connect(app) };
}

const balanceLine = (html: string) => /<p class="balance" id="balance">([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/\s+/g, ' ').trim();

describe('the balance on the SMS form (sandbox)', () => {
  it('ten loads within a minute make one balance call, each showing the balance; a minute later one more', async () => {
    const { app, clock, browser } = await sandboxApp();
    for (let i = 0; i < 10; i++) {
      const form = await browser.get('/sms');
      expect(form.status).toBe(200);
      expect(balanceLine(form.text)).toBe('Balance: <strong>€10.00</strong>');
      clock.advance(5_000);
    }
    expectProviderCalls(app.sandbox!, 'balance', 1);

    clock.advance(15_000); // 65 s after the call
    const later = await browser.get('/sms');
    expect(balanceLine(later.text)).toBe('Balance: <strong>€10.00</strong>');
    expectProviderCalls(app.sandbox!, 'balance', 2);
    await browser.get('/sms');
    expectProviderCalls(app.sandbox!, 'balance', 2);
  });

  it('invalid posts re-render the form with the known balance and call the provider for nothing', async () => {
    const { app, clock, browser } = await sandboxApp();
    const tokens = smsFormTokens((await browser.get('/sms')).text);
    expectProviderCalls(app.sandbox!, 'balance', 1);
    for (let i = 0; i < 20; i++) {
      // Minutes apart: even a stale figure is shown rather than fetched again.
      clock.advance(120_000);
      const res = await browser.post('/sms').type('form').send({ ...tokens, from: 'Demo', to: 'not a number', text: `attempt ${i}` });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`attempt ${i}`);
      expect(balanceLine(res.text)).toBe('Balance: <strong>€10.00</strong>');
    }
    expectProviderCalls(app.sandbox!, 'balance', 1);
    await expectNoSmsSent(app.sandbox!);
  });

  it('after a send shows the balance the send reported (the lowest of its parts), with no balance call', async () => {
    const { app, clock, browser } = await sandboxApp();
    const tokens = smsFormTokens((await browser.get('/sms')).text);
    expectProviderCalls(app.sandbox!, 'balance', 1);
    clock.advance(120_000); // the fetched figure is now stale; the send's is newer
    const sent = await browser.post('/sms').type('form').send({ ...tokens, from: 'Demo', to: '447700900000', text: 'x'.repeat(200) });
    expect(sent.status).toBe(303);
    expectProviderCalls(app.sandbox!, 'sms', 1);

    const form = await browser.get('/sms');
    // Two parts at €0.0333: €10 − €0.0666 = €9.9334, shown to the cent.
    expect(balanceLine(form.text)).toBe('Balance: <strong>€9.93</strong>');
    expectProviderCalls(app.sandbox!, 'balance', 1);
  });

  it('concurrent loads with nothing known make one call, and every page shows its answer', async () => {
    // The login ends on the home page, which asks for no balance: nothing is known yet.
    const { app, browser } = await sandboxApp();
    const pages = await Promise.all(Array.from({ length: 10 }, () => browser.get('/sms')));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(balanceLine(page.text)).toBe('Balance: <strong>€10.00</strong>');
    }
    expectProviderCalls(app.sandbox!, 'balance', 1);
  });
});

describe('the balance on the SMS form (live provider)', () => {
  const KEY = 'balance-consumer-key';
  const SECRET = 'balance-consumer-secret';
  let provider: RunningSandbox;
  let rest: Awaited<ReturnType<typeof startScriptedRest>>;
  let redis: RedisServer;
  let dir: string;

  beforeAll(async () => {
    provider = await startStandalone({ port: 0, host: '127.0.0.1', consumerKey: KEY, consumerSecret: SECRET }, () => {});
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'balance-calls-'));
  });
  afterAll(async () => {
    await provider.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function liveApp(store: Record<string, string>, now: () => number): Promise<TestApp> {
    const app = await startTestApp(
      { ...NO_LIMITS, NEXMO_CONSUMER_KEY: KEY, NEXMO_CONSUMER_SECRET: SECRET, NEXMO_OAUTH_URL: `${provider.baseUrl}/oauth/`, NEXMO_REST_URL: rest.url, STORE_KEY: TEST_STORE_KEY, ...store },
      { now },
    );
    apps.push(app);
    return app;
  }


  it('an invalid post with no balance known shows none and calls nothing', async () => {
    rest = await startScriptedRest();
    try {
      rest.answerBalance({ status: 503, body: 'down' });
      const app = await liveApp({}, testClock().now);
      const cookie = await logInThroughProvider(app, provider.baseUrl);
      const form = await supertest(app.url).get('/sms').set('Cookie', cookie);
      expect(balanceLine(form.text)).toContain('Balance unavailable right now');
      expectProviderCalls(rest, 'balance', 1);

      const res = await supertest(app.url).post('/sms').set('Cookie', cookie).type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: '' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('name="text"');
      expect(res.text).not.toContain('id="balance"');
      expectProviderCalls(rest, 'balance', 1);
      expectProviderCalls(rest, 'sms', 0);
    } finally {
      await rest.close();
    }
  });

  it.each([
    ['a SQLite file', () => ({ SQLITE_PATH: join(dir, `shared-${Date.now()}.db`) })],
    ['a Redis', () => ({ REDIS_URL: `${redis.url}/3` })],
  ])('two instances on %s, loaded at once, make one balance call between them', async (_name, storeEnv) => {
    rest = await startScriptedRest();
    try {
      // A slow answer keeps the first call open while the other loads arrive.
      rest.answerBalance({ status: 200, body: JSON.stringify({ value: 7.25, autoReload: false }), contentType: 'application/json', delayMs: 300 });
      const clock = testClock();
      const store = storeEnv();
      const [a, b] = [await liveApp(store, clock.now), await liveApp(store, clock.now)];
      const cookie = await logInThroughProvider(a!, provider.baseUrl);
      const pages = await Promise.all(Array.from({ length: 10 }, (_, i) => supertest((i % 2 ? b : a)!.url).get('/sms').set('Cookie', cookie)));
      for (const page of pages) expect(page.status).toBe(200);
      expectProviderCalls(rest, 'balance', 1);
      // The instance that made the call, and any load after it, show its figure.
      expect(pages.filter((page) => balanceLine(page.text) === 'Balance: <strong>€7.25</strong>').length).toBeGreaterThanOrEqual(1);
      const after = await supertest(b!.url).get('/sms').set('Cookie', cookie);
      expect(balanceLine(after.text)).toBe('Balance: <strong>€7.25</strong>');
      expectProviderCalls(rest, 'balance', 1);
    } finally {
      await rest.close();
    }
  });
});
