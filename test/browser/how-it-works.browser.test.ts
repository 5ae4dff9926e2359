// "How it works" in a real browser: before connecting it explains the legs and connects; once
// connected, repeated balance reads are one card, sends stay on top, every landmark has its own
// name, and on a phone the wide tables say they scroll.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { PHONE, RECIPIENT, SENDER, authorize, connectInBrowser, expectAccessible, useBrowserSuite } from './harness.js';

/**
 * The app's clock: the form reads the balance at most once a minute, so the spec that counts
 * reads moves it on a minute at every form load. The sandbox signs and checks by the real clock.
 */
let at = Date.now();
const suite = useBrowserSuite({ now: () => at, sandbox: { now: Date.now } });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

/** The nodes axe's landmark-unique rule flags (a moderate rule, so the harness's serious-only check skips it). */
async function landmarkUniqueViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { nodes: { html: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'rule', values: ['landmark-unique'] }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => n.html.slice(0, 120)));
  });
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Send SMS' }).click();
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send SMS' }).click();
  await page.waitForURL(/\/messages\//);
}

describe('"How it works" in a browser', () => {
  it('explains the three legs before connecting, and its Connect button starts the dance', async () => {
    const { page, app } = suite;
    await page.goto(`${app.url}/how-it-works`);
    expect(new URL(page.url()).pathname).toBe('/how-it-works');
    await page.getByRole('heading', { level: 1, name: 'How connecting with OAuth 1.0a works' }).waitFor();
    const legs = await page.getByRole('heading', { level: 3 }).allTextContents();
    expect(legs.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'Leg 1 Request token App → Nexmo',
      'Leg 2 Approval Browser → Nexmo → App',
      'Leg 3 Access token App → Nexmo',
      'Leg 4 Signed calls App → Nexmo API',
    ]);
    await expectAccessible(page, 'how it works before connecting');
    expect(await landmarkUniqueViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Connect with Nexmo' }).click();
    await page.waitForURL(/\/sandbox\/oauth\/authorize\?oauth_token=/);
    await authorize(page);
  });

  it('groups the balance reads of many form loads into one card below the sends, each landmark named once', async () => {
    const { page, app } = suite;
    // A minute of the app's clock per form load, moved before the request leaves the browser
    // (a route handler runs first), so each load finds a new minute to claim a balance call in.
    const formLoads = (url: URL) => url.pathname === '/sms';
    await page.route(formLoads, async (route) => {
      if (route.request().method() === 'GET') at += 60_000;
      await route.continue();
    });
    await connectInBrowser(page, app);
    await send(page, 'First of two');
    for (let i = 0; i < 6; i++) await page.goto(`${app.url}/sms`);
    await send(page, 'Second of two');

    await page.getByRole('link', { name: 'How it works' }).click();
    await page.getByRole('heading', { level: 1, name: 'How your connection works' }).waitFor();
    const titles = (await page.getByRole('heading', { level: 2 }).allTextContents()).map((s) => s.replace(/^Leg \d\s*/, '').trim());
    expect(titles.slice(4)).toEqual(['Signed call: send an SMS (2 of 2)', 'Signed call: send an SMS (1 of 2)', 'Signed call: account balance']);
    // Seven form loads: the two before each send and the six in between.
    await page.getByText(/^Account balance read 8 times, last at /).waitFor();
    expect(await landmarkUniqueViolations(page)).toEqual([]);
    await expectAccessible(page, 'how it works with repeated calls');
    // The scroll hint is for narrow screens only.
    for (const details of await page.locator('details').all()) await details.locator('summary').click();
    expect(await page.locator('.scroll-hint').first().isVisible()).toBe(false);

    await page.setViewportSize(PHONE);
    const hints = page.getByText('Scroll sideways to see the whole table.');
    expect(await hints.count()).toBe(titles.filter((t) => !t.startsWith('To Nexmo') && !t.startsWith('Back with')).length);
    for (const hint of await hints.all()) expect(await hint.isVisible()).toBe(true);
    // The table it announces really is wider than its wrapper there, and the page itself is not.
    const wrap = page.locator('.step .table-wrap').first();
    expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
