// Shared set-up for the browser scenarios: the system's Chromium driven by playwright-core, the
// whole app started in sandbox mode on a free port, axe-core checks, screenshots, and a provider
// that takes as long as a spec needs.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createMemoryStorage, type SandboxStorage } from '@nexmo-oauth/sandbox';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import supertest from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/testApp.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Where screenshots go, when a run asks for them: `npm run screenshots` sets
 * SCREENSHOT_DIR=docs/screenshots to refresh the docs' pictures on purpose (a relative path is
 * taken from the project folder). Without it the screenshot steps still make their checks but
 * draw no picture: `npm test` spends no time capturing and encoding PNGs nobody looks at, and
 * writes nothing.
 */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ? resolve(root, process.env.SCREENSHOT_DIR) : undefined;

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** What a person types; kept here so every file agrees on it. */
export const SENDER = 'AcmeShop';
export const RECIPIENT = '+44 7700 900123';

/**
 * `backForwardCache: false` for specs of what Chromium does when it cannot keep a page (a
 * no-store page after Back, fetched again and its form refilled by the browser): the cache would
 * otherwise hand the old page back and hide it.
 */
export function launchBrowser(options: { backForwardCache?: boolean } = {}): Promise<Browser> {
  const cache = options.backForwardCache ?? true;
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    // Playwright turns the back/forward cache off by default; real browsers have it on, and the
    // back-button scenario must see what a person would see.
    ignoreDefaultArgs: cache ? ['--disable-back-forward-cache'] : [],
    // The background-networking flags keep Chromium from dialling out on a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface BrowserSuite {
  readonly browser: Browser;
  /** The app, started fresh for each test (its own sandbox, outbox and counters). */
  readonly app: TestApp;
  /** A fresh browser context (cookies, history) for each test. */
  readonly context: BrowserContext;
  /** The first tab of `context`. */
  readonly page: Page;
}

/**
 * One browser per test file; a fresh app, context and page per test. Call at the top of a
 * test file and read the fields inside the tests. `options` go to every test's app (e.g. the
 * sandbox's receipt delay), or are made afresh for each test by a function (for state that must
 * not outlive one test, such as a ProviderHold); `env` is its configuration (e.g. OAUTH_TIMEOUT_MS).
 */
