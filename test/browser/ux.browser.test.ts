// The details that make the app pleasant to use, in a real browser: the counter explaining
// Unicode and the cost, "Send another", the error summary taking the focus, badges that fit,
// the favicon, focus rings that show, local times and receipts read out as they arrive.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import type { TestApp } from '../helpers/testApp.js';
import { PHONE, RECEIPT_KEY, RECIPIENT, SENDER, carrierReceipt, connectInBrowser, expectAccessible, expectAfterPolls, phoneScreenshot, screenshot, useBrowserSuite, whilePageWaits } from './harness.js';

// The sandbox's own receipts are held back: a spec sends the carrier's through the webhook once
// it has seen the page waiting, and then sees the page update itself.
const suite = useBrowserSuite({ sandbox: { receiptDelayMs: 600_000 } }, { RECEIPT_KEY });

/** The network delivers every part of the newest message: "accepted", then "delivered", as Nexmo reports them. */
async function deliverNewest(app: TestApp): Promise<void> {
  const [sms] = await app.sandbox!.outbox();
  for (const status of ['accepted', 'delivered']) {
    for (const messageId of sms!.messageIds) await carrierReceipt(app, { messageId, to: sms!.to, status });
  }
}

const MESSAGE_PAGE = /\/messages\/[A-Za-z0-9_-]{22}$/;

async function openForm(page: Page, app: TestApp): Promise<void> {
  await connectInBrowser(page, app);
  await page.getByRole('link', { name: 'Send an SMS' }).click();
  await page.waitForURL((url) => url.pathname === '/sms');
}

async function fillAndSend(page: Page, text: string): Promise<void> {
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send SMS' }).click();
  await page.waitForURL(MESSAGE_PAGE);
}

