// Connecting, cancelling, two tabs and disconnecting, in a real browser against the sandbox.
import { describe, expect, it } from 'vitest';

import { expectNoProviderCall, expectProviderCalls } from '../helpers/assertions.js';

import {
  RECIPIENT,
  SENDER,
  authorize,
  chosenAccount,
  connectInBrowser,
  expectAccessible,
  openHome,
  phoneScreenshot,
  screenshot,
  startConnecting,
  useBrowserSuite,
  visibleText,
} from './harness.js';

const suite = useBrowserSuite();

describe('connecting with Nexmo in a browser', () => {
  it('goes from the home page through the consent page and comes back connected', async () => {
    const { page, app } = suite;
    await openHome(page, app);
    await expect.poll(() => visibleText(page)).toContain('Sandbox mode');
    await expectAccessible(page, 'home (disconnected)');
    await screenshot(page, 'home');
    await phoneScreenshot(page, 'home');

    await startConnecting(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('wants to use your Nexmo account');
    await expect.poll(() => visibleText(page)).toContain('Send SMS messages from your Nexmo account');
    await expectAccessible(page, 'sandbox consent page');
    await screenshot(page, 'consent');
    expectProviderCalls(app.sandbox!, 'request_token', 1);
    expectNoProviderCall(app.sandbox!, 'access_token');
    // A new browser gets an account of its own, under a name the page made up; nothing shared is chosen.
    expect(await page.getByRole('radio', { name: 'A new account of your own' }).isChecked()).toBe(true);
    for (const shared of ['alice', 'bob', 'carol']) expect(await page.getByRole('radio', { name: shared, exact: true }).isChecked(), shared).toBe(false);
    const suggested = await page.getByLabel('Account name', { exact: true }).inputValue();
    expect(suggested).toMatch(/^[a-z]+-[a-z]+$/);

    expect(await authorize(page)).toBe(suggested);
    const text = await visibleText(page);
    expect(text).toMatch(/Connected as [a-z0-9-]+\. You can send SMS now\./);
    expect(text).toContain(suggested);
    await page.getByRole('button', { name: 'Disconnect' }).waitFor();
    await page.getByRole('link', { name: 'Send an SMS' }).waitFor();
    expectProviderCalls(app.sandbox!, 'access_token', 1);
    await expectAccessible(page, 'home (connected)');
    await screenshot(page, 'home-connected');
  });

  it('shows a cancelled page after Deny and stays disconnected', async () => {
    const { page, app } = suite;
    await openHome(page, app);
    await startConnecting(page);
    const suggested = await chosenAccount(page);
    await page.getByRole('button', { name: 'Deny' }).click();

    await page.waitForURL((url) => url.pathname === '/auth/callback' && url.searchParams.has('denied'));
    await page.getByRole('heading', { name: 'You cancelled the connection' }).waitFor();
    expect(await visibleText(page)).toContain('Nothing was connected');
    await expectAccessible(page, 'cancelled page');

    await page.getByRole('link', { name: 'Back to the start' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('link', { name: 'Connect with Nexmo' }).waitFor();
    const home = await visibleText(page);
    expect(home).not.toContain('Disconnect');
    expect(home).not.toContain(suggested);
    await expect.poll(() => page.getByRole('link', { name: 'Send SMS' }).count()).toBe(0);
    expectNoProviderCall(app.sandbox!, 'access_token');
  });

  it('completes two logins started in two tabs of the same browser', async () => {
    const { page: first, context, app } = suite;
    const second = await context.newPage();
    await openHome(first, app);
    await openHome(second, app);
    await startConnecting(first);
    await startConnecting(second);
    // Two distinct sign-in requests, one per tab.
    expect(new URL(first.url()).searchParams.get('oauth_token')).not.toBe(new URL(second.url()).searchParams.get('oauth_token'));
    expectProviderCalls(app.sandbox!, 'request_token', 2);

    await authorize(first);
    // The browser's one connection is the one completed last.
    const account = await authorize(second);
    expectProviderCalls(app.sandbox!, 'access_token', 2);
    for (const tab of [first, second]) {
      await tab.reload();
      await tab.getByRole('button', { name: 'Disconnect' }).waitFor();
      expect(await visibleText(tab)).toContain(account);
    }
  });

  it('after connecting, Back and a reload of the callback lead home connected, not to an error', async () => {
    const { page, app } = suite;
    await openHome(page, app);
    await startConnecting(page);
    let callbackUrl: string | undefined;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/auth/callback') callbackUrl = r.url();
    });
    await authorize(page);
    expectProviderCalls(app.sandbox!, 'access_token', 1);

    // Back: the sandbox's consent page, now answered, offers the way back to the app.
    await page.goBack();
    await page.getByRole('heading', { name: 'This sign-in request was already answered' }).waitFor();
    const consentAgain = await visibleText(page);
    expect(consentAgain).toContain('You already approved this request');
    expect(consentAgain).not.toMatch(/connect again/i);
    await page.getByRole('link', { name: 'Go back to the app' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: "You're connected to Nexmo" }).waitFor();

    // The callback opened again (a reload, a Back that reached it): connected, said kindly.
    expect(callbackUrl).toBeDefined();
    await page.goto(callbackUrl!);
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: "You're connected to Nexmo" }).waitFor();
    const home = await visibleText(page);
    expect(home).toContain('that sign-in was already completed in this browser');
    expect(home).not.toContain('not started here');
    expectProviderCalls(app.sandbox!, 'access_token', 1);
  });

  it('shows a notice once: the address drops it, keeping the rest, and a reload shows no banner', async () => {
    const { page, app } = suite;
    const landed: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) landed.push(frame.url());
    });
    await connectInBrowser(page, app);
    // The callback sent the browser to /?notice=connected, and the banner said so…
    expect(landed.map((url) => new URL(url)).some((url) => url.pathname === '/' && url.searchParams.get('notice') === 'connected')).toBe(true);
    const banner = page.getByRole('status').filter({ hasText: 'You can send SMS now.' });
    expect(await banner.isVisible()).toBe(true);
    // …and then left the address, without a new page.
    await expect.poll(() => page.url()).toBe(`${app.url}/`);
    const entries = await page.evaluate(() => history.length);
    await page.reload();
    await page.getByRole('heading', { name: "You're connected to Nexmo" }).waitFor();
    expect(await banner.count()).toBe(0);
    expect(await visibleText(page)).not.toContain('You can send SMS now.');
    expect(await page.evaluate(() => history.length)).toBe(entries);

    // Any other parameter and the hash stay as they were written.
    await page.goto(`${app.url}/?utm_source=qr%20code&notice=connected&x=a+b#main`);
    expect(await banner.isVisible()).toBe(true);
    await expect.poll(() => page.url()).toBe(`${app.url}/?utm_source=qr%20code&x=a+b#main`);
  });

  it('disconnects back to the start page, and the back button shows nothing private', async () => {
    const { page, app } = suite;
    const account = await connectInBrowser(page, app);
    // Leave something private in the history: a sent message's page.
    const message = 'Private note 4711';
    await page.getByRole('link', { name: 'Send an SMS' }).click();
    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
    await page.getByLabel('Message', { exact: true }).fill(message);
    await page.getByRole('button', { name: 'Send SMS' }).click();
    await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
    await page.getByRole('heading', { level: 1, name: /^(Sent|Delivered)$/ }).waitFor();
    await page.getByRole('link', { name: 'Home' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText('Disconnected. The app no longer holds your Nexmo tokens.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('link', { name: 'Connect with Nexmo' }).waitFor();
    const after = await visibleText(page);
    expect(after).toContain('The app no longer holds your Nexmo tokens');
    expect(after).not.toContain(account);
    expect(after).not.toContain(message);
    await expect.poll(() => page.getByRole('button', { name: 'Disconnect' }).count()).toBe(0);
    await expectAccessible(page, 'home after disconnecting');

    // Walk back through every page of the connected session (home, result, form, the callback's
    // landing page, consent, start): none may show it again.
    for (let step = 0; step < 6; step += 1) {
      // 'commit', not 'load': a page restored from the back/forward cache fires no load event.
      await page.goBack({ waitUntil: 'commit' });
      await expect.poll(() => page.evaluate(() => document.readyState)).not.toBe('loading');
      const where = `back ${step + 1} to ${page.url()}`;
      const text = await visibleText(page);
      expect(text, where).not.toContain('Disconnect');
      expect(text, where).not.toContain(account);
      expect(text, where).not.toContain(message);
      expect(text, where).not.toContain('You can send SMS now.');
    }
  });
});
