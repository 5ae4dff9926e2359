// A send is never lost: the built server as a real process, against a provider on loopback
// that holds its reply to /sms/json, SIGKILLed while it waits (the request has left, the reply
// has not come). Started again on the same SQLite file, the history lists the send, as outcome
// unknown, and nothing sends it again; its delivery receipt, naming it by client-ref, then
// shows how it went.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startStandalone, type RunningSandbox } from '@nexmo-oauth/sandbox/standalone';
import { elementOf, formFor, linksIn, smsFormTokens, textOf } from '../helpers/html.js';
import { freePort } from '../helpers/ports.js';
import { startScriptedRest } from '../helpers/scriptedRest.js';
import { requireBuild, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { pathOf } from '../helpers/login.js';

const KEY = 'interrupted-consumer-key';
const SECRET = 'interrupted-consumer-secret';
const RECEIPT_KEY = 'interrupted-receipt-key-0123456789abcdef';

let dir: string;
let server: ServerProcess | undefined;
let provider: RunningSandbox;
let rest: Awaited<ReturnType<typeof startScriptedRest>>;
beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'send-interrupted-'));
  provider = await startStandalone({ port: 0, host: '127.0.0.1', consumerKey: KEY, consumerSecret: SECRET }, () => {});
  rest = await startScriptedRest();
});
afterAll(async () => {
  await server?.stop();
  await rest.close();
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the app killed while the provider holds a send', () => {
  it('after a restart lists the send as outcome unknown, sends nothing again, and its receipt completes it', async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      SQLITE_PATH: join(dir, 'app.db'),
      SESSION_SECRET: 'interrupted-session-secret',
      RECEIPT_KEY,
      NEXMO_CONSUMER_KEY: KEY,
      NEXMO_CONSUMER_SECRET: SECRET,
      NEXMO_OAUTH_URL: `${provider.baseUrl}/oauth/`,
      NEXMO_REST_URL: rest.url,
      // The app would give up on the held call after this; it is killed long before.
      OAUTH_TIMEOUT_MS: '3000',
    };
    const base = `http://localhost:${port}`;
    server = await startServerProcess(env);
    const browser = supertest.agent(base);

    const login = await browser.get('/auth/login');
    const providerBrowser = supertest.agent(provider.baseUrl);
    const consent = await providerBrowser.get(pathOf(login.headers.location as string));
    const { action, fields } = formFor(consent.text, /^Authorize/);
    const decided = await providerBrowser.post(pathOf(new URL(action, provider.baseUrl).toString())).type('form').send(fields);
    expect((await browser.get(pathOf(decided.headers.location as string))).headers.location).toBe('/?notice=connected');

    rest.answerSms('hang');
    const form = await browser.get('/sms');
    expect(form.status).toBe(200);
    const tokens = smsFormTokens(form.text);
    const id = tokens.sendKey.split('.')[0]!;
    const post = browser.post('/sms').type('form').send({ ...tokens, from: 'Demo', to: '447911123456', text: 'Sent as the lights went out' }).then(
      () => 'answered',
      () => 'cut off',
    );
    // The request has reached the provider, which holds it: now the power goes.
    await expect.poll(() => rest.smsCalls().length, { timeout: 10_000 }).toBe(1);
    expect(new URLSearchParams(rest.smsCalls()[0]!.body).get('client-ref')).toBe(id);
    await server.kill();
    expect(await post).toBe('cut off');

    server = await startServerProcess(env);
    // The row is there at once (written before the call), and reads as unknown once its call
    // could no longer be answered (OAUTH_TIMEOUT_MS and a margin after it was made).
    const history = async () => {
      const page = await browser.get('/messages');
      expect(page.status).toBe(200);
      return page.text;
    };
    expect(linksIn(await history(), 'table a').map((link) => link.href)).toEqual([`/messages/${id}`]);
    await expect.poll(async () => textOf(elementOf(await history(), 'table tbody tr')), { timeout: 20_000, interval: 500 }).toContain('Outcome unknown: the app stopped while sending');
    const page = await browser.get(`/messages/${id}`);
    expect(textOf(elementOf(page.text, 'h1'))).toBe('Outcome unknown: the app stopped while sending');
    expect(page.text).toContain('Sent as the lights went out');
    // Never retried by itself: the provider still saw one call.
    expect(rest.smsCalls()).toHaveLength(1);

    // The provider had sent it after all: its receipt names the send by client-ref.
    const receipt = await supertest(base)
      .post(`/webhooks/delivery-receipt/${RECEIPT_KEY}`)
      .type('form')
      .send({ messageId: '0C00000000000001', msisdn: '447911123456', status: 'delivered', 'err-code': '0', price: '0.03330000', 'client-ref': id, 'message-timestamp': '2026-01-15 12:00:05' });
    expect(receipt.status).toBe(204);
    const completed = await browser.get(`/messages/${id}`);
    expect(textOf(elementOf(completed.text, 'h1'))).toBe('Delivered');
    expect(completed.text).toContain('0C00000000000001');
    expect(textOf(elementOf(await history(), 'table tbody tr'))).toContain('Delivered');
    expect(rest.smsCalls()).toHaveLength(1);
    expect(server.output()).not.toContain(SECRET);
  });
});