const boxText = (page: Page) => page.locator('#sms-counter-box').evaluate((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());

describe('the counter', () => {
  it('shows which character made "Don’t" Unicode, the parts and, once a price is known, the cost', async () => {
    const { page, app } = suite;
    await openForm(page, app);
    await page.getByLabel('Message', { exact: true }).click();
    await page.keyboard.type('Don’t');
    await expect.poll(() => page.locator('#sms-counter').textContent()).toBe('5 characters · Unicode (UCS-2) · 1 part (65 left in this part)');
    await expect.poll(() => page.locator('mark.culprit').allTextContents()).toEqual(['’']);
    expect(await page.locator('.counter-culprits').textContent()).toBe('Unicode because of: ’ (U+2019)');
    expect(await page.locator('.counter-hint').textContent()).toBe("Replace ’ with ' to send it as GSM-7: 160 characters a part instead of 70.");
    // Nothing sent yet: no price, so no cost.
    expect(await page.locator('#sms-cost').count()).toBe(0);
    await expectAccessible(page, 'SMS form with a Unicode note');

    // Replacing the apostrophe takes the note away again.
    await page.getByLabel('Message', { exact: true }).fill("Don't");
    await expect.poll(() => page.locator('#sms-unicode').textContent()).toBe('');
    await expect.poll(() => page.locator('#sms-counter').textContent()).toBe('5 characters · GSM-7 · 1 part (155 left in this part)');

    // After a send the form knows the price of a part ("Send another" keeps From and To).
    await fillAndSend(page, 'First message');
    await page.getByRole('link', { name: 'Send another' }).click();
    await page.waitForURL((url) => url.pathname === '/sms');
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(SENDER);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('+44 7700 900123');
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('');

    const message = page.getByLabel('Message', { exact: true });
    await message.fill('a'.repeat(149));
    await expect.poll(() => page.locator('#sms-cost').textContent()).toBe('Estimated cost: €0.0333 (1 part × €0.0333)');
    expect(await page.locator('.counter-multiplied').count()).toBe(0);
    // One apostrophe at the start triples the parts, and the counter says so where it shows.
    await message.press('Control+Home');
    await message.pressSequentially('Don’t ');
    await expect.poll(() => page.locator('#sms-counter').textContent()).toBe('155 characters · Unicode (UCS-2) · 3 parts (46 left in this part)');
    const warning = page.locator('.counter-multiplied');
    await expect.poll(() => warning.textContent()).toBe('This one character triples the message: 3 parts instead of 1.');
    expect(await warning.isVisible()).toBe(true);
    expect(await page.locator('#sms-cost').textContent()).toBe('Estimated cost: €0.0999 (3 parts × €0.0333)');
    await expectAccessible(page, 'SMS form with a parts warning');
    await screenshot(page, 'sms-form-unicode');
    await phoneScreenshot(page, 'sms-form-unicode');
  });

  it('shows a text of only spaces and line breaks as empty, with no parts or cost, as the form refuses it', async () => {
    const { page, app } = suite;
    await openForm(page, app);
    // A send first, so the form knows a price and would show a cost if it counted parts.
    await fillAndSend(page, 'Priced');
    await page.getByRole('link', { name: 'Send another' }).click();
    await page.waitForURL((url) => url.pathname === '/sms');
    const message = page.getByLabel('Message', { exact: true });
    await message.click();
    await page.keyboard.type('   ');
    await expect.poll(() => page.locator('#sms-counter').textContent()).toBe('Only blank space · the message is empty');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' ');
    await expect.poll(() => page.locator('#sms-counter').textContent()).toBe('Only blank space · the message is empty');
    expect(await page.locator('#sms-cost').isHidden()).toBe(true);
    // Something to send: counted as usual, its spaces included.
    await page.keyboard.type('a');
    await expect.poll(() => page.locator('#sms-counter').textContent()).toBe('7 characters · GSM-7 · 1 part (153 left in this part)');
    await expect.poll(() => page.locator('#sms-cost').textContent()).toBe('Estimated cost: €0.0333 (1 part × €0.0333)');
    // Back to blank: the server says the same as the counter, and sends nothing.
    await page.keyboard.press('Backspace');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#sms-counter').textContent()).toBe('Only blank space · the message is empty');
    expect(await page.locator('#text-error').textContent()).toBe('Write the message to send.');
    expect(await app.sandbox!.outbox()).toHaveLength(1);
  });

  it('draws the same notes as the server, which drew them first', async () => {
    const { page, app } = suite;
    await openForm(page, app);
    await page.getByLabel('From', { exact: true }).fill(SENDER);
    await page.getByLabel('To', { exact: true }).fill('12');
    await page.getByLabel('Message', { exact: true }).fill(`“Quoted” – isn’t it… 👋 ${'x'.repeat(60)}`);
    const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/sms' && r.request().method() === 'POST'), page.getByRole('button', { name: 'Send SMS' }).click()]);
    const html = await response.text();
    await page.locator('#error-summary').waitFor();
    const fromServer = await page.evaluate((source) => {
      const box = new DOMParser().parseFromString(source, 'text/html').getElementById('sms-counter-box');
      return (box?.textContent ?? '').replace(/\s+/g, ' ').trim();
    }, html);
    expect(fromServer).toContain('Unicode because of: “ (U+201C), ” (U+201D), – (U+2013), ’ (U+2019), … (U+2026), 👋 (U+1F44B)');
    expect(await boxText(page)).toBe(fromServer);
    // Typing and deleting a character makes the script draw everything itself: still the same.
    const message = page.getByLabel('Message', { exact: true });
    await message.press('End');
    await message.press('y');
    await expect.poll(() => boxText(page)).not.toBe(fromServer);
    await message.press('Backspace');
    await expect.poll(() => boxText(page)).toBe(fromServer);
    expect(await page.locator('#sms-unicode mark.culprit').count()).toBe(6);
  });
});

describe('a refused form', () => {
  it('moves the focus to the error summary, whose links lead to the fields', async () => {
    const { page, app } = suite;
    await openForm(page, app);
    // The form starts with a sender; take it away so every field has something to fix.
    await page.getByLabel('From', { exact: true }).fill('');
    await page.getByLabel('To', { exact: true }).fill('070');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    const summary = page.locator('#error-summary');
    await summary.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    expect(await summary.getAttribute('tabindex')).toBe('-1');
    const links = summary.getByRole('link');
    expect(await links.evaluateAll((els) => els.map((el) => el.getAttribute('href')))).toEqual(['#from', '#to', '#text']);
    expect(await links.nth(1).textContent()).toContain('That doesn’t look like a national number (United Kingdom)');
    await expectAccessible(page, 'SMS form with an error summary');

    // Tab from the summary reaches its first link; following it focuses the field.
    await page.keyboard.press('Tab');
    expect(await links.nth(0).evaluate((el) => el === document.activeElement)).toBe(true);
    await links.nth(1).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('to');
    await links.nth(2).press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('text');
  });
});

