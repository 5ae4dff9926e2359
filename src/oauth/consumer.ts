import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import oauth from 'oauth';
import {
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderProtocolError,
  ProviderRedirectError,
  ProviderTimeoutError,
} from './errors.js';
import { scrub, type ProtocolExchange, type Sensitive } from './exchangeTrace.js';
import { percentEncode, replaceEveryForm } from '../lib/percentEncoding.js';
import { observed, statusOf, tokenReplyFields, watchSigning, type Observer } from './oauthPackage.js';
import type { ConsumerOptions, OAuthConsumer, SignedResponse, TokenPair, TokenReply } from './types.js';

export { percentEncode };

const { OAuth } = oauth;
export type OAuthClient = InstanceType<typeof OAuth>;

/** Replaces the package's `Connection: close` defaults, so the keep-alive agents can reuse sockets. */
const HEADERS = { Accept: '*/*', 'User-Agent': 'nexmo-oauth-consumer/1.0' };

export interface ConsumerAgents {
  http: http.Agent;
  https: https.Agent;
}

/** The package's hooks we replace; its typings mark them protected. */
interface PackageHooks {
  _authorize_callback: string | null;
  _getNonce(size: number): string;
  _createClient(
    port: number | string,
    hostname: string,
    method: string,
    path: string,
    headers: http.OutgoingHttpHeaders,
    sslEnabled?: boolean,
  ): http.ClientRequest;
}

type TokenCallback = (err: unknown, token?: unknown, secret?: unknown, results?: Record<string, unknown>) => void;
type DataCallback = (err: unknown, data?: string | Buffer, response?: http.IncomingMessage) => void;

