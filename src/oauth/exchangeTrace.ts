// What one signed exchange with the provider looked like, for the "How it works" page: the
// method and URL, every oauth_* parameter, the signature base string, the Authorization header,
// the reply's status and fields, and the time taken. Recorded where the request is signed, and
// masked there: tokens keep their first characters and length, secrets and signatures never
// appear at all. Nothing here is ever logged.

import { replaceEveryForm } from '../lib/percentEncoding.js';
import type { SigningCapture } from './oauthPackage.js';

export interface ProtocolExchange {
  method: string;
  url: string;
  /** In the order they were signed, masked. */
  oauthParams: Array<[string, string]>;
  baseString: string;
  authorization: string;
  /** undefined when no answer came (timeout, network). */
  status: number | undefined;
  /** Token endpoints: the reply's fields, masked. */
  replyFields: Array<[string, string]>;
  /** API calls: the start of the reply body. */
  replyExcerpt: string | undefined;
  ms: number;
  at: number;
}

export const HIDDEN = '[not shown]';

/** `abcd… (32 characters)`: enough to recognise a token across steps, not enough to use it. */
export function maskToken(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} characters)`;
}

export interface Sensitive {
  /** Shown masked wherever they appear (raw, percent-encoded, or encoded twice as in a base string). */
  tokens: string[];
  /** Never shown in any form. */
  secrets: string[];
}

/** Replaces every appearance of the sensitive values in `text`. */
export function scrub(text: string, sensitive: Sensitive): string {
  return replaceEveryForm(text, [
    ...sensitive.secrets.map((value) => [value, HIDDEN] as const),
    ...sensitive.tokens.map((value) => [value, maskToken(value)] as const),
  ]);
}

/** Masks a captured signing: token values masked, the signature itself never shown. */
export function maskedSigning(capture: SigningCapture, sensitive: Sensitive): Pick<ProtocolExchange, 'oauthParams' | 'baseString' | 'authorization'> {
  const oauthParams = capture.params
    .filter(([name]) => name.startsWith('oauth_'))
    .map(([name, value]): [string, string] => [name, name === 'oauth_signature' ? HIDDEN : scrub(value, sensitive)]);
  const signature = capture.params.find(([name]) => name === 'oauth_signature')?.[1] ?? '';
  const authorization = capture.authorization.replace(/oauth_signature="[^"]*"/, `oauth_signature="${HIDDEN}"`);
  return {
    oauthParams,
    baseString: scrub(capture.baseString, { ...sensitive, secrets: [...sensitive.secrets, signature] }),
    authorization: scrub(authorization, sensitive),
  };
}

/** The fields of a token reply, as the page may show them. */
export function tokenReplyFields(token: unknown, results: Record<string, unknown> = {}): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  if (typeof token === 'string') fields.push(['oauth_token', maskToken(token)], ['oauth_token_secret', HIDDEN]);
  for (const [name, value] of Object.entries(results)) fields.push([name, String(value)]);
  return fields;
}