describe('the message page', () => {
  it('shows every badge whole at 1280 px, the operator, the favicon without a 404, and reads receipts out', async () => {
    const { page, app, context } = suite;
    // The page's own clock, so the spec can have it ask for news at once (expectAfterPolls).
    await context.clock.install();
    const failures: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
    });
    await openForm(page, app);
    await fillAndSend(page, `${'A long message in two parts. '.repeat(6)}The end.`);

    const parts = page.locator('#parts');
    await expect.poll(() => parts.locator('tbody .badge').allTextContents()).toEqual(['Sent', 'Waiting for receipt', 'Sent', 'Waiting for receipt']);
    // Both parts wait alike: one row, which the reader opens; they stay in view as they change.
    await parts.locator('summary').click();
    const fit = async () =>
      page.evaluate(() => {
        const wrap = document.querySelector<HTMLElement>('#parts')!;
        const box = wrap.getBoundingClientRect();
        return {
          wrap: wrap.scrollWidth <= wrap.clientWidth,
          badges: Array.from(document.querySelectorAll<HTMLElement>('#parts .badge')).map((b) => {
            const r = b.getBoundingClientRect();
            return { text: b.textContent, fits: b.scrollWidth <= b.clientWidth, inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 };
          }),
        };
      });
    const before = await fit();
    expect(before.wrap, 'the parts table fits without scrolling at 1280 px').toBe(true);
    for (const badge of before.badges) expect(badge, String(badge.text)).toMatchObject({ fits: true, inside: true });
    expect(await parts.locator('td[data-label="Network"]').allInnerTexts()).toEqual(['O2 UK (23410)', 'O2 UK (23410)']);
    await expectAccessible(page, 'message page waiting for receipts');

    // The receipts arrive and are read out once, politely.
    const announcer = page.locator('#receipt-announcer');
    expect(await announcer.getAttribute('role')).toBe('status');
    // Everything it says, in order (a poll already on its way as the receipts arrive may split it).
    await announcer.evaluate((el) => {
      const said: string[] = [];
      Object.assign(window, { said });
      new MutationObserver(() => said.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await whilePageWaits(page, () => deliverNewest(app));
    await expectAfterPolls(page, () => page.evaluate(() => (window as unknown as { said: string[] }).said.join(' '))).toBe('Part 1 of 2: Delivered. Part 2 of 2: Delivered.');
    expect(await announcer.textContent()).toMatch(/Part 2 of 2: Delivered\.$/);
    for (const badge of (await fit()).badges) expect(badge, String(badge.text)).toMatchObject({ fits: true, inside: true });
    await screenshot(page, 'message-badges');
    await phoneScreenshot(page, 'message-badges');

    // The favicon: linked, served as SVG, and nothing on the way answered 4xx or 5xx.
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBe('/favicon.svg');
    const icon = await page.request.get(`${app.url}${href}`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    expect(failures).toEqual([]);
  });

  it('is readable at a phone’s width, its parts one region that never needs scrolling sideways', async () => {
    const { page, app } = suite;
    await openForm(page, app);
    await fillAndSend(page, 'Short');
    expect(await page.getByRole('region', { name: 'Parts' }).count()).toBe(1);
    // The parts become cards before they would be too wide, so there is nothing to scroll to.
    expect(await page.locator('#parts').getAttribute('tabindex')).toBeNull();
    await page.setViewportSize(PHONE);
    expect(await page.locator('#parts').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expectAccessible(page, 'message page on a phone');
  });
});

describe('the history', () => {
  it('reads out a status that changes', async () => {
    const { page, app, context } = suite;
    await context.clock.install();
    await openForm(page, app);
    await fillAndSend(page, 'Announce me');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await page.waitForURL((url) => url.pathname === '/messages');
    expect(await page.locator('#history [data-status-for]').allInnerTexts()).toEqual(['Waiting for receipt']);
    const announcer = page.locator('#status-announcer');
    await deliverNewest(app);
    await expectAfterPolls(page, () => announcer.textContent()).toBe('Message to +44 7700 900123: Delivered.');
    await expectAccessible(page, 'history after a receipt');
  });
});

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]: number[]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

function contrast(a: number[], b: number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Tabs through the whole page; for each focused element, its ring colour and what it is drawn on. */
async function focusRings(page: Page): Promise<{ what: string; ring: number[]; behind: number[] }[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: { what: string; ring: number[]; behind: number[] }[] = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return undefined;
      const rgba = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
      const style = getComputedStyle(el);
      // Outside the element (offset ≥ 0) the ring is drawn on the ancestors' background, inside on the element's.
      let node: HTMLElement | null = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement;
      let behind = [255, 255, 255];
      const layers: number[][] = [];
      for (; node; node = node.parentElement) {
        const bg = rgba(getComputedStyle(node).backgroundColor);
        if (bg.length === 4 && bg[3] === 0) continue;
        layers.push(bg);
        if (bg.length === 3 || bg[3] === 1) break;
      }
      if (layers.length > 0) {
        behind = layers.length && (layers.at(-1)!.length === 3 || layers.at(-1)![3] === 1) ? layers.at(-1)!.slice(0, 3) : [245, 246, 251];
        for (const layer of layers.slice(0, -1).reverse()) {
          const a = layer[3] ?? 1;
          behind = behind.map((c, k) => layer[k]! * a + c * (1 - a));
        }
      } else {
        behind = rgba(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
      }
      return { what: el.outerHTML.slice(0, 70), style: style.outlineStyle, ring: rgba(style.outlineColor).slice(0, 3), behind };
    });
    if (!found) continue;
    if (seen.some((s) => s.what === found.what)) break;
    expect(found.style, `a focus ring on ${found.what}`).not.toBe('none');
    seen.push(found);
  }
  return seen;
}

describe('the header at a phone’s width', () => {
  it('never breaks a link over two lines ("Send / SMS"), and does not scroll sideways', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await page.setViewportSize(PHONE);
    for (const path of ['/', '/sms', '/messages', '/how-it-works']) {
      await page.goto(`${app.url}${path}`);
      const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
      expect(await links.allTextContents()).toEqual(['Home', 'Send SMS', 'Messages', 'How it works']);
      // A link on one line has a single box, as tall as its own line of text plus padding.
      const broken = await links.evaluateAll((anchors) =>
        anchors
          .filter((a) => {
            const range = document.createRange();
            range.selectNodeContents(a);
            return range.getClientRects().length > 1;
          })
          .map((a) => a.textContent),
      );
      expect(broken, `links broken over two lines on ${path}`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
  });
});

describe('focus rings', () => {
  it('reach 3:1 against what they are drawn on: header, banner, cards and buttons', async () => {
    const { page, app } = suite;
    await openForm(page, app);
    await fillAndSend(page, 'Rings');
    for (const path of [new URL(page.url()).pathname, '/sms', '/']) {
      await page.goto(`${app.url}${path}`);
      const rings = await focusRings(page);
      expect(rings.length, path).toBeGreaterThan(5);
      for (const ring of rings) expect(contrast(ring.ring, ring.behind), `${path}: ${ring.what}`).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('times', () => {
  it('are shown in the reader’s time zone, with the UTC text from the server underneath', async () => {
    const { browser, app } = suite;
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Asia/Tokyo' });
    try {
      const page = await context.newPage();
      await openForm(page, app);
      const [response] = await Promise.all([page.waitForResponse((r) => MESSAGE_PAGE.test(new URL(r.url()).pathname)), fillAndSend(page, 'What time is it?')]);
      const serverText = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(await response.text());
      expect(serverText?.[2]).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d UTC$/);
      const time = page.locator('time').first();
      expect(await time.getAttribute('datetime')).toBe(serverText?.[1]);
      // The same pattern nine hours on, named by Tokyo's offset: only the zone changed.
      const tokyo = new Date(Date.parse(serverText![1]!) + 9 * 60 * 60 * 1000);
      const two = (n: number) => String(n).padStart(2, '0');
      const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][tokyo.getUTCMonth()];
      const expected = `${tokyo.getUTCDate()} ${month} ${tokyo.getUTCFullYear()}, ${two(tokyo.getUTCHours())}:${two(tokyo.getUTCMinutes())}:${two(tokyo.getUTCSeconds())} GMT+9`;
      await expect.poll(() => time.textContent()).toBe(expected);
      expect(await time.getAttribute('title')).toBe(serverText?.[2]);
    } finally {
      await context.close();
    }
  });
});
