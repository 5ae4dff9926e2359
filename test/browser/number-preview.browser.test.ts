// The To field's preview in a real browser: "Sends to +44 7700 900123 (United Kingdom)" as the
// number is typed, not only after sending; asked for once typing pauses, read out politely, and
// written as text whatever the answer holds.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { expectNoSmsSent } from '../helpers/assertions.js';
import { connectInBrowser, expectAccessible, useBrowserSuite } from './harness.js';

const suite = useBrowserSuite();

/** Every number the page asked the app to preview, in order. */
function previewsAsked(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/sms/preview') asked.push(url.searchParams.get('to') ?? '');
  });
  return asked;
}

const preview = (page: Page) => page.locator('#to-preview');

describe('the To field’s preview', () => {
  it('shows where a national number sends to as it is typed, asking once typing pauses', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await page.goto(`${app.url}/sms`);
    const asked = previewsAsked(page);
    const to = page.getByLabel('To', { exact: true });
    expect(await preview(page).count()).toBe(0);

    await to.click();
    await page.keyboard.type('07700 900123', { delay: 25 });
    await expect.poll(() => preview(page).textContent()).toBe('Sends to +44 7700 900123 (United Kingdom)');
    // Typed faster than the pause it waits for: asked about the whole number, not each key.
    expect(asked.at(-1)).toBe('07700 900123');
    expect(asked.length).toBeLessThanOrEqual(2);
    // A live region that stays in the page reads the preview out, politely.
    expect(await page.locator('#to-preview-live').getAttribute('aria-live')).toBe('polite');
    expect(await preview(page).evaluate((el) => el.parentElement?.id)).toBe('to-preview-live');
    await expectAccessible(page, 'SMS form with a number preview');

    // A number the form would refuse has no preview; another country's has its own.
    await to.fill('07');
    await expect.poll(() => preview(page).count()).toBe(0);
    await to.fill('+353 86 123 4567');
    await expect.poll(() => preview(page).textContent()).toBe('Sends to +353 86 123 4567 (Ireland)');
    await to.fill('');
    await expect.poll(() => preview(page).count()).toBe(0);
    expect(asked.at(-1)).toBe('+353 86 123 4567');
    await expectNoSmsSent(app.sandbox!);
  });

  it('writes the answer as text, never as markup', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await page.route('**/sms/preview?*', (route) => route.fulfill({ json: { preview: '<img src=x onerror="window.marked = 1">' } }));
    await page.goto(`${app.url}/sms`);
    await page.getByLabel('To', { exact: true }).fill('07700 900123');
    await expect.poll(() => preview(page).textContent()).toBe('Sends to <img src=x onerror="window.marked = 1">');
    expect(await preview(page).locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { marked?: number }).marked)).toBeUndefined();
  });
});
