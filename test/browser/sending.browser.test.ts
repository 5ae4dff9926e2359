// While the provider takes its time the SMS form shows that it is sending: the button is
// disabled and says "Sending…", and comes back usable after Back, or when the browser's own
// validation stops the form. The same form posted again meanwhile opens that send's page, which
// says "Sending…" and draws itself again once Nexmo's answer is stored.
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';

import { CONTROLS_PATH } from '@nexmo-oauth/sandbox';
import { expectProviderCalls } from '../helpers/assertions.js';
import { RECIPIENT, SENDER, connectInBrowser, holdSlowCalls, useBrowserSuite, type ProviderHold } from './harness.js';

// The provider holds the send armed slow until the spec has seen what it looks for, then
// answers at once (see holdSlowCalls): no fixed wait, and a busy machine cannot outrun it.
let hold: ProviderHold = holdSlowCalls();
const suite = useBrowserSuite(
  () => {
    hold = holdSlowCalls();
    return { sandbox: { storage: hold.storage, slowCallMs: 1, receiptDelayMs: 60_000 } };
  },
  { OAUTH_TIMEOUT_MS: '30000' },
);
// Before the app is closed: a test that failed while a send was held leaves nothing waiting.
afterEach(() => hold.release());

const sendButton = (page: Page) => page.locator('form[action="/sms"] button[type=submit]');

async function fillForm(page: Page, text: string): Promise<void> {
  await page.goto(`${suite.app.url}/sms`);
  await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
  await page.getByLabel('From', { exact: true }).fill(SENDER);
  await page.getByLabel('To', { exact: true }).fill(RECIPIENT);
  await page.getByLabel('Message', { exact: true }).fill(text);
}

/**
 * The form as a link fills it in (the sender and the number in its address, as "Send another"
 * writes them), then the message typed: a page that never asked the app anything. (A number
 * typed into To is previewed by a request to the app, and Chromium keeps no no-store page that
 * made one in its back/forward cache.)
 */
async function fillFormFromLink(page: Page, text: string): Promise<void> {
  await page.goto(`${suite.app.url}/sms?${new URLSearchParams({ from: SENDER, to: RECIPIENT })}`);
  await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
  expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(RECIPIENT);
  await page.getByLabel('Message', { exact: true }).fill(text);
}

/** Connects, then has the sandbox's demo controls hold the next send (approving signed this browser in to them). */
async function connectAndHoldNextSend(page: Page): Promise<void> {
  const { app } = suite;
  await connectInBrowser(page, app);
  await page.goto(`${app.url}/sandbox${CONTROLS_PATH}`);
  await page.getByRole('radio', { name: /sending an SMS/ }).check();
  await page.getByRole('button', { name: /^Make it slow/ }).click();
  await page.getByRole('status').filter({ hasText: 'sending an SMS' }).waitFor();
}

