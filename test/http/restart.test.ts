// The product loses nothing on restart: with the app's SQLite file, a second start of the app
// (the same port, the same file) still has the session, and its sandbox still has the consumer
// credentials, the access token, the account's balance and the outbox of the first.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { freePort } from '../helpers/ports.js';
import { sendSms } from '../helpers/smsForm.js';
import { useTestApp } from '../helpers/testApp.js';

// Registered first, so it runs after the apps are closed (afterEach hooks run last-registered first).
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const startTestApp = useTestApp();

type Browser = ConnectedBrowser;

async function send(browser: Browser, text: string) {
  const sent = await sendSms(browser, { text });
  expect(sent.status).toBe(303);
  return browser.get(sent.headers.location as string);
}

describe('restarting the app on the same SQLite file', () => {
  it('keeps the connection working: same sandbox credentials, access token, balance and outbox', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nexmo-restart-'));
    const env = { PORT: String(await freePort()), SQLITE_PATH: join(dir, 'app.db') };
    const first = await startTestApp(env, { sandbox: { receiptDelayMs: 600_000 } });
    const firstCredentials = [first.sandbox!.consumerKey, first.sandbox!.consumerSecret];
    const browser = await connect(first, { account: 'carol' });
    expect((await send(browser, 'before the restart')).text).toContain('Remaining balance</dt><dd>€9.97<');
    await first.close();

    const app = await startTestApp(env, { sandbox: { receiptDelayMs: 600_000 } });
    expect([app.sandbox!.consumerKey, app.sandbox!.consumerSecret]).toEqual(firstCredentials);
    // The same browser, not connected again: its session and access token came through.
    const page = await send(browser, 'after the restart');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Remaining balance</dt><dd>€9.93<');
    expect((await app.sandbox!.outbox()).map((e) => [e.account, e.text])).toEqual([
      ['carol', 'after the restart'],
      ['carol', 'before the restart'],
    ]);
  });
});
