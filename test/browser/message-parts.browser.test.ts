// The message page's parts in a real browser: a seven-part message grouped by state, each group
// one row that opens, regrouped as receipts arrive without a reload and the same without
// JavaScript; nothing scrolls sideways or is cut off at a phone's width; one "Parts" landmark.
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import type { TestApp } from '../helpers/testApp.js';
import { DESKTOP, PHONE, SENDER, connectInBrowser, expectAfterPolls, expectNoSeriousA11yViolations, useBrowserSuite } from './harness.js';

const key = 'browser-receipt-key-0123456789abcdef';
// The sandbox's own receipts are held back: the spec sends the carrier's, through the webhook.
// The app's clock stands at the moment of sending; the sandbox answers OAuth on the real clock.
const SENT_AT = Date.UTC(2026, 10, 23, 11, 59, 40);
const suite = useBrowserSuite({ now: () => SENT_AT, sandbox: { receiptDelayMs: 600_000, now: Date.now } }, { RECEIPT_KEY: key });

/** Seven GSM-7 parts: 153 characters each, and a few more. */
const SEVEN_PARTS = `${'Parcel update: your order is on its way and will arrive tomorrow. '.repeat(14)}Reply STOP to opt out.`;

async function sendSevenParts(page: Page, app: TestApp): Promise<string[]> {
  // The page's own clock, so the spec can have it ask for news at once (expectAfterPolls).
  await page.context().clock.install();
  await connectInBrowser(page, app);
  await page.goto(`${app.url}/sms`);
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('To', { exact: true }).fill('+44 7700 900123');
  await page.getByLabel('Message', { exact: true }).fill(SEVEN_PARTS);
  await page.getByRole('button', { name: 'Send SMS' }).click();
  await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
  const messageIds = [...(await app.sandbox!.outbox())[0]!.messageIds];
  expect(messageIds).toHaveLength(7);
  return messageIds;
}

/** The carrier's receipt for a part: its time to the minute (scts), Nexmo's report to the second. */
function carrier(app: TestApp, messageId: string, status: string, scts: string, reported: string, errCode = '0') {
  return supertest(app.url)
    .get(`${RECEIPT_PATH}/${key}`)
    .query({ messageId, status, 'err-code': errCode, msisdn: '447700900123', to: SENDER, scts, 'message-timestamp': reported })
    .expect(204);
}

/** Parts 1–5 delivered at 12:01, part 6 held by the network (phone off), part 7 without a receipt. */
async function mixedReceipts(app: TestApp, messageIds: string[]): Promise<void> {
  for (const id of messageIds.slice(0, 5)) await carrier(app, id, 'delivered', '2611231201', '2026-11-23 12:01:40');
  await carrier(app, messageIds[5]!, 'buffered', '2611231202', '2026-11-23 12:02:10', '2');
}

const groups = (page: Page) => page.locator('#parts > details');
const summaries = (page: Page) => groups(page).locator('summary').evaluateAll((els) => els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()));
/** Each group's summary row, as HTML. */
const summaryHtml = (page: Page) => groups(page).locator('summary').evaluateAll((els) => els.map((el) => el.outerHTML));
/** Each part's Delivery cell, as HTML. */
const deliveryCells = (page: Page) => page.locator('#parts [data-receipt-for]').evaluateAll((els) => els.map((el) => el.outerHTML));
const openStates = (page: Page) => groups(page).evaluateAll((els) => els.map((el) => (el as HTMLDetailsElement).open));

const MIXED = [
  'Parts 1–5: Delivered at 23 Nov 2026, 12:01 UTC (to the minute)',
  'Part 6: With the carrier, not yet delivered',
  'Part 7: Waiting for receipt',
];

