// Tables at a laptop's width: numbers, dates, names and status badges each stay on one line,
// however long the message text beside them; the text column is the one that wraps.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { PHONE, connectInBrowser, useBrowserSuite } from './harness.js';

// Receipts arrive at once, so the history shows its final badge without waiting.
const suite = useBrowserSuite({ sandbox: { receiptDelayMs: 0 } });

const LONG_TEXT =
  'Team stand-up moved to 10:30 tomorrow in the large meeting room on the third floor; bring the quarterly figures, the roadmap draft and any questions for the demo afterwards.';

async function sendFromForm(page: Page, from: string, to: string, text: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Send SMS' }).click();
  await page.waitForURL((url) => url.pathname === '/sms');
  await page.getByLabel('From', { exact: true }).fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send SMS' }).click();
  await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
}

/** How many lines the element's text is laid out on: the distinct tops of its line boxes. */
function linesOf(cell: Locator): Promise<number> {
  return cell.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const tops = new Set<number>();
    for (const rect of Array.from(range.getClientRects())) if (rect.width > 0) tops.add(Math.round(rect.top));
    return tops.size;
  });
}

async function expectOneLineEach(cells: Locator, what: string): Promise<void> {
  const count = await cells.count();
  expect(count, `${what}: no cells found`).toBeGreaterThan(0);
  for (let i = 0; i < count; i += 1) {
    const cell = cells.nth(i);
    expect(await linesOf(cell), `${what} "${await cell.innerText()}" is on more than one line`).toBe(1);
  }
}

describe('tables at 1280 px', () => {
  it('keep the history’s date, number, part count and status badge of a one-row history on one line each', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await sendFromForm(page, 'DemoTeam', '+44 7700 900123', LONG_TEXT);
    await page.getByRole('heading', { level: 1, name: 'Delivered' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await page.waitForURL((url) => url.pathname === '/messages');
    await page.locator('#history .badge', { hasText: 'Delivered' }).waitFor();

    await expectOneLineEach(page.locator('#history td[data-label="Sent"] time'), 'sent at');
    await expectOneLineEach(page.locator('#history td[data-label="To"] [data-number]'), 'number');
    await expectOneLineEach(page.locator('#history td[data-label="Parts"]'), 'parts');
    await expectOneLineEach(page.locator('#history td[data-label="Status"] .badge'), 'status badge');
  });

  it('keep the sandbox outbox’s time, sender, number and parts on one line each', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await sendFromForm(page, 'DemoTeam', '+44 7700 900123', LONG_TEXT);
    // Approving on the consent page signed this browser in to the sandbox: no sign-in page.
    await page.goto(`${app.url}/sandbox/outbox`);
    await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();

    for (const label of ['Time (UTC)', 'From', 'To', 'Parts']) {
      await expectOneLineEach(page.locator(`.nxs-table td[data-label="${label}"]`), label);
    }
    expect(await page.locator('.nxs-table td[data-label="From"]').innerText()).toBe('DemoTeam');
  });

  it('on a phone, the outbox fits the width without the page scrolling sideways', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await sendFromForm(page, 'DemoTeam', '+44 7700 900123', LONG_TEXT);
    await page.setViewportSize(PHONE);
    await page.goto(`${app.url}/sandbox/outbox`);
    await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  });
});
