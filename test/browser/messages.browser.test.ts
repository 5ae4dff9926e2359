// The message history in a real browser: empty at first, then each send's status turning from
// "Waiting for receipt" to its outcome without a reload, and each row opening its message.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { RECEIPT_KEY, SENDER, carrierReceipt, connectInBrowser, expectAccessible, expectAfterPolls, phoneScreenshot, screenshot, useBrowserSuite, visibleText } from './harness.js';

// The sandbox's own receipts are held back: the spec sends the carrier's through the webhook once
// both sends and the history are on screen, so the change can only come from the page updating
// itself, and no timer races a busy machine.
const suite = useBrowserSuite({ sandbox: { receiptDelayMs: 600_000 } }, { RECEIPT_KEY });

const messagesLink = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' });

async function sendFromForm(page: Page, to: string, text: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Send SMS' }).click();
  await page.waitForURL((url) => url.pathname === '/sms');
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send SMS' }).click();
  await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
}

describe('the message history in a browser', () => {
  it('lists the sends newest first and shows their receipts arriving without reloading', async () => {
    const { page, app, context } = suite;
    // The page's own clock, so the spec can have it ask for news at once (expectAfterPolls).
    await context.clock.install();
    await connectInBrowser(page, app);

    await messagesLink(page).click();
    await page.waitForURL((url) => url.pathname === '/messages');
    await page.getByText('You haven’t sent any messages yet.').waitFor();
    expect(await messagesLink(page).getAttribute('aria-current')).toBe('page');
    await expectAccessible(page, 'empty message history');

    // The sandbox reports messages to +44 7700 900999 as not delivered.
    await sendFromForm(page, '+44 7700 900999', 'Nobody is home at this number');
    await sendFromForm(page, '+44 7700 900123', 'Your parcel arrives tomorrow between 9:00 and 13:00. Reply STOP to opt out.');
    await messagesLink(page).click();
    await page.waitForURL((url) => url.pathname === '/messages');

    const rows = page.locator('#history tbody tr');
    const statuses = page.locator('#history [data-status-for]');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain('+44 7700 900123');
    expect(await rows.nth(0).innerText()).toContain('Your parcel arrives tomorrow between 9:…');
    expect(await rows.nth(1).innerText()).toContain('+44 7700 900999');
    expect(await statuses.allInnerTexts()).toEqual(['Waiting for receipt', 'Waiting for receipt']);

    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.evaluate(() => {
      (window as unknown as { notReloaded?: boolean }).notReloaded = true;
    });
    // The network reports both: the sandbox's test number +44 7700 900999 as unreachable for now
    // (err-code 2), the other delivered, each after an "accepted" as Nexmo sends them.
    const outbox = await app.sandbox!.outbox();
    const sentTo = (digits: string) => outbox.find((sms) => sms.to === digits)!;
    for (const [sms, final, errCode] of [[sentTo('447700900123'), 'delivered', '0'], [sentTo('447700900999'), 'failed', '2']] as const) {
      for (const messageId of sms.messageIds) {
        await carrierReceipt(app, { messageId, to: sms.to, status: 'accepted' });
        await carrierReceipt(app, { messageId, to: sms.to, status: final, errCode });
      }
    }
    await expectAfterPolls(page, () => statuses.allInnerTexts()).toEqual(['Delivered', 'Not delivered: phone unreachable for now']);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(navigations).toEqual([]);
    await expectAccessible(page, 'message history with receipts');
    await screenshot(page, 'messages');
    await phoneScreenshot(page, 'messages');

    // A reload shows the same, drawn by the server as the page drew it, and each row opens its message.
    const cellsHtml = () => statuses.evaluateAll((cells) => cells.map((cell) => cell.innerHTML));
    const drawnLive = await cellsHtml();
    await page.reload();
    expect(await statuses.allInnerTexts()).toEqual(['Delivered', 'Not delivered: phone unreachable for now']);
    expect(await cellsHtml()).toEqual(drawnLive);
    await rows.nth(1).getByRole('link').click();
    await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
    await page.getByRole('heading', { level: 1, name: 'Not delivered: phone unreachable for now' }).waitFor();
    expect(await visibleText(page)).toContain('Nobody is home at this number');
    expect(await messagesLink(page).getAttribute('aria-current')).toBe('true');
    await expectAccessible(page, 'undelivered message');
  });
});
