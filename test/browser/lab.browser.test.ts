// How it works as an OAuth lab, in a real browser: before connecting it explains the legs; once
// connected, two panes at 1024 px and wider (the steps and calls on the left, the one chosen on
// the right, each with a link of its own), stacked below that; a sequence picture drawn from what
// happened; each call's raw HTTP, its base string in three parts, the signing key named, and the
// call as curl; and one round of each break-it switch, refused and explained, then through.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { smsFormTokens } from '../helpers/html.js';
import { NO_LIMITS } from '../helpers/testApp.js';
import { DESKTOP, PHONE, RECIPIENT, SENDER, connectInBrowser, expectAccessible, phoneScreenshot, screenshot, tabTo, useBrowserSuite } from './harness.js';

const suite = useBrowserSuite({ sandbox: { receiptDelayMs: 600_000 } }, NO_LIMITS);

/** Sends `text` through the form in this browser's session, as the form posts it (no navigation). */
async function sendQuietly(page: Page, appUrl: string, text: string): Promise<void> {
  const html = await (await page.request.get(`${appUrl}/sms`)).text();
  const res = await page.request.post(`${appUrl}/sms`, {
    form: { ...smsFormTokens(html), from: SENDER, to: RECIPIENT, text },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
}

/** The call shown in the right-hand pane now. */
const shownCall = (page: Page) => page.locator('.lab-detail > .call:visible');

describe('How it works before connecting', () => {
  it('explains the three legs, draws the dance not yet danced, and its Connect button starts it and comes back here', async () => {
    const { page, app } = suite;
    await page.goto(`${app.url}/how-it-works`);
    await page.getByRole('heading', { level: 1, name: 'How connecting with OAuth 1.0a works' }).waitFor();
    const legs = await page.getByRole('heading', { level: 3 }).allTextContents();
    expect(legs.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'Leg 1 Request token App → Nexmo',
      'Leg 2 Approval Browser → Nexmo → App',
      'Leg 3 Access token App → Nexmo',
      'Leg 4 Signed calls App → Nexmo API',
    ]);
    expect(await page.locator('.sequence-done').count()).toBe(0);
    expect(await page.locator('.sequence-pending').count()).toBe(10);
    await expectAccessible(page, 'how it works before connecting');

    await page.getByRole('link', { name: 'Connect with Nexmo' }).click();
    await page.waitForURL(/\/sandbox\/oauth\/authorize\?oauth_token=/);
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL((url) => url.pathname === '/how-it-works');
    await page.getByRole('heading', { level: 1, name: 'Your OAuth lab' }).waitFor();
  });
});

describe('the lab, connected', () => {
  it('shows two panes; the newest call by default, any other by its own link; 17 sends stay within 1,800 px', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    for (let i = 1; i <= 17; i++) await sendQuietly(page, app.url, `Lab message ${i}`);
    await page.goto(`${app.url}/how-it-works`);
    await page.getByRole('heading', { level: 1, name: 'Your OAuth lab' }).waitFor();

    // Two panes side by side at 1280 px: the list's right edge left of the detail's left edge.
    const list = await page.getByRole('navigation', { name: 'Steps and signed calls' }).boundingBox();
    const detail = await page.locator('.lab-detail').boundingBox();
    expect(list!.x + list!.width).toBeLessThanOrEqual(detail!.x);
    expect(Math.abs(list!.y - detail!.y)).toBeLessThan(4);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(1800);

    // The groups: the three legs' steps, then the sends newest first, then the balance reads.
    const groups = await page.locator('.lab-group').allTextContents();
    expect(groups).toEqual(['Connecting: the three legs', 'Sends (17), newest first', 'Balance reads']);
    const sends = await page.locator('.lab-list').nth(1).getByRole('link').allTextContents();
    expect(sends).toHaveLength(17);
    expect(sends[0]).toMatch(/^Leg 4 Send 17 · 200 · \d\d:\d\d:\d\d$/);
    expect(sends[16]).toMatch(/^Leg 4 Send 1 · 200 · /);

    // By default the newest call is shown, and only it.
    await expect.poll(() => shownCall(page).count()).toBe(1);
    expect(await shownCall(page).getByRole('heading', { level: 2 }).textContent()).toBe('Leg 4 Signed call: send an SMS (17 of 17)');
    const raw = await shownCall(page).getByLabel(/^The raw request of/).textContent();
    expect(raw).toMatch(/^POST \/sandbox\/sms\/json HTTP\/1\.1\r?\n/);
    expect(raw).toMatch(/Authorization: OAuth oauth_consumer_key="[^"]+",.*oauth_signature="\[hidden\]"/s);
    expect(raw).toContain('text=Lab%20message%2017');
    expect(raw).toContain('delivery-receipt%2F[hidden]');
    expect(await shownCall(page).getByLabel(/^The raw reply of/).textContent()).toMatch(/^HTTP\/1\.1 200 OK\r?\n/);
    const parts = await shownCall(page).locator('.base-string dt').allTextContents();
    expect(parts).toEqual(['1. Method', '2. Base URI', '3. Parameters']);
    expect(await shownCall(page).locator('.base-string dd').first().textContent()).toBe('POST');
    expect(await shownCall(page).getByText('consumer_secret&access_token_secret', { exact: true }).first().isVisible()).toBe(true);
    await shownCall(page).getByText('This call as curl').click();
    const curl = await shownCall(page).locator('details pre').last().textContent();
    expect(curl).toMatch(/^curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/sandbox\/sms\/json' \\\n  -H 'Authorization: OAuth /);
    expect(await shownCall(page).getByText(/a provider refuses a replayed nonce/).isVisible()).toBe(true);

    // Another call by its link: the access token exchange, signed with the request token's secret.
    await page.getByRole('link', { name: 'Leg 3 Access token' }).click();
    expect(new URL(page.url()).hash).toBe('#call-access-token');
    await expect.poll(() => shownCall(page).getByRole('heading', { level: 2 }).textContent()).toBe('Leg 3 Access token');
    expect(await shownCall(page).count()).toBe(1);
    expect(await shownCall(page).getByLabel(/^The raw request of/).textContent()).toMatch(/oauth_verifier="[^"]*…/);
    expect(await shownCall(page).getByText('consumer_secret&request_token_secret', { exact: true }).first().isVisible()).toBe(true);
    // The link works on its own too, opened afresh.
    await page.goto(`${app.url}/how-it-works#call-request-token`);
    await expect.poll(() => shownCall(page).getByRole('heading', { level: 2 }).textContent()).toBe('Leg 1 Request token');
    expect(await shownCall(page).getByText('consumer_secret&', { exact: true }).first().isVisible()).toBe(true);

    // No secret anywhere on the page.
    const html = await page.content();
    expect(html).not.toContain(app.provider.consumerSecret);
    // Token secrets only ever as the placeholder.
    expect(html).not.toMatch(/oauth_token_secret=(?!\[hidden\])/);

    await expectAccessible(page, 'the lab');
    await page.goto(`${app.url}/how-it-works`);
    await screenshot(page, 'lab');
  });

  it('draws the dance as it went: every arrow solid once connected and calling, with a title and a description', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await page.goto(`${app.url}/how-it-works`);
    const picture = page.getByRole('img', { name: 'The OAuth 1.0a dance, as it went for your connection' });
    expect(await picture.count()).toBe(1);
    // Connected, the form not opened yet: the three legs done, the signed calls not yet.
    expect(await page.locator('.sequence-done').count()).toBe(8);
    expect(await page.locator('.sequence-pending text').allTextContents()).toEqual(['4. signed API calls', '4. their answers']);
    expect(await page.locator('#sequence-desc').textContent()).toMatch(/^The OAuth 1\.0a dance .* Done: POST request_token \(signed\);.* Not yet: signed API calls; their answers\.$/);
    await sendQuietly(page, app.url, 'Now the calls are drawn');
    await page.reload();
    expect(await page.locator('.sequence-pending').count()).toBe(0);
    expect(await page.locator('.sequence-done text').last().textContent()).toBe('4. their answers');
  });

  it('stacks the panes on a phone, scrolls nothing sideways, and works from the keyboard', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await sendQuietly(page, app.url, 'From the keyboard');
    await page.setViewportSize(PHONE);
    await page.goto(`${app.url}/how-it-works`);
    const list = await page.getByRole('navigation', { name: 'Steps and signed calls' }).boundingBox();
    const detail = await page.locator('.lab-detail').boundingBox();
    expect(detail!.y).toBeGreaterThan(list!.y + list!.height - 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await phoneScreenshot(page, 'lab');

    await page.setViewportSize(DESKTOP);
    const link = page.getByRole('link', { name: /^Leg 1 Request token$/ });
    await tabTo(page, link, 40);
    await page.keyboard.press('Enter');
    await expect.poll(() => shownCall(page).getByRole('heading', { level: 2 }).textContent()).toBe('Leg 1 Request token');
    await expectAccessible(page, 'the lab at a chosen call');
  });
});

