// Several instances behind one Redis, and Redis going away and coming back: real redis-servers
// started by the test, real app instances, real HTTP.
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startStandalone, type RunningSandbox } from '@nexmo-oauth/sandbox/standalone';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { startRedisServer, type RedisServer } from '../helpers/redisServer.js';
import { smsFormTokens } from '../helpers/html.js';
import { connect, decideOnConsentPage, pathOf } from '../helpers/login.js';
import { useTestApp, type TestApp } from '../helpers/testApp.js';

const KEY = 'shared-consumer-key';
const SECRET = 'shared-consumer-secret';
const RECEIPT_KEY = 'shared-receipt-key-0123456789abcdef';

let redis: RedisServer;
let provider: RunningSandbox;

beforeAll(async () => {
  redis = await startRedisServer({ persistent: true });
  provider = await startStandalone({ port: 0, host: '127.0.0.1', consumerKey: KEY, consumerSecret: SECRET }, () => {});
});
afterAll(async () => {
  await provider.close();
  await redis.close();
});
const startTestApp = useTestApp();

/** An instance in live mode against the shared provider, keeping everything in the shared Redis. */
function instance(): Promise<TestApp> {
  return startTestApp({
    NEXMO_CONSUMER_KEY: KEY,
    NEXMO_CONSUMER_SECRET: SECRET,
    NEXMO_OAUTH_URL: `${provider.baseUrl}/oauth/`,
    NEXMO_REST_URL: provider.baseUrl,
    REDIS_URL: redis.url,
  });
}

describe('two instances sharing one Redis', () => {
  it('serve one login: log in on A, send on B, read the message and a receipt that reached B on A', async () => {
    const [a, b] = [await instance(), await instance()];
    const cookie = (await connect(a)).sessionCookie;

    const form = await supertest(b.url).get('/sms').set('Cookie', cookie);
    expect(form.status).toBe(200);
    const sent = await supertest(b.url).post('/sms').set('Cookie', cookie).type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447911123456', text: 'From B' });
    expect(sent.status).toBe(303);
    const messageUrl = sent.headers.location as string;

    const onA = await supertest(a.url).get(messageUrl).set('Cookie', cookie);
    expect(onA.status).toBe(200);
    expect(onA.text).toContain('From B');
    const messageId = /data-receipt-for="([^"]+)"/.exec(onA.text)![1]!;

    // The receipt key is shared through Redis too (RECEIPT_KEY is not set here).
    const key = await b.stores.settings.getOrCreate('receipt-key', () => 'never-used');
    const receipt = await supertest(b.url).post(`${RECEIPT_PATH}/${key}`).send({ messageId, status: 'delivered', 'err-code': '0' });
    expect(receipt.status).toBe(204);

    const status = await supertest(a.url).get(`${messageUrl}/status.json`).set('Cookie', cookie).set('Accept', 'application/json');
    expect(status.status).toBe(200);
    expect(status.body.parts[0].receipt).toMatchObject({ status: 'delivered' });
    expect(provider.sandbox.stats().accessTokenCalls).toBeGreaterThanOrEqual(1);
  });

  it('exchange a request token once when its callback reaches both at the same moment', async () => {
    const [a, b] = [await instance(), await instance()];
    const browser = a.browser();
    const login = await browser.get('/auth/login');
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    // Approved on the provider's own consent page, in a browser of its own origin.
    const callback = pathOf(await decideOnConsentPage(supertest.agent(provider.baseUrl), login.headers.location as string, 'Authorize'));
    const before = provider.sandbox.stats().accessTokenCalls;

    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => supertest((i % 2 ? a : b).url).get(callback).set('Cookie', cookie)));

    expect(answers.filter((res) => res.status === 302 && res.headers.location === '/?notice=connected')).toHaveLength(1);
    expect(answers.filter((res) => res.status === 403)).toHaveLength(7);
    expect(provider.sandbox.stats().accessTokenCalls - before).toBe(1);
  });
});

describe('Redis going away while the app runs', () => {
  it('answers 503 within seconds while Redis is down, and recovers by itself when it is back', async () => {
    const app = await instance();
    const cookie = (await connect(app)).sessionCookie;
    expect((await supertest(app.url).get('/sms').set('Cookie', cookie)).status).toBe(200);

    await redis.stop();
    try {
      // A bounded wait, not a timing assertion: a hanging request fails here instead of passing.
      const down = await supertest(app.url).get('/sms').set('Cookie', cookie).timeout(8000);
      expect(down.status).toBe(503);
      expect(down.text).toContain('The app can’t reach its storage');
      expect(down.text).not.toMatch(/at .*\.(ts|js):\d+/);
      const json = await supertest(app.url).get('/sms').set('Cookie', cookie).set('Accept', 'application/json').timeout(8000);
      expect(json.status).toBe(503);
      expect(json.body.error.status).toBe(503);
    } finally {
      await redis.restart();
    }

    // Service returns without restarting the app; the session survived in Redis.
    let back = await supertest(app.url).get('/sms').set('Cookie', cookie);
    for (let attempt = 0; back.status !== 200 && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      back = await supertest(app.url).get('/sms').set('Cookie', cookie);
    }
    expect(back.status).toBe(200);
    expect(back.text).toContain('Send an SMS');
    expect(app.logs.some((line) => /Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/.test(line))).toBe(true);
    expect(app.logs.some((line) => /Redis at redis:\/\/127\.0\.0\.1:\d+ is reachable again/.test(line))).toBe(true);

    // The restarted server has none of the scripts the app loaded when it connected: a send
    // still reserves and completes (the script's text is sent again), once.
    const sendsBefore = provider.sandbox.stats().smsCalls;
    const sent = await supertest(app.url).post('/sms').set('Cookie', cookie).type('form').send({ ...smsFormTokens(back.text), from: 'Demo', to: '447911123456', text: 'After the restart' });
    expect(sent.status).toBe(303);
    expect(provider.sandbox.stats().smsCalls - sendsBefore).toBe(1);
    const message = await supertest(app.url).get(sent.headers.location as string).set('Cookie', cookie);
    expect(message.status).toBe(200);
    expect(message.text).toContain('After the restart');
  });

  it('answers 503 within seconds while Redis stalls with its connections open, and serves again once it resumes', async () => {
    const app = await instance();
    const cookie = (await connect(app)).sessionCookie;
    const form = await supertest(app.url).get('/sms').set('Cookie', cookie);
    expect(form.status).toBe(200);

    const sendsBefore = provider.sandbox.stats().smsCalls;
    redis.pause();
    let stalled;
    try {
      // A bounded wait, not a timing assertion: a request hanging on the frozen server fails here.
      stalled = await supertest(app.url).post('/sms').set('Cookie', cookie).type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447911123456', text: 'While frozen' }).timeout(8000);
    } finally {
      redis.resume();
    }
    expect(stalled.status).toBe(503);
    expect(stalled.text).toContain('The app can’t reach its storage');
    expect(stalled.text).not.toMatch(/at .*\.(ts|js):\d+/);

    const again = await supertest(app.url).get('/sms').set('Cookie', cookie);
    expect(again.status).toBe(200);
    expect(again.text).toContain('Send an SMS');
    // Nothing went to the provider, and nothing half-stored shows in the history.
    expect(provider.sandbox.stats().smsCalls).toBe(sendsBefore);
    const history = await supertest(app.url).get('/messages').set('Cookie', cookie);
    expect(history.status).toBe(200);
    expect(history.text).not.toContain('While frozen');
  });
});
