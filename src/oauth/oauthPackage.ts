// The one module that knows the `oauth` package's insides: its client type, the protected hooks
// the app replaces (nonce, HTTP client, fixed callback) and the signing step it watches. Above
// it, the package is four promise-returning calls, each answering with what the package reported
// and the parameters it signed for that request (consumer.ts records them as the timeline's
// facts). The package signs synchronously when a call starts, so a capture set around the start
// sees exactly that request's signing.

import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import oauth from 'oauth';

import { randomToken } from '../lib/randomPool.js';
import { armRequest } from './deadline.js';

import type { ConsumerOptions } from './types.js';

const { OAuth } = oauth;
export type OAuthClient = InstanceType<typeof OAuth>;

/** Replaces the package's `Connection: close` defaults, so the keep-alive agents can reuse sockets. */
const HEADERS = { Accept: '*/*', 'User-Agent': 'nexmo-oauth-consumer/1.0' };

export interface ConsumerAgents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(): ConsumerAgents {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

/** The package's hooks we replace or watch; its typings mark them protected. */
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
  _prepareParameters(token: string | null, tokenSecret: string | null, method: string, url: string, extra: unknown): Array<[string, string]>;
}

/**
 * What the package signed and sent for one request: every parameter, in order, the signature
 * last; the request line's method and path, every header and the body, as written to the wire.
 */
export interface SigningCapture {
  params: Array<[string, string]>;
  /** Absent when no request was made (the call failed before it started). */
  request?: { method: string; path: string; headers: Array<[string, string]> };
  body: string;
}

const capturing = new WeakMap<OAuthClient, SigningCapture>();
/**
 * The reply headers of the call being started. The package hands a refused token call's callback
 * only the status and body, but a refusal's WWW-Authenticate and Date headers say what the
 * provider objected to and how far its clock is from ours.
 */
const replying = new WeakMap<OAuthClient, { headers?: IncomingHttpHeaders }>();

/**
 * The package's client with its traps disarmed: version "1.0", POST token calls, no redirects,
 * crypto nonces, keep-alive agents and a deadline on every request. Exported so the signing
 * specs exercise exactly the signer the consumer uses.
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
  hooks._getNonce = () => randomToken(24);
  hooks._createClient = (port, hostname, method, path, headers, sslEnabled) => {
    const request = sslEnabled
      ? https.request({ host: hostname, port, path, method, headers, agent: agents.https })
      : http.request({ host: hostname, port, path, method, headers, agent: agents.http });
    armRequest(request, options.timeoutMs);
    const capture = capturing.get(client);
    if (capture) {
      capture.request = { method, path, headers: Object.entries(headers).map(([name, value]) => [name, String(value)]) };
      // The package writes the body once, right after this, while the capture is still set.
      const write = request.write.bind(request) as (chunk: unknown, ...rest: unknown[]) => boolean;
      request.write = ((chunk: unknown, ...rest: unknown[]) => {
        capture.body += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        return write(chunk, ...rest);
      }) as typeof request.write;
    }
    const reply = replying.get(client);
    if (reply) request.once('response', (response: http.IncomingMessage) => (reply.headers = response.headers));
    return request;
  };
  watchSigning(hooks, client);
  return client;
}

/**
 * Copies the parameters the package signs into the current capture: the facts the timeline
 * keeps. The base string and the header are derived from them when the timeline is read.
 */
function watchSigning(hooks: PackageHooks, client: OAuthClient): void {
  const prepare = hooks._prepareParameters.bind(client);
  hooks._prepareParameters = (...args) => {
    const ordered = prepare(...args);
    const capture = capturing.get(client);
    if (capture) capture.params = ordered.map(([name, value]) => [String(name), String(value)]);
    return ordered;
  };
}

/** One call as the package answered it, with what it signed and how long it took. */
export interface PackageAnswer<T> {
  /** The package's failure: a plain `{ statusCode, data }` for a non-2xx reply, or a Node error. */
  err: unknown;
  result: T;
  signing: SigningCapture;
  /** The reply's headers, when a reply came (also for a refused token call). */
  replyHeaders: IncomingHttpHeaders | undefined;
  /** When the call started (ms since the epoch) and how long it took. */
  at: number;
  ms: number;
}

/** A token endpoint's reply; any field may be missing when the reply is not a token reply. */
export interface TokenResult {
  token: unknown;
  secret: unknown;
  fields: Record<string, unknown>;
}

/** An API call's reply: absent when no answer came. */
export interface DataResult {
  body: string | undefined;
  response: http.IncomingMessage | undefined;
}

/** The package's four calls, as promises that always resolve (a failure is in `err`). */
export interface PackageCalls {
  requestToken(callbackUrl: string): Promise<PackageAnswer<TokenResult>>;
  accessToken(token: string, tokenSecret: string, verifier: string): Promise<PackageAnswer<TokenResult>>;
  /** The query travels in `url`: the package signs query parameters by reading them back from it. */
  get(url: string, token: string, tokenSecret: string): Promise<PackageAnswer<DataResult>>;
  /** `form` must be a fresh object: the package deletes keys from the one it is given. */
  post(url: string, token: string, tokenSecret: string, form: Record<string, string>): Promise<PackageAnswer<DataResult>>;
}

type TokenCallback = (err: unknown, token?: unknown, secret?: unknown, results?: Record<string, unknown>) => void;
type DataCallback = (err: unknown, data?: string | Buffer, response?: http.IncomingMessage) => void;

export function packageCalls(client: OAuthClient, now: () => number = Date.now): PackageCalls {
  /** Starts a call (the package signs while it starts) and resolves once its callback runs. */
  function call<T, Cb extends (...args: never[]) => void>(start: (cb: Cb) => void, read: (...args: Parameters<Cb>) => { err: unknown; result: T }): Promise<PackageAnswer<T>> {
    return new Promise((resolve) => {
      const at = now();
      const started = process.hrtime.bigint();
      const signing: SigningCapture = { params: [], body: '' };
      const reply: { headers?: IncomingHttpHeaders } = {};
      const done = ((...args: Parameters<Cb>) => {
        resolve({ ...read(...args), signing, replyHeaders: reply.headers, at, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      }) as Cb;
      capturing.set(client, signing);
      replying.set(client, reply);
      try {
        start(done);
      } finally {
        capturing.delete(client);
        replying.delete(client);
      }
    });
  }
  const token = (start: (cb: TokenCallback) => void) =>
    call<TokenResult, TokenCallback>(start, (err, token, secret, fields) => ({ err, result: { token, secret, fields: fields ?? {} } }));
  const data = (start: (cb: DataCallback) => void) =>
    call<DataResult, DataCallback>(start, (err, body, response) => ({ err, result: { body: body === undefined ? undefined : String(body), response } }));

  return {
    requestToken: (callbackUrl) => token((cb) => client.getOAuthRequestToken({ oauth_callback: callbackUrl }, cb)),
    accessToken: (requestToken, tokenSecret, verifier) => token((cb) => client.getOAuthAccessToken(requestToken, tokenSecret, verifier, cb)),
    get: (url, accessToken, tokenSecret) => data((cb) => client.get(url, accessToken, tokenSecret, cb)),
    post: (url, accessToken, tokenSecret, form) => data((cb) => client.post(url, accessToken, tokenSecret, form, 'application/x-www-form-urlencoded', cb)),
  };
}
