/**
 * The one way specs log a browser in, whatever stands in for the provider: the whole app's
 * mounted sandbox (its consent page), a provider on another origin (its own consent page), a
 * scripted provider with no pages, or the route harness's fake consumer. Each app says how its
 * provider approves a login (`approve`); `connect` runs the rest as a browser does.
 */
import supertest from 'supertest';

import { SESSION_COOKIE } from '../../src/http/session.js';
import { formFor, pageOf } from './html.js';

/**
 * The provider's side of a login: from the authorize URL the app sent the browser to, to the
 * callback URL the provider sends it back to (approved as `account`, when one is named).
 */
export type Approve = (browser: supertest.Agent, authorizeUrl: string, account?: string) => Promise<string>;

/** An app a browser can log in to: the whole app (testApp.ts) or the route harness (routeApp.ts). */
export interface LoginTarget {
  /** A browser-like client: keeps cookies, does not follow redirects. */
  browser(): supertest.Agent;
  /** How this app's provider approves a login. */
  approve: Approve;
}

/** A browser that completed a login, and the session cookie ("nexmo.sid=…") the callback set. */
export type ConnectedBrowser = supertest.Agent & {
  /** For requests made outside the browser (another instance, a raw request): the cookie is sent again only when the session changes. */
  sessionCookie: string;
};

export interface ConnectOptions {
  /** The browser to log in (a new one by default): logging in again keeps its other cookies. */
  browser?: supertest.Agent;
  /** The provider account to approve as; by default the provider's own choice. */
  account?: string;
  /** The provider's side, when it is not the app's own (`straightBack` for a provider without pages). */
  approve?: Approve;
}

/**
 * Runs the whole login in one browser: /auth/login, the provider's approval, the callback. Fails
 * unless the app answers as a completed login does (302 to /?notice=connected, a session cookie).
 */
export async function connect(app: LoginTarget, options: ConnectOptions = {}): Promise<ConnectedBrowser> {
  const browser = options.browser ?? app.browser();
  const login = await browser.get('/auth/login');
  if (login.status !== 302) throw new Error(`login answered ${login.status}`);
  const callback = await (options.approve ?? app.approve)(browser, login.headers.location as string, options.account);
  const done = await browser.get(pathOf(callback));
  if (done.status !== 302 || done.headers.location !== '/?notice=connected') throw new Error(`callback answered ${done.status} ${String(done.headers.location)}`);
  const sent = ([] as string[]).concat((done.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
  const sessionCookie = sent.map((c) => c.split(';')[0]!).find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
  if (!sessionCookie) throw new Error('the callback set no session cookie');
  return Object.assign(browser, { sessionCookie });
}

/** A provider with no pages (a scripted one): it sends the browser straight back with the request token and `verifier`. */
export function straightBack(verifier = 'verifier-1'): Approve {
  return async (_browser, authorizeUrl) => {
    const token = new URL(authorizeUrl).searchParams.get('oauth_token') ?? '';
    return `/auth/callback?${new URLSearchParams({ oauth_token: token, oauth_verifier: verifier })}`;
  };
}

/** The path and query of an absolute or relative URL, for supertest agents bound to a host. */
export function pathOf(url: string): string {
  const parsed = new URL(url, 'http://placeholder');
  return parsed.pathname + parsed.search;
}

/**
 * Goes through a consent page the way a person would: opens the page the app redirected to,
 * picks the provider `account` if one is named (its radio button when the page offers it, else
 * typed into the name field; otherwise the page's own choice stays: this browser's last account,
 * or a fresh name of its own), and presses Authorize or Deny. Returns where the provider sends
 * the browser.
 */
export async function decideOnConsentPage(browser: supertest.Agent, authorizeUrl: string, choice: 'Authorize' | 'Deny', account?: string): Promise<string> {
  return (await consentDecision(browser, authorizeUrl, choice, account)).location;
}

/** `decideOnConsentPage`, and the account the form was sent with (named, or as the page offered it). */
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
 * A provider with consent pages (the sandbox, mounted or standalone): Authorize on its page. The
 * mounted sandbox's page is at the app's own address, so the same browser opens it; a provider
 * on another origin is opened in a browser of that origin's own.
 */
export function onConsentPage(mounted: boolean): Approve {
  return (browser, authorizeUrl, account) => decideOnConsentPage(mounted ? browser : supertest.agent(new URL(authorizeUrl).origin), authorizeUrl, 'Authorize', account);
}