export function useBrowserSuite(
  options: TestAppOptions | (() => TestAppOptions) = {},
  env: Record<string, string> = {},
  browserOptions: { backForwardCache?: boolean } = {},
): BrowserSuite {
  let browser: Browser | undefined;
  let app: TestApp | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    browser = await launchBrowser(browserOptions);
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    app = await startTestApp(env, typeof options === 'function' ? options() : options);
    context = await browser!.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
    // Waits for conditions, never for time; a failing wait should fail well within the test timeout.
    context.setDefaultTimeout(8_000);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    await app?.close();
    context = undefined;
    app = undefined;
  });

  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is only available inside a test`);
    return value;
  };
  return {
    get browser() {
      return need(browser, 'browser');
    },
    get app() {
      return need(app, 'app');
    },
    get context() {
      return need(context, 'context');
    },
    get page() {
      return need(page, 'page');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A provider that takes its time

export interface ProviderHold {
  /** The sandbox's storage: give it to the sandbox (`sandbox: { storage, slowCallMs: 1 }`). */
  readonly storage: SandboxStorage;
  /** Waits until a call armed slow has reached the provider, which holds it from then on. */
  reached(): Promise<void>;
  /** Whether a call armed slow is being held now. */
  holding(): boolean;
  /** Lets every held call be answered, now and from now on; safe to call more than once. */
  release(): void;
}

/**
 * Holds each call the demo controls armed "slow" until the spec calls release(): the provider
 * takes exactly as long as the spec needs to look at the app meanwhile, however busy the machine,
 * and not a moment longer. It is the sandbox's usual storage (in memory) with one difference:
 * the held call's taking of its arming (the stored value is the armed mode, "slow") waits for
 * release(). With a slowCallMs of 1 the sandbox's own timed wait then adds nothing. Make one per
 * test, and release it after each test too, so a failed test leaves no call waiting.
 */
export function holdSlowCalls(): ProviderHold {
  const memory = createMemoryStorage();
  let holding = false;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const storage: SandboxStorage = {
    ...memory,
    async take(key) {
      const value = await memory.take(key);
      if (value === 'slow') {
        holding = true;
        await released;
      }
      return value;
    },
  };
  return {
    storage,
    // Generous: on a loaded machine the whole run shares two cores; it returns as soon as it holds.
    reached: () => expect.poll(() => holding, { message: 'a call armed slow reaches the provider', timeout: 20_000 }).toBe(true),
    holding: () => holding,
    release: () => release(),
  };
}

// ---------------------------------------------------------------------------------------------
// Delivery receipts, when the spec says they arrive

/**
 * The app's receipt webhook key (its RECEIPT_KEY) in specs that hold the sandbox's own receipts
 * back (a receiptDelayMs far beyond the test) and send each one themselves, once the page has
 * been seen waiting: no race with a timer, however busy the machine.
 */
export const RECEIPT_KEY = 'browser-receipt-key-0123456789abcdef';

/**
 * One part's receipt, as the carrier reports it through Nexmo to the app's webhook (which must
 * answer 204): `to` is the recipient's digits, the times those of `at` (the carrier's to the
 * minute, Nexmo's to the second), as the sandbox would send them.
 */
export async function carrierReceipt(
  app: TestApp,
  receipt: { messageId: string; to: string; status: string; errCode?: string; at?: Date },
): Promise<void> {
  const iso = (receipt.at ?? new Date()).toISOString();
  await supertest(app.url)
    .get(`${RECEIPT_PATH}/${RECEIPT_KEY}`)
    .query({
      messageId: receipt.messageId,
      status: receipt.status,
      'err-code': receipt.errCode ?? '0',
      msisdn: receipt.to,
      to: SENDER,
      'network-code': '23410',
      scts: `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`,
      'message-timestamp': `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
    })
    .expect(204);
}

/** The longest wait of a page between two questions to the app (src/browser/poll.ts). */
const LONGEST_POLL_WAIT_MS = 15_000;

/**
 * Has the page ask the app now rather than at its next, ever longer, wait: its clock (installed
 * with `context.clock.install()` before the page was opened) jumps past the longest wait, which
 * fires the waiting poll.
 */
async function pollNow(page: Page): Promise<void> {
  await page.clock.fastForward(LONGEST_POLL_WAIT_MS);
}

/**
 * Runs `arrive` (news reaching the app: receipts posted to its webhook, one by one) while the
 * page's clock stands still, so the page asks nothing in between and sees all of it in its next
 * poll, as one answer; then lets its clock run again. Without it a poll the page makes on its
 * own can fall between two receipts, and each is announced alone.
 */
export async function whilePageWaits(page: Page, arrive: () => Promise<void>): Promise<void> {
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1);
  try {
    await arrive();
  } finally {
    await page.clock.resume();
  }
}

/**
 * `expect.poll` of what `read` returns, the page asking the app for news (pollNow) before each
 * look; `timeout` as expect.poll's, for news that waits on a timer of the app or the sandbox.
 */
export function expectAfterPolls<T>(page: Page, read: () => Promise<T>, options: { timeout?: number } = {}) {
  return expect.poll(async () => {
    await pollNow(page);
    return read();
  }, options);
}

// ---------------------------------------------------------------------------------------------
// Accessibility

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core in the page and fails on serious or critical violations, and on landmarks
 * sharing a name (a moderate rule, but a screen reader's landmark list is useless without it),
 * listing each rule, its impact, what it asks for and where. The source is evaluated rather than added as a
 * script tag, so the app's Content-Security-Policy (script-src 'self') stays in force.
 */
export async function expectNoSeriousA11yViolations(page: Page, screen = page.url()): Promise<void> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'landmark-unique');
  const report = serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n    at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  expect(report, `accessibility violations on ${screen}`).toEqual([]);
}

