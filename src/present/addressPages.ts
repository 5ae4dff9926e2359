// Words for the start-up log and the page about addresses: a loopback PUBLIC_URL in a room, and
// a Host the app does not answer to.
import { hostNameOf, isLoopbackHostName } from '../lib/hostNames.js';
import type { PageWords } from './pageWords.js';

export const UNTRUSTED_ADDRESS: PageWords = {
  title: 'This address is not one the app answers to',
  message:
    'The app only answers at addresses it knows, so that nobody can send your sign-in elsewhere. Whoever runs it can list this address in ALLOWED_HOSTS, or set PUBLIC_URL to the one address people should use.',
};

/**
 * Said at start when PUBLIC_URL names this machine only (a loopback name) while it has network
 * addresses: teammates' logins still work (the app follows the address they use), but what is
 * written from PUBLIC_URL (Nexmo's delivery receipt URL) points at a machine only this one reaches.
 */
export function loopbackPublicUrlWarning(publicUrl: string | undefined, network: readonly string[]): string | undefined {
  if (publicUrl === undefined || network.length === 0) return undefined;
  const url = new URL(publicUrl);
  if (!isLoopbackHostName(hostNameOf(url.host) ?? '')) return undefined;
  const example = new URL(network[0] as string);
  example.port = url.port;
  return (
    `PUBLIC_URL is ${url.origin}, a name only this machine can open. Teammates can still use a Network address below (logins follow the address they start at), ` +
    `but delivery receipts and links written from PUBLIC_URL point at this machine alone. For a room, leave PUBLIC_URL unset, or set it to a Network address, e.g. PUBLIC_URL=${example.origin}`
  );
}