describe('the parts of a long message', () => {
  it('collapse into one row per state that opens, regrouped as receipts arrive, without a reload', async () => {
    const { page, app } = suite;
    const messageIds = await sendSevenParts(page, app);

    // Seven parts waiting: one closed row, not seven cards of four lines each.
    expect(await summaries(page)).toEqual(['Parts 1–7: Waiting for receipt']);
    expect(await openStates(page)).toEqual([false]);
    expect((await page.locator('#parts').boundingBox())!.height).toBeLessThan(80);
    expect(await page.locator('#parts tbody tr').count()).toBe(7);

    await page.evaluate(() => {
      (window as unknown as { notReloaded?: boolean }).notReloaded = true;
    });
    await mixedReceipts(app, messageIds);
    await expectAfterPolls(page, () => summaries(page)).toEqual(MIXED);
    // A group of one part has nothing to hide: it is open.
    expect(await openStates(page)).toEqual([false, true, true]);
    expect(await page.locator('#parts > details').nth(1).locator('[data-receipt="times"]').innerText()).toMatch(
      /^Carrier time 23 Nov 2026, 12:02 UTC \(to the minute\)\s+reported 23 Nov 2026, 12:02:10 UTC$/,
    );

    // The reader opens the delivered parts: five rows, each with its times.
    await groups(page).nth(0).locator('summary').click();
    const delivered = groups(page).nth(0).locator('tbody tr');
    expect(await delivered.count()).toBe(5);
    for (const text of await delivered.locator('[data-receipt="times"]').allInnerTexts()) {
      expect(text.replace(/\s+/g, ' ')).toBe('Carrier time 23 Nov 2026, 12:01 UTC (to the minute) reported 23 Nov 2026, 12:01:40 UTC');
    }

    // The last two arrive: every part in one group, which the reader left open.
    await carrier(app, messageIds[5]!, 'delivered', '2611231214', '2026-11-23 12:14:05');
    await carrier(app, messageIds[6]!, 'delivered', '2611231214', '2026-11-23 12:14:07');
    const allDelivered = 'Parts 1–7: Delivered between 23 Nov 2026, 12:01 UTC and 23 Nov 2026, 12:14 UTC (to the minute)';
    await expectAfterPolls(page, () => summaries(page)).toEqual([allDelivered]);
    expect(await openStates(page)).toEqual([true]);
    expect(await groups(page).locator('tbody tr').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.part))).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // What the page drew for itself is what the server draws, to the markup.
    const drawnLive = { summaries: await summaryHtml(page), cells: await deliveryCells(page) };
    expect(drawnLive.cells).toHaveLength(7);
    await page.reload();
    expect(await summaries(page)).toEqual([allDelivered]);
    expect(await openStates(page)).toEqual([false]);
    expect({ summaries: await summaryHtml(page), cells: await deliveryCells(page) }).toEqual(drawnLive);
  });

  it('are grouped and open the same without JavaScript', async () => {
    const { page, app, browser, context } = suite;
    const messageIds = await sendSevenParts(page, app);
    await mixedReceipts(app, messageIds);
    const noScript = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC', javaScriptEnabled: false });
    try {
      await noScript.addCookies(await context.cookies());
      const plain = await noScript.newPage();
      await plain.goto(page.url());
      expect(await summaries(plain)).toEqual(MIXED);
      expect(await openStates(plain)).toEqual([false, true, true]);
      expect(await groups(plain).nth(0).locator('tbody tr').first().isVisible()).toBe(false);
      await groups(plain).nth(0).locator('summary').click();
      expect(await groups(plain).nth(0).locator('tbody tr').first().isVisible()).toBe(true);
      expect(await groups(plain).nth(0).locator('tbody tr').count()).toBe(5);
    } finally {
      await noScript.close();
    }
  });

  it('fit a phone, a tablet and a laptop: nothing scrolls sideways and no text runs out of its cell', async () => {
    const { page, app } = suite;
    const messageIds = await sendSevenParts(page, app);
    await mixedReceipts(app, messageIds);
    await expectAfterPolls(page, () => summaries(page)).toEqual(MIXED);
    await page.locator('#parts > details:not([open]) > summary').first().click();
    expect(await openStates(page)).toEqual([true, true, true]);
    for (const viewport of [PHONE, { width: 820, height: 1000 }, DESKTOP]) {
      await page.setViewportSize(viewport);
      expect(await overflows(page), `at ${viewport.width} px`).toEqual([]);
    }
  });

  it('are one landmark named "Parts": axe finds no landmark named twice', async () => {
    const { page, app } = suite;
    const messageIds = await sendSevenParts(page, app);
    await mixedReceipts(app, messageIds);
    await expectAfterPolls(page, () => summaries(page)).toEqual(MIXED);
    expect(await page.getByRole('region', { name: 'Parts' }).count()).toBe(1);
    await expectNoSeriousA11yViolations(page, 'message page with grouped parts');
    await page.setViewportSize(PHONE);
    await expectNoSeriousA11yViolations(page, 'message page with grouped parts on a phone');
  });
});

/**
 * What is too wide: the page or the parts' container scrolling sideways, a summary or cell whose
 * content is wider than its box, or a line of text running past its cell's edge.
 */
function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`the page scrolls sideways by ${doc.scrollWidth - doc.clientWidth} px`);
    const parts = document.getElementById('parts')!;
    if (parts.scrollWidth > parts.clientWidth) problems.push(`#parts scrolls sideways by ${parts.scrollWidth - parts.clientWidth} px`);
    for (const cell of Array.from(parts.querySelectorAll<HTMLElement>('summary, tbody th, tbody td'))) {
      const where = `${cell.closest('tr')?.getAttribute('data-part') ?? 'summary'} ${cell.dataset.label ?? ''}`.trim();
      if (cell.scrollWidth > cell.clientWidth) problems.push(`${where}: ${cell.scrollWidth - cell.clientWidth} px wider than its cell`);
      const box = cell.getBoundingClientRect();
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) {
          if (rect.width > 0 && (rect.left < box.left - 0.5 || rect.right > box.right + 0.5)) problems.push(`${where}: "${(node.textContent ?? '').trim()}" runs past its cell`);
        }
      }
    }
    return problems;
  });
}
