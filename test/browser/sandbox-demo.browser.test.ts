// The sandbox's demo controls and its outbox in a real browser: opened on the account just
// approved, a test number carried into the app's form, a control pressed, both pages at a phone's
// width, and two people in two browsers who each get an account and switches of their own.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { DESKTOP, PHONE, SENDER, connectInBrowser, expectAccessible, screenshot, useBrowserSuite, visibleText } from './harness.js';

const suite = useBrowserSuite({ sandbox: { receiptDelayMs: 60_000 } });

/** The page fits the viewport: nothing scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, screen: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${screen} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

/**
 * Sends one message from the app's form, the recipient filled in from the query as the controls'
 * links do: the link's digits, the field `shown` as a person writes the number.
 */
async function sendFromForm(page: Page, appUrl: string, to: string, shown: string, text: string): Promise<void> {
  await page.goto(`${appUrl}/sms?to=${to}`);
  await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
  expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(shown);
  // From is filled in too: this account has sent nothing yet, so with the app's default.
  expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('NexmoSMS');
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send SMS' }).click();
  await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
}

describe('the sandbox demo controls and outbox in a browser', () => {
  it('opens on the account just approved, carries a test number into the app, resets the balance and arms a slow call', async () => {
    const { page, app } = suite;
    const account = await connectInBrowser(page, app);

    // Approving on the consent page signed this browser in to the sandbox as that account.
    await page.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
    await page.getByRole('heading', { level: 1, name: 'Demo controls' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sandbox/controls');
    expect(await visibleText(page)).toContain(`Signed in to the sandbox as ${account}`);
    await expectAccessible(page, 'sandbox demo controls');
    await screenshot(page, 'sandbox-controls');

    // A test number goes into the app's form.
    await page.getByRole('link', { name: /^Use this number \+44 7700 900999 \(/ }).click();
    await page.waitForURL((url) => url.pathname === '/sms' && url.searchParams.get('to') === '447700900999');
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('+44 7700 900999');
    await sendFromForm(page, app.url, '447700900999', '+44 7700 900999', 'Nobody is home at this number');

    // Back in the sandbox: the balance went down; reset it.
    await page.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
    expect(await visibleText(page)).toContain(`${account} has €9.97 left.`);
    await page.getByRole('button', { name: 'Reset the balance to €10.00' }).click();
    await page.getByRole('status').filter({ hasText: 'The balance is back to €10.00.' }).waitFor();
    expect(await visibleText(page)).toContain(`${account} has €10.00 left.`);

    // Arming a slow call says so, and can be undone.
    await page.getByRole('radio', { name: /reading the balance/ }).check();
    await page.getByRole('button', { name: /^Make it slow/ }).click();
    await page.getByRole('status').filter({ hasText: 'reading the balance' }).waitFor();
    expect(await visibleText(page)).toContain('(armed: slow)');
    await page.getByRole('button', { name: 'Cancel: answer every call normally' }).click();
    await page.getByRole('status').filter({ hasText: 'No call will be held any more.' }).waitFor();
    expect(await visibleText(page)).not.toContain('(armed:');
  });

  it('fits a phone: the sign-in, the outbox as cards and the controls, with a way back to the app', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await sendFromForm(page, app.url, '447700900123', '+44 7700 900123', 'Your parcel arrives tomorrow between 9:00 and 13:00, a line long enough to wrap on a phone');
    await page.setViewportSize(PHONE);

    await page.getByRole('link', { name: 'Open the sandbox outbox' }).click();
    await page.waitForURL((url) => url.pathname === '/sandbox/outbox');
    await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
    const text = await visibleText(page);
    expect(text).toContain('447700900123');
    expect(text).toContain('Your parcel arrives tomorrow');
    await expectNoSidewaysScroll(page, 'outbox');
    await expectAccessible(page, 'outbox on a phone');
    await screenshot(page, 'outbox-phone');

    await page.getByRole('link', { name: 'Demo controls' }).first().click();
    await page.waitForURL((url) => url.pathname === '/sandbox/controls');
    await expectNoSidewaysScroll(page, 'demo controls');
    await expectAccessible(page, 'demo controls on a phone');
    await screenshot(page, 'sandbox-controls-phone');

    // Switch account: the sign-in page, at a phone's width too.
    await page.getByRole('link', { name: 'Switch account' }).click();
    await page.waitForURL((url) => url.pathname === '/sandbox/signin');
    await page.getByRole('heading', { name: 'Switch sandbox account' }).waitFor();
    await expectNoSidewaysScroll(page, 'sandbox sign-in');
    await expectAccessible(page, 'sandbox sign-in on a phone');
    await page.getByRole('link', { name: 'Back to the app' }).click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  it('two people who press Authorize straight away get accounts of their own, and the presenter’s clock switch stops only the presenter', async () => {
    const { page: presenter, app, browser } = suite;
    const room = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
    room.setDefaultTimeout(8_000);
    try {
      const teammate = await room.newPage();
      const [presenterAccount, teammateAccount] = await Promise.all([connectInBrowser(presenter, app), connectInBrowser(teammate, app)]);
      expect(presenterAccount).not.toBe(teammateAccount);

      await presenter.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
      expect(await visibleText(presenter)).toContain(`Signed in to the sandbox as ${presenterAccount}`);
      await presenter.getByRole('button', { name: 'This app’s clock is 10 minutes off' }).click();
      await presenter.getByRole('status').filter({ hasText: 'as if the app’s clock were 10 minutes behind' }).waitFor();

      // The teammate's form works and sends; the presenter's explains the clock.
      await sendFromForm(teammate, app.url, '447700900000', '+44 7700 900000', 'Sent while the presenter’s clock is off');
      await teammate.getByRole('heading', { level: 1, name: /^(Sent|Delivered)$/ }).waitFor();
      await presenter.goto(`${app.url}/sms`);
      await presenter.getByRole('heading', { level: 1, name: 'This server’s clock is off' }).waitFor();

      // The teammate's own controls: their account, their clock right.
      await teammate.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
      expect(await visibleText(teammate)).toContain(`Signed in to the sandbox as ${teammateAccount}`);
      await teammate.getByRole('button', { name: 'This app’s clock is 10 minutes off' }).waitFor();
      expect(await teammate.getByRole('button', { name: 'Cancel: the app’s clock is right' }).count()).toBe(0);
      expect((await app.sandbox!.outbox()).map((sms) => sms.account)).toEqual([teammateAccount]);
    } finally {
      await room.close();
    }
  });
});
