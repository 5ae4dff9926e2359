// The whole flow with the keyboard alone, the form's error state, and the error pages.
import { describe, expect, it } from 'vitest';

import { expectNoProviderCall, expectNoSmsSent } from '../helpers/assertions.js';
import { RECIPIENT, SENDER, expectAccessible, openHome, screenshot, tabTo, useBrowserSuite, visibleText } from './harness.js';

const suite = useBrowserSuite();

describe('with the keyboard alone', () => {
  it('connects and sends an SMS using only Tab, Enter and Space', async () => {
    const { page, app } = suite;
    await openHome(page, app);

    // The first Tab reaches the skip link, which takes focus past the header.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const connect = page.getByRole('link', { name: 'Connect with Nexmo' });
    expect(await connect.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/sandbox\/oauth\/authorize\?/);
    const authorize = page.getByRole('button', { name: 'Authorize' });
    await authorize.waitFor();
    await tabTo(page, authorize);
    await page.keyboard.press('Space');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: "You're connected to Nexmo" }).waitFor();

    await tabTo(page, page.getByRole('link', { name: 'Send an SMS' }));
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/sms');

    // From, To, Message and Send follow each other in the focus order.
    await tabTo(page, page.getByLabel('From', { exact: true }));
    await page.keyboard.type(SENDER);
    await tabTo(page, page.getByLabel('To', { exact: true }), 1);
    await page.keyboard.type(RECIPIENT);
    await tabTo(page, page.getByLabel('Message', { exact: true }), 1);
    await page.keyboard.type('Sent without a mouse');
    await expect.poll(() => page.locator('#sms-counter').textContent()).toBe('20 characters · GSM-7 · 1 part (140 left in this part)');
    await tabTo(page, page.getByRole('button', { name: 'Send SMS' }), 1);
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
    // The sandbox's receipt may already have turned "Sent" into "Delivered".
    await page.getByRole('heading', { name: /^(Sent|Delivered)$/ }).waitFor();
    expect(await app.sandbox!.outbox()).toHaveLength(1);
    expect((await app.sandbox!.outbox())[0]).toMatchObject({ from: SENDER, text: 'Sent without a mouse' });
    await tabTo(page, page.getByRole('link', { name: 'Send another' }));
  });
});

describe('accessibility of the other screens', () => {
  it('marks the fields of a form that cannot be sent, and sends nothing', async () => {
    const { page, app } = suite;
    await openHome(page, app);
    await page.getByRole('link', { name: 'Connect with Nexmo' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByRole('link', { name: 'Send an SMS' }).click();
    await page.waitForURL((url) => url.pathname === '/sms');
    // The form starts with a sender; take it away so every field has something to fix.
    await page.getByLabel('From', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill('070');
    await page.getByRole('button', { name: 'Send SMS' }).click();

    await page.locator('#error-summary').filter({ hasText: 'Nothing was sent' }).waitFor();
    for (const label of ['From', 'To', 'Message']) {
      const field = page.getByLabel(label, { exact: true });
      expect(await field.getAttribute('aria-invalid'), label).toBe('true');
      // The error is part of the field's accessible description, not only shown next to it.
      const description = await field.evaluate((el) =>
        (el.getAttribute('aria-describedby') ?? '')
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
          .join(' '),
      );
      expect(description, label).toMatch(/Enter|Start with|Write/);
    }
    expect(await visibleText(page)).toContain('That doesn’t look like a national number (United Kingdom)');
    await expectAccessible(page, 'SMS form with errors');
    await screenshot(page, 'sms-form-errors');
    await expectNoSmsSent(app.sandbox!);
  });

  it('explains a sign-in link it did not start, and an address that does not exist', async () => {
    const { page, app } = suite;
    const forged = await page.goto(`${app.url}/auth/callback?oauth_token=forged&oauth_verifier=x`);
    expect(forged?.status()).toBe(403);
    await page.getByRole('heading', { name: 'This browser has no sign-in in progress' }).waitFor();
    await page.getByRole('link', { name: 'Connect with Nexmo again' }).waitFor();
    await expectAccessible(page, '403 page');
    await screenshot(page, 'error');
    expectNoProviderCall(app.sandbox!, 'access_token');

    const missing = await page.goto(`${app.url}/nowhere`);
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expectAccessible(page, '404 page');
    await page.getByRole('link', { name: 'Go to the start' }).click();
    await page.getByRole('link', { name: 'Connect with Nexmo' }).waitFor();
  });
});
