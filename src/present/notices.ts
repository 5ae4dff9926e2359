// Short notices a redirect asks the next page to show, by key (`?notice=…`): never text taken
// from the address, so a link cannot make the app say anything else. Each is shown only while
// the visitor is (or is not) connected, so an old link never contradicts the page.

import { accountName } from './accountName.js';

export interface Notice {
  kind: 'info' | 'success' | 'warning' | 'error';
  text: string;
}

interface NoticeRule {
  kind: Notice['kind'];
  when: 'connected' | 'disconnected';
  /** The words, given the connected account's name when there is one. */
  text: (account: string | undefined) => string;
}

const NOTICES: Readonly<Record<string, NoticeRule>> = {
  connected: { kind: 'success', when: 'connected', text: (name) => `Connected${name ? ` as ${name}` : ''}. You can send SMS now.` },
  switched: {
    kind: 'info',
    when: 'connected',
    text: (name) =>
      `You are now connected as ${name ?? 'another account'}, in place of the account this browser was connected to before. Forms still open in other tabs will say so instead of sending.`,
  },
  'already-connected': { kind: 'info', when: 'connected', text: () => 'You’re connected: that sign-in was already completed in this browser, so nothing needed doing.' },
  disconnected: { kind: 'info', when: 'disconnected', text: () => 'Disconnected. The app no longer holds your Nexmo tokens.' },
  'connect-first': { kind: 'info', when: 'disconnected', text: () => 'Connect with Nexmo first to send SMS.' },
  'session-expired': {
    kind: 'info',
    when: 'disconnected',
    text: () => 'Your connection reached its time limit, so the app forgot your Nexmo tokens. Connect again to continue.',
  },
  // The lab's break-it buttons (routes/labBreaks.ts): what was just armed, and what to do next.
  'break-signature': {
    kind: 'info',
    when: 'connected',
    text: (name) =>
      `Armed for ${name ?? 'your account'}: the sandbox will refuse the next signed call (a send, a balance read) as if its signature did not match. Send a message to see what the app says; the call after it goes through.`,
  },
  'break-nonce': {
    kind: 'info',
    when: 'connected',
    text: (name) =>
      `Armed for ${name ?? 'your account'}: the sandbox will refuse the next signed call as a replay, as if its nonce had been used before. Open the SMS form or send a message to see what the app says; the call after it goes through.`,
  },
  'break-token': {
    kind: 'warning',
    when: 'connected',
    text: (name) => `The sandbox revoked this app’s access to ${name ?? 'your account'}: the next call the app makes is refused, and the app will ask you to connect again.`,
  },
  'break-cancelled': { kind: 'info', when: 'connected', text: () => 'Nothing is armed any more: the next signed call goes through.' },
  'token-revoked': {
    kind: 'warning',
    when: 'disconnected',
    text: () => 'Nexmo no longer accepts this connection (it may have been revoked or expired), so the app disconnected you. Connect again to continue.',
  },
};

/** The notice `key` names, if it is one and fits whether the visitor is connected. */
export function noticeFor(key: unknown, connection: { extra: Readonly<Record<string, string>> } | undefined): Notice | undefined {
  if (typeof key !== 'string' || !Object.hasOwn(NOTICES, key)) return undefined;
  const rule = NOTICES[key] as NoticeRule;
  if (rule.when !== (connection ? 'connected' : 'disconnected')) return undefined;
  return { kind: rule.kind, text: rule.text(connection && accountName(connection.extra)) };
}
