// Times in a real browser: the text the server draws and the text the page's script draws are
// one pattern, so a reader in UTC sees no change when the script runs; seconds where the value
// has them, and a carrier's time known only to the minute said to be so.
import type { BrowserContext, Page } from 'playwright-core';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { DESKTOP, SENDER, connectInBrowser, useBrowserSuite } from './harness.js';

const key = 'browser-receipt-key-0123456789abcdef';
const SENT_AT = Date.UTC(2026, 10, 23, 11, 59, 40, 250);
const suite = useBrowserSuite({ now: () => SENT_AT, sandbox: { receiptDelayMs: 600_000, now: Date.now } }, { RECEIPT_KEY: key });

/** Every <time>'s text, and whether it carries a title (which only the script adds). */
const timesOn = (page: Page) => page.locator('time').evaluateAll((els) => els.map((el) => ({ datetime: el.getAttribute('datetime'), text: el.textContent, title: el.getAttribute('title') })));

/**
 * A reader in UTC whose browser speaks American English (dates there read "Nov 23, 2026, 11:59
 * AM"): the page's pattern is the app's, whatever the browser's own; with or without scripts.
 */
async function readerInUtc(session: BrowserContext, javaScriptEnabled: boolean): Promise<BrowserContext> {
  const context = await session.browser()!.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC', javaScriptEnabled });
  await context.addCookies(await session.cookies());
  return context;
}

describe('times', () => {
  it('read the same before and after the page’s script, for a reader in UTC', async () => {
    const { page, app, context } = suite;
    await connectInBrowser(page, app);
    await page.goto(`${app.url}/sms`);
    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill('+44 7700 900123');
    await page.getByLabel('Message', { exact: true }).fill('What time is it?');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
    const [messageId] = (await app.sandbox!.outbox())[0]!.messageIds;
    await supertest(app.url)
      .get(`${RECEIPT_PATH}/${key}`)
      .query({ messageId, status: 'delivered', 'err-code': '0', msisdn: '447700900123', to: SENDER, scts: '2611231201', 'message-timestamp': '2026-11-23 12:01:40' })
      .expect(204);
    const message = page.url();

    const [plain, scripted] = await Promise.all([readerInUtc(context, false), readerInUtc(context, true)]);
    try {
      const [before, after] = await Promise.all([plain.newPage(), scripted.newPage()]);
      for (const url of [message, `${app.url}/messages`, `${app.url}/`]) {
        await before.goto(url);
        const drawn = await timesOn(before);
        expect(drawn.length, url).toBeGreaterThan(0);
        // Module scripts have run by the load event, which goto waits for.
        await after.goto(url);
        expect(await after.evaluate(() => document.querySelectorAll('script[src$="/local-time.js"]').length), url).toBe(1);
        expect(await timesOn(after), url).toEqual(drawn);
        for (const time of drawn) expect(time.title, `${url}: nothing rewritten, so no UTC title`).toBeNull();
      }
    } finally {
      await Promise.all([plain.close(), scripted.close()]);
    }

    // The message page: the send to the second; the carrier's time to the minute, saying so; Nexmo's report to the second.
    await page.goto(message);
    expect(await page.locator('.facts time').first().textContent()).toBe('23 Nov 2026, 11:59:40 UTC');
    expect((await page.locator('[data-receipt="times"]').innerText()).replace(/\s+/g, ' ')).toBe('Carrier time 23 Nov 2026, 12:01 UTC (to the minute) reported 23 Nov 2026, 12:01:40 UTC');
    expect(await page.locator('[data-receipt="times"] time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')))).toEqual(['2026-11-23T12:01Z', '2026-11-23T12:01:40.000Z']);
  });
});
