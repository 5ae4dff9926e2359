// The words of the app's generic failure pages: what happened, that nothing was done, and the
// way on. Each failure with more to say has its own words beside the code that meets it.
import type { PageWords } from './pageWords.js';

const TO_THE_START = { href: '/', label: 'Go to the start' };

export const PAGE_NOT_FOUND: PageWords = { title: 'Page not found', message: 'There is nothing at this address.', action: TO_THE_START };

export const STORE_UNAVAILABLE: PageWords = {
  title: 'The app can’t reach its storage',
  message: 'Nothing was changed. The app will recover by itself as soon as its storage answers again; try again in a few seconds.',
  action: { href: '/', label: 'Try the start page' },
};

export const UNREADABLE_REQUEST: PageWords = {
  title: 'That request could not be read',
  message: 'The form or address was not in a shape the app understands. Go back and try again.',
  action: TO_THE_START,
};

export const SOMETHING_WENT_WRONG: PageWords = {
  title: 'Something went wrong',
  message: 'The app hit an unexpected problem and nothing was changed. Try again in a moment.',
  action: TO_THE_START,
};

/** A form whose synchronizer token is missing or not this session's. */
export const FORM_EXPIRED: PageWords = {
  title: 'This form has expired',
  message: 'The page you sent it from was out of date or did not come from this app, so nothing was done. Reload the page and try again.',
};

/** A state-changing request a browser says came from another site. */
export const FROM_ANOTHER_SITE: PageWords = {
  title: 'This request came from another site',
  message: 'The app only accepts forms sent from its own pages, so nothing was done. If you meant to do this, open the app and do it from there.',
  action: TO_THE_START,
};

/** An SMS form whose one-time send key this session was not given: nothing is sent. */
export const SMS_FORM_EXPIRED: PageWords = {
  title: 'This form has expired',
  message: 'The page you sent it from was out of date or did not come from this app, so nothing was sent. Reload the page and try again.',
  action: { href: '/sms', label: 'Open a new form' },
};

export const MESSAGE_NOT_FOUND: PageWords = {
  title: 'Message not found',
  message: 'There is no sent message at this address for your connection.',
  action: { href: '/messages', label: 'See your messages' },
};

export const NO_SUCH_HISTORY_PAGE: PageWords = {
  title: 'No such page',
  message: 'The page number in the address is not one the app understands.',
  action: { href: '/messages', label: 'See your latest messages' },
};

export function unreadableStatusRequest(maxIds: number): PageWords {
  return { title: 'Unreadable status request', message: `Ask for between 1 and ${maxIds} message ids, separated by commas.` };
}

/** The live To preview's answers to a request it cannot take. */
export const PREVIEW_NOT_CONNECTED = 'Connect with Nexmo first to send SMS.';
export const PREVIEW_ONE_NUMBER = 'Ask about one number: /sms/preview?to=…';
export function previewTooLong(maxLength: number): string {
  return `A phone number has at most ${maxLength} characters here.`;
}
