// The OAuth 1.0a rules the app keeps on top of the `oauth` package (oauthPackage.ts): the
// replies it accepts, the parameters it will sign, the errors it reports and, for every call,
// the masked record of what was sent and received.

import type { IncomingHttpHeaders } from 'node:http';

import {
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderProtocolError,
  ProviderRedirectError,
} from './errors.js';
import { exchangeMasker, maskedSigning, tokenReplyFields, type ProtocolExchange } from './exchangeTrace.js';
import { percentEncode } from '../lib/percentEncoding.js';
import { maskSensitive, type Sensitive } from '../logging/redaction.js';
import { createAgents, createOAuthClient, packageCalls, type DataResult, type PackageAnswer, type TokenResult } from './oauthPackage.js';
import { readProblem } from './problems.js';
import type { ConsumerOptions, OAuthConsumer, SignedCallResult, TokenCallResult, TokenReply } from './types.js';

function isHttpFailure(err: unknown): err is { statusCode: number; data?: unknown } {
  return typeof err === 'object' && err !== null && !(err instanceof Error) && typeof (err as { statusCode?: unknown }).statusCode === 'number';
}

/** The package's failures are plain objects or Node errors; the app only ever sees ProviderErrors. */
function toProviderError(err: unknown, what: string, sensitive: readonly string[], replyHeaders: IncomingHttpHeaders | undefined, now: () => number): ProviderError {
  if (err instanceof ProviderError) return err;
  if (isHttpFailure(err)) {
    const status = err.statusCode;
    if (status >= 300 && status < 400) {
      return new ProviderRedirectError(`${what}: the provider answered with a redirect (HTTP ${status}), which is not followed`, { status });
    }
    const body = typeof err.data === 'string' ? maskSensitive(err.data, { tokens: [], secrets: sensitive }) : '';
    const problem = readProblem({ headers: replyHeaders, body }, now);
    return new ProviderHttpError(`${what}: the provider answered HTTP ${status}${problem ? ` (${problem.code})` : ''}`, { status, body, problem });
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

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The call as the timeline shows it: what was signed, masked, and the reply part given. */
function exchangeOf(
  method: string,
  url: string,
  sensitive: Sensitive,
  answer: PackageAnswer<unknown>,
  reply: (mask: (text: string) => string) => Pick<ProtocolExchange, 'status' | 'replyFields' | 'replyExcerpt'>,
): ProtocolExchange {
  const mask = exchangeMasker(answer.signing, sensitive);
  return { method, url: mask(url), ...maskedSigning(answer.signing, mask), ...reply(mask), ms: answer.ms, at: answer.at };
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
  const calls = packageCalls(createOAuthClient(options, agents));
  const secret = options.consumerSecret;
  const now = options.now ?? Date.now;
  /** What the exchange masks: the consumer secret always, and what the call carries. */
  const masked = (tokens: string[], secrets: readonly string[]): Sensitive => ({ tokens, secrets: [secret, ...secrets] });

  async function tokenCall(what: string, url: string, sensitive: Sensitive, needsConfirmation: boolean, answer: Promise<PackageAnswer<TokenResult>>): Promise<TokenCallResult> {
    const done = await answer;
    const { err, result } = done;
    const exchange = exchangeOf('POST', url, sensitive, done, () => err
      ? { status: statusOf(err), replyFields: [], replyExcerpt: undefined }
      : { status: 200, replyFields: tokenReplyFields(result.token, result.fields), replyExcerpt: undefined });
    if (err) throw toProviderError(err, what, [...sensitive.secrets, ...sensitive.tokens], done.replyHeaders, now);
    return { reply: readTokenReply(what, needsConfirmation, result.token, result.secret, result.fields), exchange };
  }

  /** Any non-3xx reply is the caller's to interpret; only transport failures and redirects are failures. */
  async function signedCall(what: string, method: string, url: string, sensitive: Sensitive, answer: Promise<PackageAnswer<DataResult>>): Promise<SignedCallResult> {
    const done = await answer;
    const { err, result: { body, response } } = done;
    const status = response?.statusCode;
    const exchange = exchangeOf(method, url, sensitive, done, (mask) => ({
      status: status ?? statusOf(err),
      replyFields: [],
      replyExcerpt: body === undefined ? undefined : mask(body.slice(0, 400)),
    }));
    if (response && status !== undefined && (status < 300 || status >= 400)) {
      return { response: { status, headers: response.headers, body: body ?? '' }, exchange };
    }
    return { failure: toProviderError(err, what, [...sensitive.secrets, ...sensitive.tokens], done.replyHeaders, now), exchange };
  }

  return {
    getRequestToken: (callbackUrl = options.callbackUrl) =>
      tokenCall('Request token call', options.requestTokenUrl, masked([], []), true, calls.requestToken(callbackUrl)),

    getAccessToken: (requestToken, verifier) =>
      tokenCall(
        'Access token call',
        options.accessTokenUrl,
        masked([requestToken.token, verifier], [requestToken.secret]),
        false,
        calls.accessToken(requestToken.token, requestToken.secret, verifier),
      ),

    signedGet: async (url, access, query = {}, secrets = []) => {
      // The package signs query parameters by reading them back from the URL.
      const pairs = Object.entries(checkParams(url, query)).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`);
      const target = pairs.length === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}`;
      return signedCall('Signed GET', 'GET', target, masked([access.token], [access.secret, ...secrets]), calls.get(target, access.token, access.secret));
    },

    signedPost: async (url, access, form, secrets = []) => {
      // A fresh object per call: the package deletes keys from the one it is given.
      const params = checkParams(url, form);
      return signedCall('Signed POST', 'POST', url, masked([access.token], [access.secret, ...secrets]), calls.post(url, access.token, access.secret, params));
    },

    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
