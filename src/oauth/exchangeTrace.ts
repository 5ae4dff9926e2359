// What one signed exchange with the provider looked like, for the "How it works" page: the
// method and URL, every oauth_* parameter, the signature base string, the Authorization header,
// the reply's status and fields, and the time taken. Recorded where the request is signed, and
// masked there (logging/redaction.ts): tokens keep their first characters and length, secrets and
// signatures never appear at all. Nothing here is ever logged.

import { HIDDEN, maskToken, sensitiveMasker, type Sensitive } from '../logging/redaction.js';

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

/** What the signer produced for one request, captured while it signs (oauthPackage.ts); unmasked. */
export interface SigningCapture {
  params: Array<[string, string]>;
  baseString: string;
  authorization: string;
}

/**
 * What masks one exchange's texts: the known tokens and secrets, and the signature itself, which
 * is never shown.
 */
export function exchangeMasker(capture: SigningCapture, sensitive: Sensitive): (text: string) => string {
  const signature = capture.params.find(([name]) => name === 'oauth_signature')?.[1] ?? '';
  return sensitiveMasker({ ...sensitive, secrets: [...sensitive.secrets, signature] });
}

/** Masks a captured signing with exchangeMasker's `mask`: token values masked, the signature hidden. */
export function maskedSigning(capture: SigningCapture, mask: (text: string) => string): Pick<ProtocolExchange, 'oauthParams' | 'baseString' | 'authorization'> {
  const oauthParams = capture.params
    .filter(([name]) => name.startsWith('oauth_'))
    .map(([name, value]): [string, string] => [name, name === 'oauth_signature' ? HIDDEN : mask(value)]);
  const authorization = capture.authorization.replace(/oauth_signature="[^"]*"/, `oauth_signature="${HIDDEN}"`);
  return { oauthParams, baseString: mask(capture.baseString), authorization: mask(authorization) };
}

/** The fields of a token reply, as the page may show them. */
export function tokenReplyFields(token: unknown, results: Record<string, unknown> = {}): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  if (typeof token === 'string') fields.push(['oauth_token', maskToken(token)], ['oauth_token_secret', HIDDEN]);
  for (const [name, value] of Object.entries(results)) fields.push([name, String(value)]);
  return fields;
}