describe('break-it switches, one round each', () => {
  /** Presses a control on the sandbox's demo controls, open on the account this browser approved. */
  async function press(page: Page, appUrl: string, button: string): Promise<void> {
    await page.goto(`${appUrl}/sandbox${CONTROLS_PATH}`);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(/\/sandbox\/controls\?done=/);
  }

  /** Presses a break-it button on the lab itself, from the keyboard, and waits for the lab to say what is armed. */
  async function pressInLab(page: Page, appUrl: string, button: string): Promise<void> {
    await page.goto(`${appUrl}/how-it-works`);
    // Folded beside the list of calls: opened from the keyboard, as its summary.
    const breaks = page.locator('details#break');
    await breaks.locator('summary').focus();
    await page.keyboard.press('Enter');
    await breaks.getByRole('button', { name: button }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/how-it-works' && url.hash === '#break');
  }

  it('a broken signature: the next send is refused and explained, the lab shows the refusal beside its request, and the send after it goes through', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    // The form reads the balance at most once a minute: read now, the next signed call is the send.
    await page.goto(`${app.url}/sms`);
    await pressInLab(page, app.url, 'Break its signature');
    // The lab says what is armed, for this account only.
    await page.getByText(/^Armed:/).waitFor();
    await expectAccessible(page, 'the lab with a break armed');
    await page.goto(`${app.url}/sms`);
    // The banner names the switch until the call that takes it.
    await page.getByText('The next signed call is refused: its signature will not match').first().waitFor();
    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
    await page.getByLabel('Message', { exact: true }).fill('Signed, then broken');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    await page.waitForURL(/\/messages\/[\w-]{22}$/);
    await page.getByText(/signature/i).first().waitFor();
    expect(await page.locator('h1').textContent()).toMatch(/Not sent/);

    await page.goto(`${app.url}/how-it-works`);
    const refused = await shownCall(page).getByLabel(/^The raw reply of/).textContent();
    expect(refused).toContain('"status":"14"');
    expect(refused).toContain('Invalid Signature');
    expect(await shownCall(page).getByLabel(/^The raw request of/).textContent()).toContain('text=Signed%2C%20then%20broken');

    await sendQuietly(page, app.url, 'And this one goes through');
    expect((await app.sandbox!.outbox()).map((sms) => sms.text)).toEqual(['And this one goes through']);
  });

  it('a replayed nonce: the form’s balance read is refused as a replay and explained; the next load works', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await press(page, app.url, 'Replay its nonce');
    await page.goto(`${app.url}/sms`);
    await page.getByRole('heading', { level: 1, name: 'Nexmo took this request for a replay' }).waitFor();
    await page.goto(`${app.url}/how-it-works#call-balance`);
    const reply = await shownCall(page).getByLabel(/^The raw reply of/).textContent();
    expect(reply).toMatch(/^HTTP\/1\.1 401 Unauthorized/);
    expect(reply).toContain('oauth_problem="nonce_used"');
    expect(await page.locator('.lab-link-refused').count()).toBe(1);
  });

  it('a revoked token: the next call disconnects and asks to connect again', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await pressInLab(page, app.url, 'Revoke its token');
    await page.goto(`${app.url}/sms`);
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('Nexmo no longer accepts this connection').waitFor();
    await page.getByRole('link', { name: 'Connect with Nexmo' }).click();
    await authorizeAndReturn(page);
  });
});

/** Authorize on the consent page, landing wherever the login started. */
async function authorizeAndReturn(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sandbox'));
  expect(await page.getByRole('button', { name: 'Disconnect' }).count() + (await page.getByRole('heading', { name: 'Send an SMS' }).count())).toBeGreaterThan(0);
}
