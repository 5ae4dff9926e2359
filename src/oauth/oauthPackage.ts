// Watches the `oauth` package sign a request, so the "How it works" page can show what was
// really sent (src/oauth/exchangeTrace.ts masks it). The package signs synchronously when a call
// starts, so a capture set around that call sees exactly that request's signing.

import type { OAuthClient } from './consumer.js';
import { HIDDEN, maskToken, maskedSigning, scrub, type ProtocolExchange, type Sensitive, type SigningCapture } from './exchangeTrace.js';

/** The package's signing steps we watch; its typings mark them protected. */
interface SigningHooks {
  _prepareParameters(token: string | null, tokenSecret: string | null, method: string, url: string, extra: unknown): Array<[string, string]>;
  _createSignatureBase(method: string, url: string, parameters: string): string;
  _buildAuthorizationHeaders(ordered: Array<[string, string]>): string;
}

const capturing = new WeakMap<OAuthClient, SigningCapture>();

/** Lets withSigningCapture see what the package signs: its parameters, the base string and the Authorization header. */
export function watchSigning(client: OAuthClient): void {
  const hooks = client as unknown as SigningHooks;
  const prepare = hooks._prepareParameters.bind(client);
  const base = hooks._createSignatureBase.bind(client);
  const header = hooks._buildAuthorizationHeaders.bind(client);
  hooks._prepareParameters = (...args) => {
    const ordered = prepare(...args);
    const capture = capturing.get(client);
    if (capture) capture.params = ordered.map(([name, value]) => [String(name), String(value)]);
    return ordered;
  };
  hooks._createSignatureBase = (...args) => {
    const text = base(...args);
    const capture = capturing.get(client);
    if (capture) capture.baseString = text;
    return text;
  };
  hooks._buildAuthorizationHeaders = (ordered) => {
    const text = header(ordered);
    const capture = capturing.get(client);
    if (capture) capture.authorization = text;
    return text;
  };
}

/** Runs `start` (which must begin a signed call synchronously) and returns what was signed. */
function withSigningCapture(client: OAuthClient, start: () => void): SigningCapture {
  const capture: SigningCapture = { params: [], baseString: '', authorization: '' };
  capturing.set(client, capture);
  try {
    start();
  } finally {
    capturing.delete(client);
  }
  return capture;
}

/** Where a traced call reports its exchange, and what to mask in it. */
export interface Observer {
  client: OAuthClient;
  method: string;
  url: string;
  sensitive: Sensitive;
  onExchange: ((exchange: ProtocolExchange) => void) | undefined;
}

/**
 * Starts a call, and when it was asked for, reports the exchange once the answer (or the
 * failure) is in. `finish` turns the callback's arguments into the reply part of the exchange.
 */
export function observed<Cb extends (...args: never[]) => void>(
  observer: Observer,
  start: (cb: Cb) => void,
  cb: Cb,
  reply: (...args: Parameters<Cb>) => Pick<ProtocolExchange, 'status' | 'replyFields' | 'replyExcerpt'>,
): void {
  const { onExchange } = observer;
  if (!onExchange) return start(cb);
  const at = Date.now();
  const started = process.hrtime.bigint();
  let signing: SigningCapture | undefined;
  const wrapped = ((...args: Parameters<Cb>) => {
    try {
      onExchange({
        method: observer.method,
        url: scrub(observer.url, observer.sensitive),
        ...maskedSigning(signing ?? { params: [], baseString: '', authorization: '' }, observer.sensitive),
        ...reply(...args),
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        at,
      });
    } finally {
      cb(...args);
    }
  }) as Cb;
  signing = withSigningCapture(observer.client, () => start(wrapped));
}

/** The fields of a token reply, as the page may show them. */
export function tokenReplyFields(token: unknown, results: Record<string, unknown> = {}): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  if (typeof token === 'string') fields.push(['oauth_token', maskToken(token)], ['oauth_token_secret', HIDDEN]);
  for (const [name, value] of Object.entries(results)) fields.push([name, String(value)]);
  return fields;
}

export function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

