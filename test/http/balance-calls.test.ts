// The balance on the SMS form is read at most once a minute per account, on whichever
// instance: two instances on one SQLite file or one Redis, loaded at once, make one call between
// them. The login through a provider on another origin (the sandbox running alone), the calls
// counted by a scripted REST provider. One instance's rules: test/routes/balance-calls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startStandalone, type RunningSandbox } from '@nexmo-oauth/sandbox/standalone';
import { expectProviderCalls } from '../helpers/assertions.js';
import { connect } from '../helpers/login.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { startScriptedRest } from '../helpers/scriptedRest.js';
import { TEST_STORE_KEY } from '../helpers/storeBackends.js';
import { NO_LIMITS, useTestApp, type TestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

/** A clock that stands still until the test moves it. */
function testClock() {
  let at = Date.now();
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

const balanceLine = (html: string) => /<p class="balance" id="balance">([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/\s+/g, ' ').trim();

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

  function liveApp(store: Record<string, string>, now: () => number): Promise<TestApp> {
    return startTestApp(
      { ...NO_LIMITS, NEXMO_CONSUMER_KEY: KEY, NEXMO_CONSUMER_SECRET: SECRET, NEXMO_OAUTH_URL: `${provider.baseUrl}/oauth/`, NEXMO_REST_URL: rest.url, STORE_KEY: TEST_STORE_KEY, ...store },
      { now },
    );
  }

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
      const cookie = (await connect(a!)).sessionCookie;
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
