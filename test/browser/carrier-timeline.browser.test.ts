// The carrier's timeline in a real browser: a two-part message whose parts the network reports
// at different times, each shown at the carrier's time with when Nexmo passed it on, a part
// still with the carrier keeping the page watching, and the last receipt drawn without a reload.
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { SENDER, connectInBrowser, expectAccessible, expectAfterPolls, screenshot, useBrowserSuite } from './harness.js';

const key = 'browser-receipt-key-0123456789abcdef';
// The sandbox's own receipts are held back: the spec sends the carrier's, through the webhook.
// The app's clock stands at the moment of sending, so the page reads as one story; the sandbox
// answers OAuth on the real clock, as a provider would.
const SENT_AT = Date.UTC(2026, 10, 23, 11, 59, 40);
const suite = useBrowserSuite({ now: () => SENT_AT, sandbox: { receiptDelayMs: 600_000, now: Date.now } }, { RECEIPT_KEY: key });

const LONG_TEXT = 'Your parcel is on its way. The driver will arrive tomorrow between 9:00 and 13:00; if nobody is home, it goes to the post office on Station Road. Reply STOP to opt out.';

describe('the carrier\'s timeline in a browser', () => {
  it('shows each part at the carrier\'s time and draws the last receipt without reloading', async () => {
    const { page, app, context } = suite;
    // The page's own clock, so the spec can have it ask for news at once (expectAfterPolls).
    await context.clock.install();
    await connectInBrowser(page, app);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Send SMS' }).click();
    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill('+44 7700 900123');
    await page.getByLabel('Message', { exact: true }).fill(LONG_TEXT);
    await page.getByRole('button', { name: 'Send SMS' }).click();
    await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
    const messageIds = [...(await app.sandbox!.outbox())[0]!.messageIds];
    expect(messageIds).toHaveLength(2);

    const webhook = supertest(app.url);
    const carrier = (messageId: string, status: string, scts: string, reported: string, errCode = '0') =>
      webhook.get(`${RECEIPT_PATH}/${key}`).query({ messageId, status, 'err-code': errCode, msisdn: '447700900123', to: SENDER, scts, 'message-timestamp': reported }).expect(204);
    await carrier(messageIds[0]!, 'accepted', '2611231200', '2026-11-23 12:00:03');
    await carrier(messageIds[1]!, 'accepted', '2611231200', '2026-11-23 12:00:03');
    await carrier(messageIds[0]!, 'delivered', '2611231201', '2026-11-23 12:01:40');
    await carrier(messageIds[1]!, 'buffered', '2611231202', '2026-11-23 12:02:10', '2');

    const heading = page.getByRole('heading', { level: 1 });
    await expectAfterPolls(page, () => heading.innerText()).toBe('Partly delivered: 1 of 2 parts so far');
    const cells = page.locator('#parts [data-receipt-for]');
    await expectAfterPolls(page, () => cells.nth(1).innerText()).toContain('With the carrier, not yet delivered');
    const times = page.locator('#parts [data-receipt="times"]');
    // The browser's zone is UTC here, so the local times read as the carrier's: its time to the
    // minute, as scts has it, and Nexmo's report to the second.
    expect((await times.nth(0).innerText()).replace(/\s+/g, ' ')).toBe('Carrier time 23 Nov 2026, 12:01 UTC (to the minute) reported 23 Nov 2026, 12:01:40 UTC');
    expect((await times.nth(1).innerText()).replace(/\s+/g, ' ')).toBe('Carrier time 23 Nov 2026, 12:02 UTC (to the minute) reported 23 Nov 2026, 12:02:10 UTC');
    expect(await page.locator('.facts time').first().innerText()).toBe('23 Nov 2026, 11:59:40 UTC');
    await expectAccessible(page, 'message with the carrier');
    await screenshot(page, 'carrier-timeline');

    await page.evaluate(() => {
      (window as unknown as { notReloaded?: boolean }).notReloaded = true;
    });
    await carrier(messageIds[1]!, 'delivered', '2611231214', '2026-11-23 12:14:05');
    await expectAfterPolls(page, () => heading.innerText()).toBe('Delivered');
    // Both parts delivered: one row for the two, which opens to each one's times.
    const summary = page.locator('#parts summary');
    await expectAfterPolls(page, () => summary.allInnerTexts()).toEqual(['Parts 1 and 2: Delivered between 23 Nov 2026, 12:01 UTC and 23 Nov 2026, 12:14 UTC (to the minute)']);
    await summary.click();
    expect((await times.nth(1).innerText()).replace(/\s+/g, ' ')).toBe('Carrier time 23 Nov 2026, 12:14 UTC (to the minute) reported 23 Nov 2026, 12:14:05 UTC');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });
});
