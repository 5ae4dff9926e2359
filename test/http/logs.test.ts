// What the app logs, end to end: no secret anywhere in it, whatever the flow went through (the
// real sandbox's consent page, a signed send, its receipt through the webhook, logout, and a
// live provider's refusal). Each request's line and its id: test/routes/logs.
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import type { PendingLogin } from '../../src/oauth/pendingLogin.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { SESSION_COOKIE } from '../../src/http/session.js';
import { createMemoryStores } from '../../src/store/memory.js';
import type { AppStores } from '../../src/store/types.js';
import { expectNoSecretIn, setCookies } from '../helpers/assertions.js';
import { startScriptedRest } from '../helpers/scriptedRest.js';
import { csrfFrom, formFor, smsFormTokens } from '../helpers/html.js';
import { decideOnConsentPage, pathOf } from '../helpers/login.js';
import { useTestApp } from '../helpers/testApp.js';

const RECEIPT_KEY = 'logs-test-receipt-key-0123456789';

// Registered first, so it runs after the apps are closed (afterEach hooks run last-registered first).
const cleanUp: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanUp.splice(0).reverse()) await fn();
});
const startTestApp = useTestApp();

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

describe('the logs', () => {
  it('never contain a secret, through login, a send, its receipt, logout and a provider failure', async () => {
    const { stores, pending } = recordingStores();
    // trace: every level the app has is written, so nothing escapes the search.
    const app = await startTestApp({ RECEIPT_KEY, LOG_LEVEL: 'trace' }, { stores, sandbox: { receiptDelayMs: 50 } });
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
    const live = await startTestApp({ NEXMO_CONSUMER_KEY: 'live-key', NEXMO_CONSUMER_SECRET: liveSecret, NEXMO_OAUTH_URL: `${rest.url}/oauth/`, NEXMO_REST_URL: rest.url, LOG_LEVEL: 'trace' });
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
});