/** Every visible form control has a visible <label> naming it (not only a placeholder or title). */
export async function expectEveryFieldLabelled(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() => {
    const controls = Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select'));
    return controls
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'hidden'))
      .filter((el) => {
        const labels = Array.from(el.labels ?? []);
        return !labels.some((label) => (label.textContent ?? '').trim() !== '' && label.getClientRects().length > 0);
      })
      .map((el) => el.outerHTML.slice(0, 120));
  });
  expect(unlabelled, `form controls without a visible label on ${page.url()}`).toEqual([]);
}

/** Both checks every screen gets: axe-core's serious and critical rules, and labelled fields. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await expectNoSeriousA11yViolations(page, screen);
  await expectEveryFieldLabelled(page);
}

// ---------------------------------------------------------------------------------------------
// Screenshots

/** Writes SCREENSHOT_DIR/<name>.png of the whole page at the current viewport, if the run asks for pictures. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Screenshots show the page as it rests, not a caret or a focus ring from the test's typing;
  // blurred in every run, so a spec goes on from the same state whether pictures are taken or not.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur?.());
  if (SCREENSHOT_DIR === undefined) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
}

/**
 * The same page at a phone's width, where it must not scroll sideways, as
 * SCREENSHOT_DIR/<name>-phone.png (see screenshot); the viewport is restored.
 */
export async function phoneScreenshot(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(PHONE);
  try {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} scrolls sideways at a phone's width`).toBeLessThanOrEqual(0);
    await screenshot(page, `${name}-phone`);
  } finally {
    await page.setViewportSize(before);
  }
}

// ---------------------------------------------------------------------------------------------
// Steps a person takes

/** The app's home page, as a first-time visitor sees it. */
export async function openHome(page: Page, app: TestApp): Promise<void> {
  await page.goto(`${app.url}/`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Send SMS from your Nexmo account');
}

/** Home → Connect with Nexmo → the sandbox's consent page. */
export async function startConnecting(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Connect with Nexmo' }).click();
  await page.waitForURL(/\/sandbox\/oauth\/authorize\?oauth_token=/);
  await page.getByRole('button', { name: 'Authorize' }).waitFor();
}

/**
 * The sandbox account the consent page (or the sandbox sign-in) would sign in as if submitted
 * now: the checked shared account, or the name in the field under "an account of your own"
 * (for a new browser, the fresh name the page suggested).
 */
export async function chosenAccount(page: Page): Promise<string> {
  const own = page.locator('#account-own');
  if (await own.isChecked()) return page.getByLabel('Account name', { exact: true }).inputValue();
  return page.locator('input[type="radio"][name="account"]:checked').inputValue();
}

/** Authorize on the consent page as it stands and land back home, connected; returns the sandbox account. */
export async function authorize(page: Page): Promise<string> {
  const account = await chosenAccount(page);
  await page.getByRole('button', { name: 'Authorize' }).click();
  // Home (/?notice=connected, which the page then drops from the address: see notice-once.ts).
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('heading', { name: "You're connected to Nexmo" }).waitFor();
  return account;
}

/** The whole login, from a page anywhere in the app; returns the sandbox account connected. */
export async function connectInBrowser(page: Page, app: TestApp): Promise<string> {
  await openHome(page, app);
  await startConnecting(page);
  return authorize(page);
}

/** Presses Tab until `target` has the focus (at most `limit` times), checking it shows a focus ring. */
export async function tabTo(page: Page, target: Locator, limit = 25): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow };
      });
      expect(ring.style !== 'none' && ring.width > 0 ? true : ring.shadow !== 'none', `focus ring on ${await target.evaluate((el) => el.outerHTML.slice(0, 80))}`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${target.toString()} in ${limit} presses`);
}

/** Text a person can read on the page right now (not hidden inputs or attributes). */
export function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}
