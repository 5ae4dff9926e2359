import type { SandboxOptions } from '@nexmo-oauth/sandbox';
import type session from 'express-session';
import supertest from 'supertest';
import { expect } from 'vitest';

import { SESSION_COOKIE } from '../../src/http/session.js';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningApp } from '../../src/main/compose.js';
import { createLogger } from '../../src/logging/logger.js';
import { resolveProviderPlan } from '../../src/config/provider.js';
import { createMemoryStores } from '../../src/store/memory.js';
import type { AppStores } from '../../src/store/types.js';
import { formFor, pageOf } from './html.js';

/** One line of the app's log, parsed. */
export interface LogEntry {
  level: string;
  time: string;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

export interface TestApp extends RunningApp {
  /** The message text of every line logged so far, in order. */
  logs: string[];
  /** Every line logged so far, parsed: the message and its fields (requestId, path, statusCode…). */
  logEntries: LogEntry[];
  /** Every line exactly as written (JSON), to search for what must never be logged. */
  rawLogs: string[];
  /** A browser-like client: keeps cookies, does not follow redirects. */
  browser(): supertest.Agent;
}

/** Every abuse limit off: for specs that send far faster than a person (the limits have their own). */
export const NO_LIMITS = {
  LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '0',
  LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '0',
  LIMIT_SMS_PER_NUMBER_PER_HOUR: '0',
  LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '0',
  LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '0',
} as const;

export interface TestAppOptions {
  sandbox?: SandboxOptions;
  now?: () => number;
  /** A session store to inspect; the other stores stay in memory. */
  sessionStore?: session.Store;
  /** Explicit stores; by default in memory, unless env names SQLITE_PATH or REDIS_URL. */
  stores?: AppStores;
  /** The machine's Network URLs as the app should see them; by default its real interfaces. */
  networkUrls?: (port: number) => string[];
}

/** Starts the whole app (sandbox mode unless env says otherwise) on a free loopback port. */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  // OAUTH_TIMEOUT_MS stays at its default (10 s): a busy machine must not turn a slow answer of
  // the in-process sandbox into "outcome unknown". Specs of timeouts set their own.
  const config = loadConfig({ PORT: '0', SESSION_SECRET: 'test-session-secret', ...env });
  const logs: string[] = [];
  const logEntries: LogEntry[] = [];
  const rawLogs: string[] = [];
  // The app's own logger, as production makes it (JSON lines), writing into these arrays.
  const log = createLogger({
    level: config.log.level,
    format: 'json',
    destination: {
      write(line: string) {
        rawLogs.push(line);
        const entry = JSON.parse(line) as LogEntry;
        logEntries.push(entry);
        logs.push(entry.msg);
      },
    },
  });
  const configuredStore = env.SQLITE_PATH !== undefined || env.REDIS_URL !== undefined;
  let stores = options.stores ?? (configuredStore ? undefined : createMemoryStores(options.now));
  if (stores && options.sessionStore) stores = { ...stores, sessions: options.sessionStore };
  const running = await startServer(config, resolveProviderPlan(config), { log, sandboxOptions: options.sandbox, now: options.now, stores, networkUrls: options.networkUrls });
  const close = async () => {
    await running.close();
    // Stores the test app made for itself go with it; explicit ones are the caller's to close.
    if (stores && !options.stores) await stores.close();
  };
  return { ...running, close, logs, logEntries, rawLogs, browser: () => supertest.agent(running.url) };
}

/** The path and query of an absolute or relative URL, for supertest agents bound to a host. */
export function pathOf(url: string): string {
  const parsed = new URL(url, 'http://placeholder');
  return parsed.pathname + parsed.search;
}

// Forms are read with an HTML parser (see html.ts); re-exported for the specs that import them from here.
export { csrfFrom, formFor, smsFormTokens } from './html.js';

/**
 * Goes through the sandbox's consent page the way a person would: opens the page the app
 * redirected to, picks the sandbox `account` if one is named (its radio button when the page
 * offers it, else typed into the name field; otherwise the page's own choice stays: this
 * browser's last account, or a fresh name of its own), and presses Authorize or Deny. Returns
 * where the provider sends the browser.
 */
export async function decideOnConsentPage(browser: supertest.Agent, authorizeUrl: string, choice: 'Authorize' | 'Deny', account?: string): Promise<string> {
  return (await consentDecision(browser, authorizeUrl, choice, account)).location;
}

