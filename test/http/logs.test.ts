// What the app logs: every line tied to its request by an id that the client and the error pages
// see too, and no secret anywhere in it, whatever the flow went through.
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import type { PendingLogin } from '../../src/oauth/pendingLogin.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { SESSION_COOKIE } from '../../src/http/session.js';
import { createMemoryStores } from '../../src/store/memory.js';
import type { AppStores } from '../../src/store/types.js';
import { expectNoSecretIn, setCookies } from '../helpers/assertions.js';
import { startScriptedRest } from '../helpers/scriptedRest.js';
import { connect, csrfFrom, smsFormTokens, decideOnConsentPage, formFor, pathOf, startTestApp, type TestApp } from '../helpers/testApp.js';

const RECEIPT_KEY = 'logs-test-receipt-key-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const cleanUp: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanUp.splice(0).reverse()) await fn();
});

/** Memory stores that also hand the test every pending login (request token and its secret). */
function recordingStores(): { stores: AppStores; pending: PendingLogin[] } {
  const stores = createMemoryStores();
  const pending: PendingLogin[] = [];
  const add = stores.pendingLogins.add.bind(stores.pendingLogins);
  stores.pendingLogins.add = async (login) => {
    pending.push({ ...login });
    await add(login);
  };
  cleanUp.push(() => stores.close());
  return { stores, pending };
}

/** The value of cookie `name` in a response's Set-Cookie headers, if set. */
function cookieValue(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const pair = setCookies(res).find((c) => c.startsWith(`${name}=`))?.split(';')[0];
  const value = pair?.slice(name.length + 1);
  return value === '' ? undefined : value;
}

async function started(app: Promise<TestApp>): Promise<TestApp> {
  const running = await app;
  cleanUp.push(() => running.close());
  return running;
}