export function createAgents(): ConsumerAgents {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

/**
 * The `oauth` package's client with its traps disarmed: version "1.0", POST token calls, no
 * redirects, crypto nonces, keep-alive agents and a deadline on every request. Exported so the
 * signing tests exercise exactly the signer the consumer uses.
 */
export function createOAuthClient(options: ConsumerOptions, agents: ConsumerAgents = createAgents()): OAuthClient {
  const client = new OAuth(
    options.requestTokenUrl,
    options.accessTokenUrl,
    options.consumerKey,
    options.consumerSecret,
    '1.0',
    options.callbackUrl,
    options.signatureMethod ?? 'HMAC-SHA1',
    32,
    { ...HEADERS },
  );
  // Following a redirect would re-send the signed request to whatever host `Location` names.
  client.setClientOptions({ requestTokenHttpMethod: 'POST', accessTokenHttpMethod: 'POST', followRedirects: false });
  const hooks = client as unknown as PackageHooks;
  // The callback is given per call (getRequestToken): a fixed one would override it.
  hooks._authorize_callback = null;
  // 24 random bytes are exactly 32 base64url characters, all of them unreserved.
  hooks._getNonce = () => randomBytes(24).toString('base64url');
  watchSigning(client);
  hooks._createClient = (port, hostname, method, path, headers, sslEnabled) => {
    const request = sslEnabled
      ? https.request({ host: hostname, port, path, method, headers, agent: agents.https })
      : http.request({ host: hostname, port, path, method, headers, agent: agents.http });
    armRequest(request, options.timeoutMs);
    return request;
  };
  return client;
}

/**
 * Adds what the package lacks. A deadline for the whole exchange (not an idle timer, so a
 * provider trickling bytes cannot hold the user's request open); destroying the request makes
 * the package report the error through its once-only callback. And a reply cut off mid-body,
 * which the package never reports (it waits for an 'end' that never comes), becomes an error.
 */
function armRequest(request: http.ClientRequest, timeoutMs: number): void {
  const timer = setTimeout(() => {
    request.destroy(new ProviderTimeoutError(`The provider did not answer within ${timeoutMs} ms`));
  }, timeoutMs);
  request.once('close', () => clearTimeout(timer));
  request.once('response', (response: http.IncomingMessage) => {
    response.once('close', () => {
      clearTimeout(timer);
      if (!response.complete) {
        request.emit('error', new ProviderNetworkError('The provider closed the connection mid-reply'));
      }
    });
  });
}

/** Masks known credentials (raw, encoded, and double-encoded as in an echoed base string). */
function redact(text: string, sensitive: readonly string[]): string {
  return replaceEveryForm(text, sensitive.map((value) => [value, '[hidden]'] as const));
}

function isHttpFailure(err: unknown): err is { statusCode: number; data?: unknown } {
  return typeof err === 'object' && err !== null && !(err instanceof Error) && typeof (err as { statusCode?: unknown }).statusCode === 'number';
}

/** The package's failures are plain objects or Node errors; the app only ever sees ProviderErrors. */
function toProviderError(err: unknown, what: string, sensitive: readonly string[]): ProviderError {
  if (err instanceof ProviderError) return err;
  if (isHttpFailure(err)) {
    const status = err.statusCode;
    if (status >= 300 && status < 400) {
      return new ProviderRedirectError(`${what}: the provider answered with a redirect (HTTP ${status}), which is not followed`, { status });
    }
    const body = typeof err.data === 'string' ? redact(err.data, sensitive) : '';
    return new ProviderHttpError(`${what}: the provider answered HTTP ${status}`, { status, body });
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new ProviderNetworkError(`${what}: the connection failed${typeof code === 'string' ? ` (${code})` : ''}`, { cause: err });
}

function readTokenReply(what: string, needsConfirmation: boolean, token: unknown, secret: unknown, results: Record<string, unknown> = {}): TokenReply {
  // A 1.0 provider omits the confirmation; accepting that would drop the callback binding silently.
  if (needsConfirmation && results.oauth_callback_confirmed !== 'true') {
    throw new ProviderProtocolError(`${what}: the reply lacks oauth_callback_confirmed=true`);
  }
  if (typeof token !== 'string' || token === '' || typeof secret !== 'string' || secret === '') {
    throw new ProviderProtocolError(`${what}: the reply lacks a usable oauth_token and oauth_token_secret`);
  }
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(results)) {
    if (key === 'oauth_callback_confirmed' || value === undefined) continue;
    extra[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return { token, secret, extra };
}

/** Hand-written: util.promisify would keep only the token and drop its secret. */
function tokenCall(what: string, start: (cb: TokenCallback) => void, sensitive: string[], needsConfirmation: boolean, observer?: Observer): Promise<TokenReply> {
  return new Promise((resolve, reject) => {
    const done: TokenCallback = (err, token, secret, results) => {
      if (err) reject(toProviderError(err, what, sensitive));
      else {
        try {
          resolve(readTokenReply(what, needsConfirmation, token, secret, results));
        } catch (protocolError) {
          reject(protocolError);
        }
      }
    };
    if (!observer) return start(done);
    observed(observer, start, done, (err, token, _secret, results) =>
      err ? { status: statusOf(err), replyFields: [], replyExcerpt: undefined } : { status: 200, replyFields: tokenReplyFields(token, results), replyExcerpt: undefined },
    );
  });
}

/** Any non-3xx reply is the caller's to interpret; only transport failures and redirects reject. */
function signedCall(what: string, start: (cb: DataCallback) => void, sensitive: string[], observer?: Observer): Promise<SignedResponse> {
  return new Promise((resolve, reject) => {
    const done: DataCallback = (err, data, response) => {
      const status = response?.statusCode;
      if (response && status !== undefined && (status < 300 || status >= 400)) {
        resolve({ status, headers: response.headers, body: String(data ?? '') });
      } else reject(toProviderError(err, what, sensitive));
    };
    if (!observer) return start(done);
    observed(observer, start, done, (err, data, response) => ({
      status: response?.statusCode ?? statusOf(err),
      replyFields: [],
      replyExcerpt: data === undefined ? undefined : scrub(String(data).slice(0, 400), observer.sensitive),
    }));
  });
}

/** The query's keys per URL: the app calls a handful of fixed URLs, parsed once each. */
const queryKeys = new Map<string, ReadonlySet<string>>();
const QUERY_KEYS_KEPT = 32;

function queryKeysOf(url: string): ReadonlySet<string> {
  let keys = queryKeys.get(url);
  if (keys === undefined) {
    keys = new Set(new URL(url).searchParams.keys());
    // Bounded whatever URLs come: past the few the app uses, start again.
    if (queryKeys.size >= QUERY_KEYS_KEPT) queryKeys.clear();
    queryKeys.set(url, keys);
  }
  return keys;
}

/**
 * One value per key, and no names the package would mishandle: it signs `oauth_*` keys but
 * drops them from the body, and it keeps parameters in a plain object.
 */
function checkParams(url: string, params: Record<string, string>): Record<string, string> {
  const taken = queryKeysOf(url);
  const fresh: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key.startsWith('oauth_') || key in Object.prototype || taken.has(key)) {
      throw new TypeError(`Parameter name not allowed in a signed request: ${key}`);
    }
    fresh[key] = value;
  }
  return fresh;
}

export function createOAuthConsumer(options: ConsumerOptions): OAuthConsumer {
  const agents = createAgents();
  const client = createOAuthClient(options, agents);
  const secret = options.consumerSecret;

  const observer = (method: string, url: string, sensitive: Sensitive, onExchange?: (exchange: ProtocolExchange) => void): Observer | undefined =>
    onExchange && { client, method, url, sensitive: { tokens: sensitive.tokens, secrets: [secret, ...sensitive.secrets] }, onExchange };

  return {
    getRequestToken: (callbackUrl = options.callbackUrl, onExchange) =>
      tokenCall(
        'Request token call',
        (cb) => client.getOAuthRequestToken({ oauth_callback: callbackUrl }, cb),
        [secret],
        true,
        observer('POST', options.requestTokenUrl, { tokens: [], secrets: [] }, onExchange),
      ),

    getAccessToken: (requestToken: TokenPair, verifier: string, onExchange) =>
      tokenCall(
        'Access token call',
        (cb) => client.getOAuthAccessToken(requestToken.token, requestToken.secret, verifier, cb),
        [secret, requestToken.token, requestToken.secret, verifier],
        false,
        observer('POST', options.accessTokenUrl, { tokens: [requestToken.token, verifier], secrets: [requestToken.secret] }, onExchange),
      ),

    signedGet: async (url: string, access: TokenPair, query: Record<string, string> = {}, onExchange, secrets = []) => {
      // The package signs query parameters by reading them back from the URL.
      const pairs = Object.entries(checkParams(url, query)).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`);
      const target = pairs.length === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}`;
      return signedCall(
        'Signed GET',
        (cb) => client.get(target, access.token, access.secret, cb),
        [secret, access.token, access.secret, ...secrets],
        observer('GET', target, { tokens: [access.token], secrets: [access.secret, ...secrets] }, onExchange),
      );
    },

    signedPost: async (url: string, access: TokenPair, form: Record<string, string>, onExchange, secrets = []) => {
      // A fresh object per call: the package deletes keys from the one it is given.
      const params = checkParams(url, form);
      return signedCall(
        'Signed POST',
        (cb) => client.post(url, access.token, access.secret, params, 'application/x-www-form-urlencoded', cb),
        [secret, access.token, access.secret, ...secrets],
        observer('POST', url, { tokens: [access.token], secrets: [access.secret, ...secrets] }, onExchange),
      );
    },

    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