/** `decideOnConsentPage`, and the sandbox account the form was sent with (named, or as the page offered it). */
export async function consentDecision(browser: supertest.Agent, authorizeUrl: string, choice: 'Authorize' | 'Deny', account?: string): Promise<{ location: string; account: string }> {
  const page = await browser.get(pathOf(authorizeUrl));
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const { action, fields } = formFor(page.text, new RegExp(`^${choice}`, 'i'));
  if (account !== undefined) {
    const offered = pageOf(page.text).querySelectorAll('input[type="radio"][name="account"]').some((radio) => radio.getAttribute('value') === account);
    if (offered) fields.account = account;
    else fields.account_name = account;
  }
  const target = new URL(action || authorizeUrl, authorizeUrl);
  const answer = await browser.post(pathOf(target.toString())).type('form').send(fields);
  if (answer.status !== 302 && answer.status !== 303) throw new Error(`consent answer was ${answer.status}`);
  // The radio button "an account of your own" has the empty value: its name is in the field.
  return { location: answer.headers.location as string, account: account ?? (fields.account || fields.account_name || '') };
}

/**
 * Runs the whole login in one browser and returns it connected, to the sandbox `account` if
 * named (another account is another Nexmo account to the app: its own history).
 */
export async function connect(app: TestApp, browser = app.browser(), account?: string): Promise<supertest.Agent> {
  const login = await browser.get('/auth/login');
  if (login.status !== 302) throw new Error(`login answered ${login.status}`);
  const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize', account);
  const done = await browser.get(pathOf(callback));
  if (done.status !== 302 || done.headers.location !== '/?notice=connected') throw new Error(`callback answered ${done.status}`);
  return browser;
}

/**
 * `connect`, and the session cookie ("nexmo.sid=…") the callback sent, for requests made outside
 * the browser (the cookie is sent again only when the session changes or its expiry moves).
 */
export async function connectWithCookie(app: TestApp, browser = app.browser()): Promise<{ browser: supertest.Agent; cookie: string }> {
  const login = await browser.get('/auth/login');
  if (login.status !== 302) throw new Error(`login answered ${login.status}`);
  const callback = await decideOnConsentPage(browser, login.headers.location as string, 'Authorize');
  const done = await browser.get(pathOf(callback));
  if (done.status !== 302 || done.headers.location !== '/?notice=connected') throw new Error(`callback answered ${done.status}`);
  const sent = ([] as string[]).concat((done.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
  const cookie = sent.map((c) => c.split(';')[0]!).find((pair) => pair.startsWith('nexmo.sid='));
  if (!cookie) throw new Error('the callback sent no session cookie');
  return { browser, cookie };
}

/**
 * Logs in through `app` against a provider of its own (not the mounted sandbox) and returns the
 * session cookie, which any instance on the same store reads.
 */
export async function logInThroughProvider(app: TestApp, providerBaseUrl: string): Promise<string> {
  const browser = app.browser();
  const login = await browser.get('/auth/login');
  const providerBrowser = supertest.agent(providerBaseUrl);
  const consent = await providerBrowser.get(pathOf(login.headers.location as string));
  const { action, fields } = formFor(consent.text, /^Authorize/);
  const decided = await providerBrowser.post(pathOf(new URL(action, providerBaseUrl).toString())).type('form').send(fields);
  const done = await browser.get(pathOf(decided.headers.location as string));
  if (done.headers.location !== '/?notice=connected') throw new Error(`callback answered ${done.status} ${String(done.headers.location)}`);
  const cookie = (done.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error('the callback set no session cookie');
  return cookie.split(';')[0]!;
}

/** The account key of the app's one connection, read from its session store (the test's own). */
export async function onlyAccount(app: TestApp): Promise<string> {
  const sessions = await new Promise<Record<string, { connection?: { account: string } }>>((resolve, reject) =>
    app.stores.sessions.all!((err, all) => (err ? reject(err) : resolve((all ?? {}) as Record<string, { connection?: { account: string } }>))),
  );
  const accounts = Object.values(sessions).flatMap((s) => (s.connection ? [s.connection.account] : []));
  expect(accounts).toHaveLength(1);
  return accounts[0]!;
}