describe('the SMS form while it is being sent', () => {
  it('with the provider slowed, disables its button and says "Sending…" until the message page, and is usable again after Back', async () => {
    const { page, app } = suite;
    await connectAndHoldNextSend(page);

    await fillFormFromLink(page, 'Slow but sure');
    expect(await sendButton(page).textContent()).toBe('Send SMS');
    // What the page shows while the send is on its way, reported by the page itself as it
    // changes: anything asked from outside (Playwright's evaluate, even the DevTools protocol
    // on a busy machine) may wait for the navigation the page has started, and see the next page.
    const posts: string[] = [];
    let answered = false;
    page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/sms') answered = true;
    });
    type ButtonState = { text: string | null; disabled: boolean; path: string; pressedAgain: boolean };
    const seen: Array<ButtonState & { answered: boolean }> = [];
    await page.exposeFunction('reportSendButton', (state: ButtonState) => seen.push({ ...state, answered }));
    await page.evaluate(() => {
      const button = document.querySelector('form[action="/sms"] button[type=submit]') as HTMLButtonElement;
      const report = (window as unknown as { reportSendButton(state: ButtonState): void }).reportSendButton;
      let pressedAgain = false;
      new MutationObserver(() => {
        report({ text: button.textContent, disabled: button.disabled, path: location.pathname, pressedAgain });
        // A second press while it waits: a disabled button sends nothing.
        if (button.disabled && !pressedAgain) {
          pressedAgain = true;
          button.click();
          report({ text: button.textContent, disabled: button.disabled, path: location.pathname, pressedAgain });
        }
      }).observe(button, { attributes: true, childList: true, characterData: true, subtree: true });
      // Marks this document, to tell a page kept by the back/forward cache from one loaded afresh.
      Object.assign(window, { keptForm: true });
    });

    // Not waiting for the navigation it starts: the point is what the page shows meanwhile.
    await sendButton(page).click({ noWaitAfter: true });
    await hold.reached();
    // Seen while the provider holds the send, and pressed again then.
    const busy = { text: 'Sending…', disabled: true, path: '/sms', answered: false };
    await expect.poll(() => seen.find((state) => state.pressedAgain)).toEqual({ ...busy, pressedAgain: true });
    expect(seen[0]).toMatchObject(busy);
    expect(answered).toBe(false);

    hold.release();
    await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
    const sentPath = new URL(page.url()).pathname;
    expect(app.logs.filter((line) => line.includes('sms call held (slow'))).toHaveLength(1);
    await page.getByRole('heading', { level: 1, name: /^(Sent|Delivered)$/ }).waitFor();
    expectProviderCalls(app.sandbox!, 'sms', 1);
    expect(await app.sandbox!.outbox()).toHaveLength(1);
    expect(posts.filter((path) => path === '/sms')).toHaveLength(1);

    // This browser keeps its back/forward cache on, the session cookie has not changed since the
    // form was drawn and the page asked nothing of the app, so Back brings back the very form
    // that was sent; restored, it fires no load event: wait for the navigation, then the page.
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForURL((url) => url.pathname === '/sms', { waitUntil: 'commit' });
    await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
    // If Chromium loaded it afresh instead, its reasons say why.
    const restored = await page.evaluate(() =>
      'keptForm' in window ? 'from the back/forward cache' : JSON.stringify((performance.getEntriesByType('navigation')[0] as { notRestoredReasons?: unknown } | undefined)?.notRestoredReasons ?? null),
    );
    expect(restored, 'how the sent form came back').toBe('from the back/forward cache');
    // It says it was sent, its button is usable again and opens that message, sending nothing.
    await expect.poll(() => sendButton(page).textContent()).toBe('Open the sent message');
    expect(await page.getByRole('status').filter({ hasText: 'This form was sent already' }).isVisible()).toBe(true);
    expect(await sendButton(page).isEnabled()).toBe(true);
    await sendButton(page).click();
    await page.waitForURL((url) => url.pathname === sentPath);
    expectProviderCalls(app.sandbox!, 'sms', 1);
    expect(await app.sandbox!.outbox()).toHaveLength(1);
  });

  it('comes back from the back/forward cache with its button usable, and ignores a submit another script cancelled', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await fillForm(page, 'Restored');
    // A submit some other script cancels sends nothing, so the button must stay as it was.
    await page.evaluate(() => {
      const form = document.querySelector('form[action="/sms"]') as HTMLFormElement;
      form.addEventListener('submit', (event) => event.preventDefault(), { once: true });
      form.requestSubmit();
    });
    expect(await sendButton(page).textContent()).toBe('Send SMS');
    expect(await sendButton(page).isEnabled()).toBe(true);

    // A page left mid-send and kept by the back/forward cache: simulated with the events the
    // browser fires (a script's submit event goes nowhere), since this page is never cached.
    await page.evaluate(() => document.querySelector('form[action="/sms"]')!.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true })));
    await expect.poll(() => sendButton(page).textContent()).toBe('Sending…');
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
    await expect.poll(() => sendButton(page).textContent()).toBe('Send SMS');
    expect(await sendButton(page).isEnabled()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/sms');
    expectProviderCalls(app.sandbox!, 'sms', 0);
  });

  it('brought back by the back/forward cache after its send was stored, says so: read-only fields, a button that opens the sent message, a link to a new form', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await fillForm(page, 'Sent once');
    const notice = page.getByRole('status').filter({ hasText: 'This form was sent already' });
    expect(await notice.isVisible()).toBe(false);
    // The send and the return: the form's own fields posted as the browser would post them,
    // then the events the browser fires for a form submitted and shown again from the cache
    // (a script's submit event goes nowhere, so this page stays).
    const posted = await page.evaluate(async () => {
      const form = document.querySelector('form[action="/sms"]') as HTMLFormElement;
      const answer = await fetch('/sms', { method: 'POST', body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>), redirect: 'manual' });
      form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
      return answer.type;
    });
    expect(posted).toBe('opaqueredirect');
    expectProviderCalls(app.sandbox!, 'sms', 1);
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));

    await expect.poll(() => sendButton(page).textContent()).toBe('Open the sent message');
    expect(await sendButton(page).isEnabled()).toBe(true);
    expect(await notice.isVisible()).toBe(true);
    for (const label of ['From', 'To', 'Message']) expect(await page.getByLabel(label, { exact: true }).getAttribute('readonly')).not.toBeNull();
    const another = notice.getByRole('link', { name: 'Send another' });
    const target = new URL((await another.getAttribute('href'))!, app.url);
    expect(target.pathname).toBe('/sms');
    expect(Object.fromEntries(target.searchParams)).toEqual({ from: SENDER, to: RECIPIENT });

    // A new form: the same sender and recipient, an empty message, a fresh key and the usual button.
    await another.click();
    await page.getByRole('heading', { name: 'Send an SMS' }).waitFor();
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(SENDER);
    // The recipient as a person writes it, whatever the link's spelling.
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(RECIPIENT);
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('To', { exact: true }).getAttribute('readonly')).toBeNull();
    expect(await sendButton(page).textContent()).toBe('Send SMS');
    expect(await page.getByRole('status').filter({ hasText: 'This form was sent already' }).isVisible()).toBe(false);
    expectProviderCalls(app.sandbox!, 'sms', 1);
  });

  it('leaves the button alone when the browser’s own validation refuses the form', async () => {
    const { page, app } = suite;
    await connectInBrowser(page, app);
    await fillForm(page, '');
    // Turn the browser's validation on for this form: an empty required message stops it.
    await page.evaluate(() => {
      const form = document.querySelector('form[action="/sms"]') as HTMLFormElement;
      form.noValidate = false;
      (document.getElementById('text') as HTMLTextAreaElement).required = true;
    });
    await sendButton(page).click();
    expect(await page.evaluate(() => (document.getElementById('text') as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    expect(await sendButton(page).textContent()).toBe('Send SMS');
    expect(await sendButton(page).isEnabled()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/sms');
    expectProviderCalls(app.sandbox!, 'sms', 0);
  });

  it('the same form posted again while the first waits opens its page, which says "Sending…" and shows the send once it is stored', async () => {
    const { page, app } = suite;
    await connectAndHoldNextSend(page);
    await fillForm(page, 'Posted twice, sent once');
    // The form as it stands, to post it a second time from another tab of the same browser.
    const fields = await page.evaluate(() => Object.fromEntries(new FormData(document.querySelector('form[action="/sms"]') as HTMLFormElement) as unknown as Iterable<[string, string]>));
    expect(fields.sendKey).toMatch(/^[A-Za-z0-9_-]{22}\./);

    // What the app answered the first post, should it answer before the provider has it.
    let answered: string | undefined;
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/sms') answered ??= `${r.status()} ${r.headers().location ?? ''}`;
    });
    const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/sms', { timeout: 20_000 });
    await sendButton(page).click({ noWaitAfter: true });
    await posted;
    // The provider has the first send and holds it until the second tab has seen its page.
    await expect.poll(() => hold.holding() || answered !== undefined, { message: 'the first post reaches the provider', timeout: 20_000 }).toBe(true);
    expect(answered, 'the app answered the first post before the provider had it').toBeUndefined();
    expect(app.sandbox!.stats().smsCalls).toBe(1);
    const again = await page.context().request.post(`${app.url}/sms`, { form: fields, maxRedirects: 0, headers: { Origin: app.url, 'Sec-Fetch-Site': 'same-origin' } });
    expect(again.status()).toBe(303);
    const location = again.headers().location!;
    expect(location).toBe(`/messages/${fields.sendKey!.split('.')[0]}`);

    const second = await page.context().newPage();
    try {
      await second.goto(`${app.url}${location}`);
      await second.getByRole('heading', { level: 1, name: 'Sending…' }).waitFor();
      // Once the held send is answered and stored, the page shows it, with no click.
      hold.release();
      await second.getByRole('heading', { level: 1, name: /^(Sent|Delivered)$/ }).waitFor();
      expect(await second.locator('#parts tbody tr').count()).toBe(1);
    } finally {
      await second.close();
    }
    await page.waitForURL(/\/messages\/[A-Za-z0-9_-]{22}$/);
    expect(new URL(page.url()).pathname).toBe(location);
    expectProviderCalls(app.sandbox!, 'sms', 1);
    expect((await app.sandbox!.outbox()).map((sms) => sms.text)).toEqual(['Posted twice, sent once']);
  });
});
