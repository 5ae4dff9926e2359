// Sending an SMS in a real browser: the live counter, the message page, the sandbox outbox, the
// delivery receipt arriving without a reload, and a refresh that sends nothing twice.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { expectNoSmsSent, expectProviderCalls } from '../helpers/assertions.js';
import type { TestApp } from '../helpers/testApp.js';
import { RECIPIENT, SENDER, connectInBrowser, expectAccessible, expectAfterPolls, phoneScreenshot, screenshot, useBrowserSuite, visibleText } from './harness.js';

const suite = useBrowserSuite();

const counter = (page: Page) => page.locator('#sms-counter');

/** Connects, then opens the form from the home page's link. */
async function openForm(page: Page, app: TestApp): Promise<void> {
  await connectInBrowser(page, app);
  await page.getByRole('link', { name: 'Send an SMS' }).click();
  await page.waitForURL((url) => url.pathname === '/sms');
  await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
}

const MESSAGE_PAGE = /\/messages\/[A-Za-z0-9_-]{22}$/;

/** Presses Send and waits for the message page; returns its URL and the HTML the server sent. */
async function send(page: Page): Promise<{ url: string; html: string }> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => MESSAGE_PAGE.test(new URL(r.url()).pathname) && r.request().method() === 'GET'),
    page.getByRole('button', { name: 'Send SMS' }).click(),
  ]);
  await page.waitForURL(MESSAGE_PAGE);
  return { url: page.url(), html: await response.text() };
}

/** The message page's first heading; the sandbox's receipt may already have turned "Sent" into "Delivered". */
const sentOrDelivered = (page: Page) => page.getByRole('heading', { level: 1, name: /^(Sent|Delivered)$/ });

