// What a person is told about a login that did not end connected: each ending of the login flow
// (oauth/loginFlow.ts) in words, with the status it is answered with and the way on.

import type { LoginRefusal } from '../oauth/loginFlow.js';
import type { PageWords } from './pageWords.js';

/** A page's words and the HTTP status it is answered with. */
export interface LoginPage {
  status: number;
  words: PageWords;
}

const START_AGAIN = { href: '/auth/login', label: 'Connect with Nexmo again' };

const page = (status: number, title: string, message: string, action = START_AGAIN): LoginPage => ({ status, words: { title, message, action } });

export const UNKNOWN_AUTH_PAGE = page(400, 'Unknown sign-in page', 'The page parameter must be "authorize" or "authenticate".');

export const CANCELLED: PageWords = {
  title: 'You cancelled the connection',
  message: 'Nothing was connected and the app holds no access to your Nexmo account.',
  action: { href: '/', label: 'Back to the start' },
};

export const INVALID_CALLBACK = page(403, 'This sign-in link is not valid', 'The link did not say which sign-in it belongs to. Start again from this app.');

/** No session at all: not a forged link so much as a browser that lost track (another address, blocked cookies). */
export const NO_SIGN_IN_IN_PROGRESS = page(
  403,
  'This browser has no sign-in in progress',
  'Nexmo sent you back, but this browser holds no session for the app at this address. That happens when the app was opened at one address and the sign-in came back to another, or when the browser blocks cookies for it. Open the app at the address you mean to use, allow its cookie, and connect again.',
);

export function loginRefusedPage(reason: LoginRefusal): LoginPage {
  switch (reason) {
    case 'unknown':
      return page(403, 'This sign-in was not started here', 'This browser did not start that sign-in, or it was already used. Start again from this app.');
    case 'expired':
      return page(403, 'This sign-in has expired', 'Sign-ins must be completed within 10 minutes. Start again.');
    case 'no-verifier':
      return page(400, 'Nexmo did not confirm the sign-in', 'The answer from Nexmo had no verification code, so nothing was connected. Start again.');
  }
}

/** The provider gave no usable answer (no answer in time, no connection, a redirect). */
export function providerUnreachablePage(timedOut: boolean): LoginPage {
  const message = timedOut
    ? 'Nexmo did not answer in time, so nothing was connected. Try again in a moment.'
    : 'The app could not talk to Nexmo, so nothing was connected. Try again in a moment.';
  return page(502, "Couldn't connect to Nexmo", message);
}

/** The way on from every failed login page. */
export const CONNECT_AGAIN = START_AGAIN;
