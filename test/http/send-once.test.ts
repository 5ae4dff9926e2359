// Every send exactly once, on any instance: one form posted ten times at once, alternating
// between two whole apps on one Redis, makes one provider call, counted by the mounted sandbox,
// whose demo control holds that call while the other posts arrive. One instance, on SQLite and
// on Redis: test/routes/send-once.
import supertest from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { SANDBOX_MOUNT } from '../../src/routes/paths.js';
import { providerCalls } from '../helpers/assertions.js';
import { csrfFrom, linksIn, smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { redisBackend } from '../helpers/storeBackends.js';
import { NO_LIMITS, useTestApp, type TestApp } from '../helpers/testApp.js';

type Browser = supertest.Agent;

const SMS = { from: 'Demo', to: '447700900000', text: 'Only once, please' };
/** How long the sandbox holds the armed send: the other posts all arrive while it waits. */
const HELD_MS = 4000;

const startTestApp = useTestApp();
function start(env: Record<string, string>): Promise<TestApp> {
  return startTestApp({ ...NO_LIMITS, ...env }, { sandbox: { slowCallMs: HELD_MS, receiptDelayMs: 600_000, maxRequestsPerSecond: 1000 } });
}

const redis = redisBackend();
afterAll(() => redis.tearDown());

/**
 * Arms the sandbox's demo control for the account this browser connected (the controls open on
 * it): its next SMS call waits HELD_MS before it is answered.
 */
async function holdNextSend(browser: Browser): Promise<void> {
  const controls = `${SANDBOX_MOUNT}${CONTROLS_PATH}`;
  const page = await browser.get(controls);
  expect(page.status).toBe(200);
  const armed = await browser.post(controls).type('form').send({ csrf: csrfFrom(page.text, 'csrf'), action: 'slow', call: 'sms' });
  expect(armed.status).toBe(303);
}

async function drawForm(browser: Browser): Promise<{ _csrf: string; sendKey: string }> {
  const form = await browser.get('/sms');
  expect(form.status).toBe(200);
  return smsFormTokens(form.text);
}

/** The message links of the history's first page. */
async function historyIds(browser: Browser): Promise<string[]> {
  const page = await browser.get('/messages');
  expect(page.status).toBe(200);
  return linksIn(page.text, 'table a').map((link) => link.href).filter((href) => /^\/messages\/[A-Za-z0-9_-]{22}$/.test(href));
}

const smsCalls = (...running: TestApp[]) => running.reduce((sum, app) => sum + providerCalls(app.sandbox!, 'sms'), 0);

describe('two app instances on one Redis', () => {
  it('ten concurrent posts of one form, alternating between the instances, make one provider call and answer 303 to one message', async () => {
    const env = await redis.env();
    const a = await start(env);
    const b = await start(env);
    const browser = await connect(a);
    const cookie = browser.sessionCookie;
    await holdNextSend(browser);
    const form = await drawForm(browser);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => supertest((i % 2 ? a : b).url).post('/sms').set('Cookie', cookie).type('form').send({ ...form, ...SMS })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(303));
    expect(new Set(answers.map((answer) => answer.headers.location)).size).toBe(1);
    expect(smsCalls(a, b)).toBe(1);
    expect(await historyIds(browser)).toEqual([answers[0]!.headers.location]);
  });
});
