// The OAuth 1.0a rules the app keeps on top of the `oauth` package (oauthPackage.ts): the
// replies it accepts, the parameters it will sign, the errors it reports and, for every call,
// the facts of what was sent and received, handed to the recorder it was built with (the
// protocol timeline, see timeline/facts.ts).

import type { IncomingHttpHeaders } from 'node:http';

import {
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderProtocolError,
  ProviderRedirectError,
} from './errors.js';
import { percentEncode } from '../lib/percentEncoding.js';
import { HIDDEN, maskSensitive, maskToken, type Sensitive } from '../logging/redaction.js';
import { DROPPED_REPLY_HEADERS, REPLY_KEPT, type ExchangeFacts } from '../timeline/facts.js';
import { createAgents, createOAuthClient, packageCalls, type DataResult, type PackageAnswer, type TokenResult } from './oauthPackage.js';
import { readProblem } from './problems.js';
import type { ConsumerOptions, OAuthConsumer, SignedCallResult, TokenReply } from './types.js';

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

/** A recorded value: a token as its mask, any secret it contains replaced. Cheap: a few includes. */
function recordable(value: string, sensitive: Sensitive): string {
  if (sensitive.tokens.includes(value)) return maskToken(value);
  let kept = value;
  for (const secret of sensitive.secrets) if (secret !== '' && kept.includes(secret)) kept = kept.split(secret).join(HIDDEN);
  return kept;
}

/** A text that carries tokens inside it (a header, a path): each as its mask, raw or percent-encoded. */
function withTokensMasked(text: string, sensitive: Sensitive): string {
  let kept = recordable(text, sensitive);
  for (const token of sensitive.tokens) {
    if (token === '') continue;
    for (const form of new Set([token, percentEncode(token)])) if (kept.includes(form)) kept = kept.split(form).join(maskToken(token));
  }
  return kept;
}

/** The request as written, for the timeline: the signature hidden, tokens masked, secrets out. */
function recordedRequest(capture: PackageAnswer<unknown>['signing'], sensitive: Sensitive): ExchangeFacts['request'] {
  if (capture.request === undefined) return undefined;
  const headers = capture.request.headers.map(([name, value]): [string, string] => [
    name,
    withTokensMasked(name.toLowerCase() === 'authorization' ? value.replace(/oauth_signature="[^"]*"/, `oauth_signature="${HIDDEN}"`) : value, sensitive),
  ]);
  return { method: capture.request.method, path: withTokensMasked(capture.request.path, sensitive), headers, body: withTokensMasked(capture.body, sensitive) };
}

/**
 * The facts of one call, as the recorder keeps them: the parameters signed but the signature,
 * with tokens masked and secrets out; nothing is encoded, joined or signed again here.
 */
function factsOf(
  method: string,
  url: string,
  sensitive: Sensitive,
  answer: PackageAnswer<unknown>,
  status: number | undefined,
  reply: Pick<ExchangeFacts, 'replyFields' | 'replyExcerpt'>,
): ExchangeFacts {
  const params: Array<[string, string]> = [];
  for (const [name, value] of answer.signing.params) if (name !== 'oauth_signature') params.push([name, recordable(value, sensitive)]);
  const replyHeaders: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(answer.replyHeaders ?? {})) {
    if (value === undefined || DROPPED_REPLY_HEADERS.includes(name)) continue;
    replyHeaders.push([name, Array.isArray(value) ? value.join(', ') : value]);
  }
  const request = recordedRequest(answer.signing, sensitive);
  return { method, url: recordable(url, sensitive), params, ...(request ? { request } : {}), status, replyHeaders, ...reply, at: answer.at, ms: answer.ms };
}

/** A token reply's fields as recorded: the token masked, its secret left out. */
function tokenReplyFields(token: unknown, results: Record<string, unknown>): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  if (typeof token === 'string') fields.push(['oauth_token', maskToken(token)], ['oauth_token_secret', HIDDEN]);
  for (const [name, value] of Object.entries(results)) fields.push([name, String(value)]);
  return fields;
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
  const recorder = options.recorder;

  // Each call asks the recorder where its facts go as it starts (before its first await): see
  // timeline/recorder.ts.
  async function tokenCall(what: string, url: string, sensitive: Sensitive, needsConfirmation: boolean, answer: Promise<PackageAnswer<TokenResult>>): Promise<TokenReply> {
    const record = recorder?.exchangeStarts();
    const done = await answer;
    const { err, result } = done;
    record?.(
      factsOf('POST', url, sensitive, done, err ? statusOf(err) : 200, {
        replyFields: err ? [] : tokenReplyFields(result.token, result.fields),
        // A refusal's body says why (oauth_problem=…): kept, as the provider wrote it, secrets out.
        replyExcerpt: isHttpFailure(err) && typeof err.data === 'string' ? withTokensMasked(err.data.slice(0, REPLY_KEPT), sensitive) : undefined,
      }),
    );
    if (err) throw toProviderError(err, what, [secret, ...sensitive.secrets, ...sensitive.tokens], done.replyHeaders, now);
    return readTokenReply(what, needsConfirmation, result.token, result.secret, result.fields);
  }

  /** Any non-3xx reply is the caller's to interpret; only transport failures and redirects are failures. */
  async function signedCall(what: string, method: string, url: string, sensitive: Sensitive, answer: Promise<PackageAnswer<DataResult>>): Promise<SignedCallResult> {
    const record = recorder?.exchangeStarts();
    const done = await answer;
    const { err, result: { body, response } } = done;
    const status = response?.statusCode;
    record?.(factsOf(method, url, sensitive, done, status ?? statusOf(err), { replyFields: [], replyExcerpt: body === undefined ? undefined : recordable(body.slice(0, REPLY_KEPT), sensitive) }));
    if (response && status !== undefined && (status < 300 || status >= 400)) {
      return { response: { status, headers: response.headers, body: body ?? '' } };
    }
    return { failure: toProviderError(err, what, [secret, ...sensitive.secrets, ...sensitive.tokens], done.replyHeaders, now) };
  }

  return {
    getRequestToken: (callbackUrl = options.callbackUrl) =>
      tokenCall('Request token call', options.requestTokenUrl, { tokens: [], secrets: [secret] }, true, calls.requestToken(callbackUrl)),

    getAccessToken: (requestToken, verifier) =>
      tokenCall(
        'Access token call',
        options.accessTokenUrl,
        { tokens: [requestToken.token, verifier], secrets: [secret, requestToken.secret] },
        false,
        calls.accessToken(requestToken.token, requestToken.secret, verifier),
      ),

    signedGet: async (url, access, query = {}, secrets = []) => {
      // The package signs query parameters by reading them back from the URL.
      const pairs = Object.entries(checkParams(url, query)).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`);
      const target = pairs.length === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}`;
      return signedCall('Signed GET', 'GET', target, { tokens: [access.token], secrets: [secret, access.secret, ...secrets] }, calls.get(target, access.token, access.secret));
    },

    signedPost: async (url, access, form, secrets = []) => {
      // A fresh object per call: the package deletes keys from the one it is given.
      const params = checkParams(url, form);
      return signedCall('Signed POST', 'POST', url, { tokens: [access.token], secrets: [secret, access.secret, ...secrets] }, calls.post(url, access.token, access.secret, params));
    },

    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
