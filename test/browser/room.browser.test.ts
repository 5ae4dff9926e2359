// A room of people in real Chromium with its back/forward cache off, as it is for a no-store
// page: after Back the browser fetches the SMS form again and refills its fields itself. Pressing
// Send then must not charge twice; "Send it again" sends exactly once more; typed text survives a
// disconnect in its own tab; and a form drawn before another tab connected to another account
// says so instead of sending.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { providerCalls } from '../helpers/assertions.js';
import { RECIPIENT, SENDER, connectInBrowser, expectAccessible, phoneScreenshot, screenshot, useBrowserSuite } from './harness.js';

const suite = useBrowserSuite({ sandbox: { receiptDelayMs: 60_000 } }, {}, { backForwardCache: false });

const TEXT = 'Dinner at 8, table for four';
const sendButton = (page: Page) => page.locator('form[action="/sms"] button[type=submit]');

async function fillForm(page: Page, text = TEXT): Promise<void> {
  await page.goto(`${suite.app.url}/sms`);
  await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
  await page.getByLabel('Message', { exact: true }).fill(text);
}

const smsCalls = () => providerCalls(suite.app.sandbox!, 'sms');

describe('Back, then Send, with the back/forward cache off', () => {
  it('after a double click and Back, pressing Send shows the earlier message and sends nothing; "Send it again" sends exactly one more', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await fillForm(page);
    await sendButton(page).dblclick();
    await page.waitForURL(/\/messages\/[\w-]{22}$/);
    const firstMessage = new URL(page.url()).pathname;
    expect(smsCalls()).toBe(1);

    // Back: Chromium fetches the form again (a new one, with a new send key) and refills it.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/sms');
    await expect.poll(() => page.getByLabel('Message', { exact: true }).inputValue()).toBe(TEXT);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(RECIPIENT);
    await sendButton(page).click();
    await page.waitForURL((url) => url.pathname === '/sms' && url.searchParams.has('again'));
    expect(smsCalls()).toBe(1);
    const notice = page.locator('#repeat-notice');
    expect((await notice.innerText()).replace(/\s+/g, ' ')).toMatch(/^You sent this at .+ to \+44 7700 900123 \(United Kingdom\), so it was not sent again\./);
    expect(await notice.getByRole('link', { name: 'Open that message' }).getAttribute('href')).toBe(firstMessage);
    expect(await sendButton(page).textContent()).toBe('Send it again');
    await expectAccessible(page, 'the form after a repeat');
    await screenshot(page, 'sms-repeat');
    await phoneScreenshot(page, 'sms-repeat');

    // On purpose, once more: exactly one more send.
    await sendButton(page).click();
    await page.waitForURL(/\/messages\/[\w-]{22}$/);
    expect(new URL(page.url()).pathname).not.toBe(firstMessage);
    expect(smsCalls()).toBe(2);

    // And Back from that message, Send again: held as a repeat of the second send.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/sms');
    await sendButton(page).click();
    await page.waitForURL((url) => url.pathname === '/sms' && url.searchParams.has('again'));
    expect(smsCalls()).toBe(2);
    expect((await app.sandbox!.outbox()).map((sms) => sms.text)).toEqual([TEXT, TEXT]);
  });
});

describe('typed work and tabs', () => {
  it('keeps a form’s text through a revoked connection, in its own tab only, and brings it back after connecting again', async () => {
    const { page, app, context } = suite;
    await connectInBrowser(page, app);
    await fillForm(page, 'Typed before the revoke');

    // Meanwhile, in another tab, the person revokes the app's access on the demo controls.
    const controls = await context.newPage();
    await controls.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
    await controls.getByRole('button', { name: 'Revoke the app’s access' }).click();
    await controls.getByRole('status').filter({ hasText: 'revoked' }).waitFor();

    await sendButton(page).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Nexmo no longer accepts this connection').waitFor();
    expect(await app.sandbox!.outbox()).toEqual([]);

    // Connecting again comes back to the form, with the text as it was typed.
    await page.getByRole('link', { name: 'Connect with Nexmo' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((url) => url.pathname === '/sms');
    await expect.poll(() => page.getByLabel('Message', { exact: true }).inputValue()).toBe('Typed before the revoke');
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(RECIPIENT);
    await page.getByText('Your message from before was kept in this tab').waitFor();
    await expect.poll(() => page.locator('#sms-counter').innerText()).toContain('23 characters');

    // The other tab has its own: an empty form.
    await controls.goto(`${app.url}/sms`);
    expect(await controls.getByLabel('Message', { exact: true }).inputValue()).toBe('');

    // Sent, the text is no longer kept: a new form is empty.
    await sendButton(page).click();
    await page.waitForURL(/\/messages\/[\w-]{22}$/);
    await page.goto(`${app.url}/sms`);
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('');
    expect((await app.sandbox!.outbox()).map((sms) => sms.text)).toEqual(['Typed before the revoke']);
  });

  it('two tabs approving two accounts: the form of the first says who is connected now, and sends nothing', async () => {
    const { page, app, context } = suite;
    // Both tabs start connecting; the second stays on its consent page for now.
    const other = await context.newPage();
    for (const tab of [page, other]) {
      await tab.goto(`${app.url}/`);
      await tab.getByRole('link', { name: 'Connect with Nexmo' }).click();
      await tab.getByRole('button', { name: 'Authorize' }).waitFor();
    }
    await page.getByRole('radio', { name: 'bob' }).check();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await fillForm(page, 'Meant for bob’s account');

    await other.getByRole('radio', { name: 'carol' }).check();
    await other.getByRole('button', { name: 'Authorize' }).click();
    await other.waitForURL((url) => url.pathname === '/');
    await other.getByText('You are now connected as carol, in place of the account this browser was connected to before.').waitFor();

    await sendButton(page).click();
    const changed = page.locator('#account-changed');
    await changed.waitFor();
    expect((await changed.innerText()).replace(/\s+/g, ' ')).toContain('You are now connected as carol.');
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('Meant for bob’s account');
    expect(smsCalls()).toBe(0);
    await expectAccessible(page, 'the form after the account changed');
  });
});

describe('a login started on one tab', () => {
  it('lands back on the page that sent the visitor to connect', async () => {
    const { page, app } = suite;
    await page.goto(`${app.url}/messages`);
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('return') === '/messages');
    await page.getByRole('link', { name: 'Connect with Nexmo' }).click();
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((url) => url.pathname === '/messages');
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
  });
});
