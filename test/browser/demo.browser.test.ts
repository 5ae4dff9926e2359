// Demoing to teammates: another machine's browser reaching the app through an address it
// trusts, an untrusted Host refused, and the live view of how OAuth 1.0a connected you.
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { RECIPIENT, SENDER, authorize, connectInBrowser, expectAccessible, startConnecting, useBrowserSuite, visibleText } from './harness.js';

const suite = useBrowserSuite();

describe('showing the app to the room', () => {
  it('lets a second browser reach it through another trusted address and complete the whole flow', async () => {
    const { browser, app } = suite;
    // A teammate's laptop: its own browser context, at another address of this machine.
    const teammate = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    teammate.setDefaultTimeout(8_000);
    try {
      const page = await teammate.newPage();
      const address = `http://127.0.0.2:${new URL(app.url).port}`;
      await page.goto(`${address}/`);
      await startConnecting(page);
      expect(new URL(page.url()).origin).toBe(address);
      await page.getByLabel('bob').check();
      await authorize(page);
      expect(new URL(page.url()).origin).toBe(address);
      await expect.poll(() => visibleText(page)).toContain('bob');
      await page.getByRole('link', { name: 'Send SMS', exact: true }).click();
      await page.getByLabel('From', { exact: true }).fill(SENDER);
      await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
      await page.getByLabel('Message', { exact: true }).fill('From the back row');
      await page.getByRole('button', { name: 'Send SMS' }).click();
      await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
      expect(new URL(page.url()).origin).toBe(address);
    } finally {
      await teammate.close();
    }
  });

  it('refuses an address it does not trust, naming the settings that would allow it', async () => {
    const { app } = suite;
    // A name that resolves to this machine but that the app was never told about: the browser
    // maps it to loopback itself, so no traffic leaves the machine.
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--host-resolver-rules=MAP untrusted.example 127.0.0.1'],
    });
    try {
      const page = await browser.newPage();
      const response = await page.goto(`http://untrusted.example:${new URL(app.url).port}/auth/login`);
      expect(response?.status()).toBe(400);
      await page.getByRole('heading', { name: 'This address is not one the app answers to' }).waitFor();
      expect(await visibleText(page)).toContain('ALLOWED_HOSTS');
      await expectAccessible(page, 'untrusted host');
      expect(app.sandbox!.stats().requestTokenCalls).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it('shows how OAuth 1.0a connected you, step by step, without a secret or an unmasked token', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await page.getByRole('link', { name: 'Send SMS', exact: true }).click();
    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
    await page.getByLabel('Message', { exact: true }).fill('Signed and sent');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    await page.waitForURL(/\/messages\//);

    await page.getByRole('link', { name: 'How it works' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your OAuth lab' }).waitFor();
    const calls = await page.getByRole('navigation', { name: 'Steps and signed calls' }).getByRole('link').allTextContents();
    expect(calls.map((c) => c.replace(/ · .*$/, '').trim())).toEqual([
      'Leg 1 Request token',
      'Leg 2 To the consent page',
      'Leg 2 Back with a verifier',
      'Leg 3 Access token',
      'Leg 4 Send 1',
      'Leg 4 Balance',
    ]);
    // Open what the shown call folds away; the other calls' markup is in the page too.
    for (const summary of await page.locator('details > summary:visible').all()) await summary.click();
    const html = await page.content();
    expect(html).toContain('Signature base string');
    const sessions = await new Promise<Record<string, { connection?: { token: string; secret: string } }>>((resolve, reject) =>
      app.stores.sessions.all!((err, all) => (err ? reject(err) : resolve((all ?? {}) as Record<string, { connection?: { token: string; secret: string } }>))),
    );
    const connection = Object.values(sessions).find((s) => s.connection)!.connection!;
    expectNoSecretIn([html, ...app.logs], connection.token, connection.secret, app.provider.consumerSecret);
    await expectAccessible(page, 'how it works');
  });
});