describe('the logs', () => {
  it('never contain a secret, through login, a send, its receipt, logout and a provider failure', async () => {
    const { stores, pending } = recordingStores();
    // trace: every level the app has is written, so nothing escapes the search.
    const app = await started(startTestApp({ RECEIPT_KEY, LOG_LEVEL: 'trace' }, { stores, sandbox: { receiptDelayMs: 50 } }));
    const browser = app.browser();
    const secrets: string[] = [app.sandbox!.consumerSecret, RECEIPT_KEY];

    // Login through the sandbox's consent page.
    const login = await browser.get('/auth/login');
    expect(login.status).toBe(302);
    const firstCookie = cookieValue(login, SESSION_COOKIE);
    const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize');
    const callbackQuery = new URL(callback).searchParams;
    const done = await browser.get(pathOf(callback));
    expect(done.headers.location).toBe('/?notice=connected');
    const sessionCookie = cookieValue(done, SESSION_COOKIE);
    expect(pending).toHaveLength(1);
    secrets.push(pending[0]!.token, pending[0]!.secret, callbackQuery.get('oauth_verifier')!, firstCookie!, sessionCookie!);
    // The raw cookie value is signed; its session id is a secret of its own too.
    secrets.push(decodeURIComponent(sessionCookie!).replace(/^s:/, '').split('.')[0]!);

    const sessions = await new Promise<Record<string, { connection?: { token: string; secret: string } }>>((resolve, reject) =>
      stores.sessions.all!((err, all) => (err ? reject(err) : resolve((all ?? {}) as Record<string, { connection?: { token: string; secret: string } }>))),
    );
    const connection = Object.values(sessions).find((s) => s.connection)!.connection!;
    secrets.push(connection.token, connection.secret);

    // Send an SMS; the sandbox posts its receipt to the webhook, whose URL carries the key.
    const form = await browser.get('/sms');
    const csrf = csrfFrom(form.text);
    secrets.push(csrf);
    const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'Logged, but never its secrets' });
    expect(sent.status).toBe(303);
    const statusUrl = `${sent.headers.location as string}/status.json`;
    let status = (await browser.get(statusUrl)).body as { complete: boolean };
    for (let attempt = 0; !status.complete && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await browser.get(statusUrl)).body as { complete: boolean };
    }
    expect(status.complete).toBe(true);
    expect(app.logEntries.some((e) => e.path === `${RECEIPT_PATH}/:key` && e.statusCode === 204)).toBe(true);
    // A receipt to a mistyped URL still carries the key: it is hidden there too.
    expect((await supertest(app.url).get(`${RECEIPT_PATH.toUpperCase()}/${RECEIPT_KEY}/x`)).status).toBe(404);

    // Logout.
    const home = await browser.get('/');
    const { action, fields } = formFor(home.text, /^Disconnect/);
    const logout = await browser.post(action).type('form').send(fields);
    expect(logout.status).toBe(303);

    // A provider failure: a live configuration whose provider refuses the consumer.
    const rest = await startScriptedRest();
    cleanUp.push(() => rest.close());
    const liveSecret = 'live-consumer-secret-for-the-logs-test';
    secrets.push(liveSecret);
    rest.answerOther({ status: 401, body: 'oauth_problem=signature_invalid' });
    const live = await started(
      startTestApp({ NEXMO_CONSUMER_KEY: 'live-key', NEXMO_CONSUMER_SECRET: liveSecret, NEXMO_OAUTH_URL: `${rest.url}/oauth/`, NEXMO_REST_URL: rest.url, LOG_LEVEL: 'trace' }),
    );
    expect((await live.browser().get('/auth/login')).status).toBe(502);
    expect(live.logs.some((line) => line.startsWith('provider failure during request token'))).toBe(true);

    const everything = [...app.rawLogs, ...live.rawLogs];
    expect(everything.length).toBeGreaterThan(20);
    // The flow went through the parts that could leak: the sandbox's lines are in the same log.
    expect(app.logEntries.some((e) => e.component === 'sandbox' && e.msg === 'sandbox: access token issued')).toBe(true);
    expect(app.logs).toContain('connected: access token obtained');
    expect(new Set(secrets).size).toBe(secrets.length);
    expectNoSecretIn(everything, ...secrets);
    expect(everything.join('\n')).not.toMatch(/oauth_(token|verifier|signature)=|_csrf=/);
  });

  it('gives every request an id of its own, never the one a client sends, on every line it logs', async () => {
    const app = await started(startTestApp({ RECEIPT_KEY }));
    const first = await supertest(app.url).get('/').set('X-Request-Id', 'chosen-by-the-client');
    const second = await supertest(app.url).get('/');
    const ids = [first.headers['x-request-id'], second.headers['x-request-id']];
    expect(ids[0]).toMatch(UUID);
    expect(ids[1]).toMatch(UUID);
    expect(ids[0]).not.toBe(ids[1]);
    expect(app.rawLogs.join('\n')).not.toContain('chosen-by-the-client');

    // A receipt: the webhook's own line and the access line share the id.
    const receipt = await supertest(app.url).get(`${RECEIPT_PATH}/${RECEIPT_KEY}`).query({ messageId: 'FFFFFFFFFFFFFFFF', msisdn: '447700900000', to: 'Demo', status: 'delivered', 'err-code': '0', 'message-timestamp': '2026-11-23 12:00:00' });
    expect(receipt.status).toBe(204);
    const id = receipt.headers['x-request-id'] as string;
    const lines = app.logEntries.filter((e) => e.requestId === id).map((e) => e.msg);
    expect(lines).toEqual([expect.stringMatching(/^delivery receipt: delivered/), `GET ${RECEIPT_PATH}/:key 204`]);
  });

  it('writes one line for a send, its access line, naming the message and what Nexmo answered', async () => {
    const app = await started(startTestApp({ RECEIPT_KEY }));
    const browser = await connect(app);
    const form = await browser.get('/sms');
    const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'One line' });
    expect(sent.status).toBe(303);
    const messageId = /^\/messages\/([A-Za-z0-9_-]{22})$/.exec(sent.headers.location as string)![1]!;
    const lines = app.logEntries.filter((e) => e.requestId === sent.headers['x-request-id']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'POST', path: '/sms', statusCode: 303, messageId, outcome: 'sent', msg: `POST /sms 303: sms ${messageId}: sent (1 parts)` });
    expect(app.sandbox!.stats().smsCalls).toBe(1);
  });

  it('shows the request id on an error page and in a JSON error, the same as in X-Request-Id and in the log', async () => {
    const rest = await startScriptedRest();
    cleanUp.push(() => rest.close());
    rest.answerOther({ status: 503, body: 'down for maintenance' });
    const app = await started(startTestApp({ NEXMO_CONSUMER_KEY: 'k', NEXMO_CONSUMER_SECRET: 'live-consumer-secret', NEXMO_OAUTH_URL: `${rest.url}/oauth/`, NEXMO_REST_URL: rest.url }));

    const page = await app.browser().get('/auth/login');
    expect(page.status).toBe(502);
    const id = page.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    expect(page.text).toContain(`Quote this id if you report it: <code class="request-id">${id}</code>`);
    const lines = app.logEntries.filter((e) => e.requestId === id);
    expect(lines.map((e) => e.msg)).toEqual([expect.stringMatching(/^provider failure during request token: ProviderHttpError status=503/), 'GET /auth/login 502']);
    expect(lines[1]).toMatchObject({ level: 'error', method: 'GET', path: '/auth/login', statusCode: 502 });

    const json = await app.browser().get('/auth/login').set('Accept', 'application/json');
    expect(json.status).toBe(502);
    expect(json.body.error.requestId).toBe(json.headers['x-request-id']);
    expect(json.body.error.requestId).not.toBe(id);
    expect(app.logEntries.some((e) => e.requestId === json.body.error.requestId && e.statusCode === 502)).toBe(true);

    // Every error page has it, a 404 too.
    const missing = await app.browser().get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain(`Quote this id if you report it: <code class="request-id">${missing.headers['x-request-id'] as string}</code>`);
  });
});
