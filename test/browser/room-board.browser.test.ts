// The room board in real Chromium: the presenter keeps /room open while a teammate joins from
// another browser and sends; the row appears and its counts rise without a reload. It passes
// axe, its one control works from the keyboard, and nothing scrolls sideways on a phone.
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { DESKTOP, PHONE, RECIPIENT, SENDER, connectInBrowser, expectAccessible, phoneScreenshot, screenshot, tabTo, useBrowserSuite } from './harness.js';

const suite = useBrowserSuite({ sandbox: { receiptDelayMs: 50 } });

const row = (page: Page, name: string) => page.locator(`#room-table tbody tr[data-person="${name}"]`);
const cellText = (page: Page, name: string, label: string) => row(page, name).locator(`[data-label="${label}"]`).innerText();

let sent = 0;
/** The teammate sends a message from the form, as a person does. */
async function sendFrom(page: Page): Promise<void> {
  await page.goto(`${suite.app.url}/sms`);
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
  await page.getByLabel('Message', { exact: true }).fill(`See you at ${++sent}`);
  await page.locator('form[action="/sms"] button[type=submit]').click();
  await page.waitForURL(/\/messages\/[\w-]{22}$/);
}

/** What the server's board says of `name` now (not the page's copy of it). */
async function serverSends(name: string): Promise<number | undefined> {
  const people = (await supertest(suite.app.url).get('/room.json')).body.people as Array<{ name: string; sends: number }>;
  return people.find((person) => person.name === name)?.sends;
}

describe('the room board', () => {
  it('shows a teammate joining and sending from another browser, without a reload, and pauses from the keyboard', async () => {
    const { page, app, browser } = suite;
    await page.goto(`${app.url}/room`);
    await expect.poll(() => page.locator('#room-summary').innerText()).toBe('Nobody has connected in the last hour yet.');
    expect(await page.locator('#room-table').isHidden()).toBe(true);
    await expectAccessible(page, 'the empty room board');
    // Marks this document: a reload would make a new one without the mark.
    await page.evaluate(() => Object.assign(window, { boardDocument: 'the first load' }));

    const teammateContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
    try {
      const teammate = await teammateContext.newPage();
      const name = await connectInBrowser(teammate, app);

      await row(page, name).waitFor();
      expect(await cellText(page, name, 'Leg')).toBe('Connected');
      expect(await cellText(page, name, 'Sends')).toBe('0');
      await expect.poll(() => page.locator('#room-summary').innerText()).toBe('1 person connected in the last hour.');

      await sendFrom(teammate);
      await expect.poll(() => cellText(page, name, 'Sends')).toBe('1');
      expect(await cellText(page, name, 'Leg')).toBe('Sending');
      await expect.poll(() => cellText(page, name, 'Delivered')).toBe('1');
      expect(await cellText(page, name, 'Last seen')).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} UTC$/);
      expect(await page.evaluate(() => (window as unknown as { boardDocument?: string }).boardDocument)).toBe('the first load');
      await expectAccessible(page, 'the room board with a person on it');
      await screenshot(page, 'room-board');

      // "Pause updates", from the keyboard: the board holds still while the room goes on.
      const pause = page.getByRole('button', { name: 'Pause updates' });
      await tabTo(page, pause);
      await page.keyboard.press('Enter');
      expect(await pause.getAttribute('aria-pressed')).toBe('true');
      await sendFrom(teammate);
      await expect.poll(() => serverSends(name)).toBe(2);
      expect(await cellText(page, name, 'Sends')).toBe('1');
      await pause.focus();
      await page.keyboard.press('Space');
      expect(await pause.getAttribute('aria-pressed')).toBe('false');
      await expect.poll(() => cellText(page, name, 'Sends')).toBe('2');

      // On a phone: each person a card of labelled rows, nothing wider than the screen.
      await phoneScreenshot(page, 'room-board');
      await page.setViewportSize(PHONE);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      // And no value runs out of its card.
      const outside = await page.evaluate(() => {
        const card = document.querySelector('#room-table tbody tr')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('#room-table tbody tr *'))
          .filter((el) => el.getBoundingClientRect().right > card.right + 0.5)
          .map((el) => el.outerHTML.slice(0, 80));
      });
      expect(outside).toEqual([]);
      await expectAccessible(page, 'the room board on a phone');
    } finally {
      await teammateContext.close();
    }
  });
});