describe('sending an SMS in a browser', () => {
  it('counts as you type, sends, shows the message, the outbox entry and the delivery receipt without reloading', async () => {
    const { page, app, context } = suite;
    // The page's own clock, so the spec can have it ask for news at once (expectAfterPolls).
    await context.clock.install();
    await openForm(page, app);
    await expect.poll(() => visibleText(page)).toContain('Balance: €10.00');
    await expect.poll(() => counter(page).textContent()).toBe('0 characters · the message is empty');

    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
    const message = page.getByLabel('Message', { exact: true });
    await message.click();

    await page.keyboard.type('Hello');
    await expect.poll(() => counter(page).textContent()).toBe('5 characters · GSM-7 · 1 part (155 left in this part)');
    // An emoji outside the Basic Multilingual Plane: two UTF-16 units, and the whole text turns UCS-2.
    await page.keyboard.type(' 👋');
    await expect.poll(() => counter(page).textContent()).toBe('7 characters · Unicode (UCS-2) · 1 part (62 left in this part)');
    // Deleting it goes back to GSM-7.
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect.poll(() => counter(page).textContent()).toBe('5 characters · GSM-7 · 1 part (155 left in this part)');

    // A longer text, pasted in pieces and typed at the edges: GSM-7 until the emoji, then one
    // Unicode part of 70 units, and a second part from the 71st character on. (☕ is an emoji in
    // the Basic Multilingual Plane, so the screenshot fonts draw it rather than a blank box.)
    await message.fill('');
    const text = 'Your table for 2 is ready ☕ Show this text at the door of Café Rio, 14 Market Street, before 19:30.';
    const emojiAt = text.indexOf(' ☕');
    await page.keyboard.insertText(text.slice(0, emojiAt));
    await expect.poll(() => counter(page).textContent()).toBe(`${emojiAt} characters · GSM-7 · 1 part (${160 - emojiAt} left in this part)`);
    await page.keyboard.type(' ☕');
    await expect.poll(() => counter(page).textContent()).toBe(`${emojiAt + 2} characters · Unicode (UCS-2) · 1 part (${70 - emojiAt - 2} left in this part)`);
    await page.keyboard.insertText(text.slice(emojiAt + 2, 70));
    await expect.poll(() => counter(page).textContent()).toBe('70 characters · Unicode (UCS-2) · 1 part (0 left in this part)');
    await page.keyboard.type(text.slice(70, 71));
    await expect.poll(() => counter(page).textContent()).toBe('71 characters · Unicode (UCS-2) · 2 parts (63 left in this part)');
    await page.keyboard.insertText(text.slice(71));
    await expect.poll(() => counter(page).textContent()).toBe(`${text.length} characters · Unicode (UCS-2) · 2 parts (${67 * 2 - text.length} left in this part)`);
    expect(await message.inputValue()).toBe(text);
    await expectAccessible(page, 'SMS form');
    await screenshot(page, 'sms-form');
    await phoneScreenshot(page, 'sms-form');
    await expectNoSmsSent(app.sandbox!);

    // The page as first drawn: accepted, waiting for receipts (they arrive about 1.5 s later).
    const sent = await send(page);
    expect(sent.html).toContain('data-headline="title">Sent</h1>');
    expect(sent.html).toContain('Nexmo accepted your message in 2 parts. Waiting for the network’s delivery receipts');
    const result = await visibleText(page);
    expect(result).toContain(text);
    expect(result).toContain('+44 7700 900123 (United Kingdom)');
    expect(result).toContain('Unicode (UCS-2)');

    // What the sandbox received: one message, as typed, in two Unicode parts.
    const outbox = await app.sandbox!.outbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ from: SENDER, to: '447700900123', text, type: 'unicode', parts: 2 });
    expectProviderCalls(app.sandbox!, 'sms', 1);

    // Both parts wait for their receipt, then turn to Delivered on their own, and so does the headline.
    const cells = page.locator('[data-receipt-for]');
    await expect.poll(() => cells.count()).toBe(2);
    expect(await cells.evaluateAll((els) => els.map((el) => el.getAttribute('data-receipt-for')))).toEqual([...outbox[0]!.messageIds]);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.evaluate(() => {
      (window as unknown as { notReloaded?: boolean }).notReloaded = true;
    });
    // The sandbox's receipts come by its own timer (1.5 s, then as long again), whatever the page's.
    await expectAfterPolls(page, () => cells.allTextContents(), { timeout: 15_000 }).toEqual([expect.stringContaining('Delivered'), expect.stringContaining('Delivered')]);
    // Both delivered: one row for the two parts, which opens to each.
    expect(await page.locator('#parts summary').allInnerTexts()).toEqual([expect.stringMatching(/^Parts 1 and 2: Delivered (at|between) /)]);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(navigations).toEqual([]);
    expect(await visibleText(page)).not.toContain('Waiting for receipt');
    await page.getByRole('heading', { level: 1, name: 'Delivered', exact: true }).waitFor();
    expect(await visibleText(page)).toContain('All 2 parts of your message reached the recipient’s phone.');
    expect(await page.title()).toBe('Delivered · Nexmo SMS');
    await expectAccessible(page, 'message page with receipts');
    await screenshot(page, 'sms-result');

    // The sandbox's outbox page lists it too.
    await page.getByRole('link', { name: 'Open the sandbox outbox' }).click();
    // The outbox shows one sandbox account's messages: the one just approved, without asking.
    await page.waitForURL((url) => url.pathname === '/sandbox/outbox');
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: text });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('447700900123');
    await expectAccessible(page, 'sandbox outbox');
    await screenshot(page, 'outbox');
  });

  it('sends nothing twice when the result page is refreshed', async () => {
    const { page, app } = suite;
    await openForm(page, app);
    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
    await page.getByLabel('Message', { exact: true }).fill('Refresh me');
    const resultUrl = (await send(page)).url;
    await sentOrDelivered(page).waitFor();
    expectProviderCalls(app.sandbox!, 'sms', 1);
    expect(await app.sandbox!.outbox()).toHaveLength(1);

    for (let i = 0; i < 2; i += 1) {
      const response = await page.reload();
      expect(response?.request().method()).toBe('GET');
      expect(page.url()).toBe(resultUrl);
      await sentOrDelivered(page).waitFor();
      expect(await visibleText(page)).toContain('Refresh me');
    }
    expectProviderCalls(app.sandbox!, 'sms', 1);
    expect(await app.sandbox!.outbox()).toHaveLength(1);
    expect((await app.sandbox!.outbox())[0]!.text).toBe('Refresh me');
  });
});
