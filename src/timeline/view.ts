// A recorded exchange as the "How it works" page shows it, derived when the page is read: the
// oauth_* parameters with the signature hidden, the signature base string (RFC 5849 §3.4.1) and
// the Authorization header rebuilt from the parameters that were signed, and any secret the app
// knows masked once more on the way out. Tokens were recorded as their masks already, so the
// base string shows them masked too: it is the base string of the request with those values.

import { percentEncode } from '../lib/percentEncoding.js';
import { HIDDEN, MASKED_VALUE, sensitiveMasker } from '../logging/redaction.js';
import type { ExchangeFacts } from './facts.js';

export interface ExchangeView {
  method: string;
  url: string;
  /** In the order they were signed; the signature hidden. */
  oauthParams: Array<[string, string]>;
  baseString: string;
  /** The base string's three parts, for a reader who wants each labelled. */
  baseStringParts: { method: string; baseUri: string; parameters: string };
  authorization: string;
  status: number | undefined;
  statusText: string;
  replyFields: Array<[string, string]>;
  replyExcerpt: string | undefined;
  replyHeaders: Array<[string, string]>;
  /** The request as sent: its line, every header, a blank line, the body (masked). */
  rawRequest: string;
  /** The reply as received: status line, every header, the body as kept (masked); undefined when none came. */
  rawReply: string | undefined;
  /** The request again as a curl command: the same line, headers and body (masked). */
  curl: string;
  /** Which token's secret keys the signature: none for the request token, the request token's for the exchange, the access token's for API calls. */
  signingKey: string;
  ms: number;
  at: number;
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 200: 'OK', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

/** A value inside single quotes for a POSIX shell: every ' closed, escaped and reopened. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** RFC 5849 §3.4.1.2: scheme and host in lower case, the default port left out, no query or fragment. */
export function baseUriOf(url: string): string {
  const parsed = new URL(url);
  const scheme = parsed.protocol.toLowerCase();
  const defaultPort = (scheme === 'http:' && parsed.port === '80') || (scheme === 'https:' && parsed.port === '443');
  const port = parsed.port === '' || defaultPort ? '' : `:${parsed.port}`;
  return `${scheme}//${parsed.hostname.toLowerCase()}${port}${parsed.pathname}`;
}

/** RFC 5849 §3.4.1.3.2: every parameter encoded, sorted by name then value, joined. */
export function normalizedParameters(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** The signature base string of a request with these signed parameters (the signature excluded). */
export function signatureBaseString(method: string, url: string, params: ReadonlyArray<readonly [string, string]>): string {
  return baseStringOf(method, baseUriOf(url), normalizedParameters(params));
}

/** RFC 5849 §3.4.1.1: the method, the base URI and the normalized parameters, each encoded, joined with &. */
function baseStringOf(method: string, baseUri: string, parameters: string): string {
  return `${method.toUpperCase()}&${percentEncode(baseUri)}&${percentEncode(parameters)}`;
}

/**
 * What was masked (a token's mask, a hidden secret) is shown as it is wherever the real value
 * stood, not percent-encoded once or twice as the real value would be: each is swapped for a
 * marker of unreserved characters, which encoding leaves alone, and swapped back afterwards.
 */

function shielded(): { shield(value: string): string; unshield(text: string): string } {
  const masks: string[] = [];
  return {
    shield: (value) => value.replace(MASKED_VALUE, (masked) => `MASKED${masks.push(masked) - 1}MASKED`),
    unshield: (text) => text.replace(/MASKED(\d+)MASKED/g, (marker, index: string) => masks[Number(index)] ?? marker),
  };
}

/** `secrets`: the app's own secrets (consumer secret, receipt key), masked wherever they still appear. */
export function exchangeView(facts: ExchangeFacts, secrets: readonly string[]): ExchangeView {
  const mask = sensitiveMasker({ tokens: [], secrets });
  const { shield, unshield } = shielded();
  const params = facts.params.map(([name, value]): [string, string] => [name, mask(value)]);
  const oauthParams: Array<[string, string]> = [...params.filter(([name]) => name.startsWith('oauth_')), ['oauth_signature', HIDDEN]];
  const url = mask(facts.url);
  const parameters = normalizedParameters(params.map(([name, value]) => [name, shield(value)]));
  const baseUri = baseUriOf(url);
  // As the signer writes it: every oauth_* parameter, encoded, quoted, comma-separated.
  const authorization = `OAuth ${oauthParams.map(([name, value]) => `${percentEncode(name)}="${percentEncode(shield(value))}"`).join(',')}`;
  return {
    method: facts.method,
    url,
    oauthParams,
    baseString: unshield(baseStringOf(facts.method, baseUri, parameters)),
    baseStringParts: { method: facts.method.toUpperCase(), baseUri, parameters: unshield(parameters) },
    authorization: unshield(authorization),
    status: facts.status,
    statusText: facts.status === undefined ? 'no answer' : `HTTP ${facts.status}`,
    replyFields: facts.replyFields.map(([name, value]): [string, string] => [name, mask(value)]),
    replyExcerpt: facts.replyExcerpt === undefined ? undefined : mask(facts.replyExcerpt),
    replyHeaders: facts.replyHeaders.map(([name, value]): [string, string] => [name, mask(value)]),
    ...raw(facts, url, mask, authorization, unshield),
    signingKey: signingKeyOf(params),
    ms: facts.ms,
    at: facts.at,
  };
}

/** Which secrets key the signature: named, never filled in. */
function signingKeyOf(params: ReadonlyArray<readonly [string, string]>): string {
  const names = new Set(params.map(([name]) => name));
  if (!names.has('oauth_token')) return 'consumer_secret&';
  return names.has('oauth_verifier') ? 'consumer_secret&request_token_secret' : 'consumer_secret&access_token_secret';
}

/** The request and reply as on the wire, and as a curl command. */
function raw(
  facts: ExchangeFacts,
  url: string,
  mask: (text: string) => string,
  authorization: string,
  unshield: (text: string) => string,
): Pick<ExchangeView, 'rawRequest' | 'rawReply' | 'curl'> {
  const target = new URL(url);
  const recorded = facts.request;
  const headers: Array<[string, string]> = recorded
    ? recorded.headers.map(([name, value]) => [name, mask(value)])
    : [['Host', target.host], ['Authorization', unshield(authorization)]];
  const body = recorded ? mask(recorded.body) : '';
  const path = recorded ? mask(recorded.path) : `${target.pathname}${target.search}`;
  const method = recorded?.method ?? facts.method;
  const rawRequest = [`${method} ${path} HTTP/1.1`, ...headers.map(([name, value]) => `${name}: ${value}`), '', body].join('\r\n');
  const replyBody = facts.replyExcerpt !== undefined ? mask(facts.replyExcerpt) : facts.replyFields.map(([name, value]) => `${name}=${mask(value)}`).join('&');
  const rawReply =
    facts.status === undefined
      ? undefined
      : [`HTTP/1.1 ${facts.status} ${STATUS_TEXT[facts.status] ?? ''}`.trimEnd(), ...facts.replyHeaders.map(([name, value]) => `${name}: ${mask(value)}`), '', replyBody].join('\r\n');
  // Host and Content-Length are curl's to write; the rest as the app sent them.
  const sent = headers.filter(([name]) => !/^(host|content-length)$/i.test(name));
  const curl = [
    `curl -X ${method} ${shellQuoted(`${target.protocol}//${target.host}${path}`)}`,
    ...sent.map(([name, value]) => `  -H ${shellQuoted(`${name}: ${value}`)}`),
    ...(body === '' ? [] : [`  --data-raw ${shellQuoted(body)}`]),
  ].join(' \\\n');
  return { rawRequest, rawReply, curl };
}
