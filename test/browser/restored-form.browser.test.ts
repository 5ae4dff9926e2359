// A form the browser fills in again: with the back/forward cache off, Back fetches the SMS
// form again (it is no-store) and Chromium puts the typed text back into it, after the page's
// scripts have run. The counter and the To preview follow the text the browser restored.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { DESKTOP, connectInBrowser } from './harness.js';

let browser: Browser;
let app: TestApp;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // Its own browser: the shared harness turns the back/forward cache on, as real browsers have
  // it; here it is off (Playwright's default flag, named for the reader), so Back loads again.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--disable-back-forward-cache', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  app = await startTestApp();
  context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
  context.setDefaultTimeout(8_000);
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
  await app?.close();
});

const TEXT = 'Your table for 2 is ready ☕ Show this at the door.';

describe('the SMS form restored after Back, without the back/forward cache', () => {
  it('counts the text the browser put back, and previews the number it put back', async () => {
    await connectInBrowser(page, app);
    await page.goto(`${app.url}/sms`);
    await page.getByLabel('To', { exact: true }).fill('07700 900123');
    await page.getByLabel('Message', { exact: true }).fill(TEXT);
    const counter = page.locator('#sms-counter');
    const typed = `${[...TEXT].length} characters · Unicode (UCS-2) · 1 part (${70 - TEXT.length} left in this part)`;
    await expect.poll(() => counter.textContent()).toBe(typed);
    await page.evaluate(() => {
      (window as unknown as { sameDocument?: boolean }).sameDocument = true;
    });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await page.waitForURL((url) => url.pathname === '/messages');
    const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/sms'), page.goBack()]);
    // Loaded again from the app, not brought back from memory.
    expect(response.status()).toBe(200);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBeUndefined();

    // The browser refilled the fields; the server drew an empty form, and the page recounts.
    await expect.poll(() => page.getByLabel('Message', { exact: true }).inputValue()).toBe(TEXT);
    expect(await response.text()).toContain('0 characters · the message is empty');
    await expect.poll(() => counter.textContent()).toBe(typed);
    expect(await page.locator('mark.culprit').allTextContents()).toEqual(['☕']);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('07700 900123');
    await expect.poll(() => page.locator('#to-preview').textContent()).toBe('Sends to +44 7700 900123 (United Kingdom)');
  });
});
