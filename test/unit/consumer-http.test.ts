import { createHmac } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { percentEncode as sandboxPercentEncode } from '../../packages/sandbox/src/rfc5849.js';
import { createOAuthConsumer } from '../../src/oauth/consumer.js';
import type { ExchangeFacts } from '../../src/timeline/facts.js';
import { createRecorder } from '../../src/timeline/recorder.js';
import { exchangeView, type ExchangeView } from '../../src/timeline/view.js';
import {
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderProtocolError,
  ProviderRedirectError,
  ProviderTimeoutError,
} from '../../src/oauth/errors.js';
import type { ConsumerOptions, OAuthConsumer, SignedCallResult, SignedResponse, TokenPair } from '../../src/oauth/types.js';
import { expectNoSecretIn } from '../helpers/assertions.js';

const CONSUMER_SECRET = 'cs-5ecret!*()';
const REQUEST = { token: 'rt-token-1', secret: 'rt-secret-1' };
const ACCESS: TokenPair = { token: 'at-token-9', secret: 'at-secret-9' };
const CALLBACK = 'http://app.test/auth/callback?x=1';
const TRICKY = `!*'()&=+" a\r\nb\n😀 ~é%20`;

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Handler = (seen: Seen, res: http.ServerResponse) => void;

interface TestServer {
  base: string;
  seen: Seen[];
  connections: () => number;
  sockets: Socket[];
  close: () => Promise<void>;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A raw provider stand-in that records every request it receives. */
async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  const sockets: Socket[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      handler(entry, res);
    });
  });
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, seen, connections: () => sockets.length, sockets, close };
}

/** Told the facts of every call the consumers of a spec make (collected with `recorded`). */
const recorder = createRecorder();

/** `call`'s value, and the facts of the one exchange it recorded. */
async function recorded<T>(call: () => Promise<T>): Promise<{ value: T; facts: ExchangeFacts }> {
  const { value, recorded: all } = await recorder.collect(call);
  expect(all).toHaveLength(1);
  return { value, facts: all[0]! };
}

/** What the "How it works" page derives from the facts, with the app's own secrets masked. */
const viewOf = (facts: ExchangeFacts): ExchangeView => exchangeView(facts, [CONSUMER_SECRET]);

function consumerFor(server: { base: string }, overrides: Partial<ConsumerOptions> = {}): OAuthConsumer {
  const consumer = createOAuthConsumer({
    recorder,
    requestTokenUrl: `${server.base}/oauth/request_token`,
    accessTokenUrl: `${server.base}/oauth/access_token`,
    consumerKey: 'ck-key',
    consumerSecret: CONSUMER_SECRET,
    callbackUrl: CALLBACK,
    timeoutMs: 10_000,
    ...overrides,
  });
  cleanups.push(() => consumer.close());
  return consumer;
}

const reply = (status: number, body: string, headers: http.OutgoingHttpHeaders = {}): Handler => (_seen, res) => {
  res.writeHead(status, { 'Content-Type': 'application/x-www-form-urlencoded', ...headers });
  res.end(body);
};

// ---- An RFC 5849 verifier independent of the consumer: it shares no code with the app's signer. ----

// The sandbox's encoder, not the app's: a bug in the app's percentEncode must not be repeated by
// the verifier that checks the signatures it produced. (The sandbox's RFC 5849 code is written
// separately from the app's; see packages/sandbox/README.md.)
const rfc3986 = sandboxPercentEncode;

function authParams(seen: Seen): Map<string, string> {
  const header = seen.headers.authorization ?? '';
  expect(header.startsWith('OAuth ')).toBe(true);
  const params = new Map<string, string>();
  for (const m of header.slice(6).matchAll(/([^\s=,]+)="([^"]*)"/g)) params.set(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
  return params;
}

/** RFC 5849 §3.4.1: method & base string URI & normalised (query + form body + oauth_*) params. */
function signatureVerifies(seen: Seen, tokenSecret: string): boolean {
  const auth = authParams(seen);
  const url = new URL(seen.url, `http://${seen.headers.host}`);
  const pairs: Array<[string, string]> = [...url.searchParams];
  if (seen.headers['content-type'] === 'application/x-www-form-urlencoded') pairs.push(...new URLSearchParams(seen.body));
  for (const [k, v] of auth) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([k, v]);
  const normalised = pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  const base = `${seen.method.toUpperCase()}&${rfc3986(baseUri)}&${rfc3986(normalised)}`;
  const expected = createHmac('sha1', `${rfc3986(CONSUMER_SECRET)}&${rfc3986(tokenSecret)}`).update(base).digest('base64');
  return auth.get('oauth_signature') === expected;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to reject'),
    (err: unknown) => err,
  );
}

/** A signed call the provider answered: its response (a failure fails the spec). */
async function answered(call: Promise<SignedCallResult>): Promise<SignedResponse> {
  const result = await call;
  expect(result.failure).toBeUndefined();
  return result.response!;
}

/** A signed call that got no usable answer: its failure (and its facts still recorded). */
async function failed(call: Promise<SignedCallResult>): Promise<ProviderError> {
  const { value: result, recorded: facts } = await recorder.collect(() => call);
  expect(result.response).toBeUndefined();
  return result.failure!;
}

function expectNoSecrets(err: unknown): void {
  expect(err).toBeInstanceOf(ProviderError);
  const e = err as ProviderError;
  const texts = [String(e), e.message, e.excerpt, inspect(e)];
  expectNoSecretIn(texts, CONSUMER_SECRET, REQUEST.secret, ACCESS.secret, ACCESS.token, 'the-verifier');
  for (const text of texts) expect(text).not.toContain('OAuth oauth_');
}

describe('request token call', () => {
  it('POSTs a signed, keep-alive request carrying oauth_callback and version 1.0, and returns the tokens', async () => {
    const server = await startServer(reply(200, 'oauth_token=rt-token-1&oauth_token_secret=rt-secret-1&oauth_callback_confirmed=true&login=ann'));
    const result = await consumerFor(server).getRequestToken();

    expect(result).toEqual({ token: 'rt-token-1', secret: 'rt-secret-1', extra: { login: 'ann' } });
    const [seen] = server.seen;
    expect(seen!.method).toBe('POST');
    expect(seen!.url).toBe('/oauth/request_token');
    expect(seen!.headers.connection).not.toBe('close');
    expect(seen!.headers['user-agent']).toBe('nexmo-oauth-consumer/1.0');
    expect(seen!.headers.accept).toBe('*/*');
    const auth = authParams(seen!);
    expect(auth.get('oauth_callback')).toBe(CALLBACK);
    expect(auth.get('oauth_version')).toBe('1.0');
    expect(auth.get('oauth_signature_method')).toBe('HMAC-SHA1');
    expect(auth.get('oauth_consumer_key')).toBe('ck-key');
    expect(auth.get('oauth_nonce')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(auth.has('oauth_token')).toBe(false);
    expect(signatureVerifies(seen!, '')).toBe(true);
  });

  it('signs the callback a call names (the address the browser used), instead of the configured one', async () => {
    const server = await startServer(reply(200, 'oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=true'));
    await consumerFor(server).getRequestToken('http://192.168.1.20:3000/auth/callback');
    const auth = authParams(server.seen[0]!);
    expect(auth.get('oauth_callback')).toBe('http://192.168.1.20:3000/auth/callback');
    expect(signatureVerifies(server.seen[0]!, '')).toBe(true);
  });

  it('records the exchange’s facts for the timeline: every signed parameter but the signature, the reply with its secret left out', async () => {
    const server = await startServer(reply(200, 'oauth_token=rt-token-visible-1&oauth_token_secret=rt-secret-hidden-1&oauth_callback_confirmed=true'));
    const { facts } = await recorded(() => consumerFor(server).getRequestToken());
    expect(server.seen).toHaveLength(1);
    const sent = authParams(server.seen[0]!);
    expect(facts).toMatchObject({ method: 'POST', url: `${server.base}/oauth/request_token`, status: 200 });
    expect(new Map(facts.params)).toEqual(new Map([...sent].filter(([name]) => name !== 'oauth_signature')));
    expect(facts.replyFields).toEqual([
      ['oauth_token', 'rt-t… (18 characters)'],
      ['oauth_token_secret', '[hidden]'],
      ['oauth_callback_confirmed', 'true'],
    ]);
    const everything = JSON.stringify(facts);
    expect(everything).not.toContain('rt-secret-hidden-1');
    expect(everything).not.toContain('rt-token-visible-1');
    expect(everything).not.toContain(sent.get('oauth_signature'));
    expect(everything).not.toContain(CONSUMER_SECRET);
  });

  it('derives, when read, the very base string the request was signed over, and the header as sent with the signature hidden', async () => {
    const server = await startServer(reply(200, 'oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=true'));
    const { facts } = await recorded(() => consumerFor(server).getRequestToken());
    const view = viewOf(facts);
    // A request-token call carries no token, so nothing in it was masked: the derived base
    // string is exactly the one signed, which the consumer secret's HMAC over it proves.
    const signature = authParams(server.seen[0]!).get('oauth_signature');
    expect(createHmac('sha1', `${rfc3986(CONSUMER_SECRET)}&`).update(view.baseString).digest('base64')).toBe(signature);
    expect(view.baseString).toMatch(/^POST&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth%2Frequest_token&oauth_callback/);
    expect(view.baseStringParts).toEqual({ method: 'POST', baseUri: `${server.base}/oauth/request_token`, parameters: expect.stringMatching(/^oauth_callback=/) });
    expect(view.authorization).toBe(server.seen[0]!.headers.authorization!.replace(/oauth_signature="[^"]*"/, 'oauth_signature="[hidden]"'));
    expect(view.oauthParams).toContainEqual(['oauth_signature', '[hidden]']);
  });

  it.each([
    ['oauth_callback_confirmed is missing', 'oauth_token=a&oauth_token_secret=b'],
    ['oauth_callback_confirmed is false', 'oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=false'],
    ['the token is empty', 'oauth_token=&oauth_token_secret=b&oauth_callback_confirmed=true'],
    ['the token secret is missing', 'oauth_token=a&oauth_callback_confirmed=true'],
    ['the body is not a token reply', '<html>welcome</html>'],
  ])('rejects with ProviderProtocolError when %s', async (_label, body) => {
    const server = await startServer(reply(200, body));
    const err = await rejection(consumerFor(server).getRequestToken());
    expect(err).toBeInstanceOf(ProviderProtocolError);
  });

  it('turns a 401 into ProviderHttpError with the status and an excerpt free of echoed secrets', async () => {
    const body = `oauth_problem=signature_invalid&oauth_token_secret=leak-1&debug=key ${CONSUMER_SECRET} base POST%26x%26oauth_verifier%253Dleak-2`;
    const server = await startServer(reply(401, body));
    const err = await rejection(consumerFor(server).getRequestToken());
    expect(err).toBeInstanceOf(ProviderHttpError);
    const e = err as ProviderHttpError;
    expect(e.status).toBe(401);
    expect(e.excerpt).toContain('oauth_problem=signature_invalid');
    expect(e.excerpt).not.toContain('leak-1');
    expect(e.excerpt).not.toContain('leak-2');
    expectNoSecrets(e);
  });

  it('refuses a redirect and never contacts its target', async () => {
    const target = await startServer(reply(200, 'oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=true'));
    const server = await startServer(reply(302, '', { Location: `${target.base}/steal` }));
    const err = await rejection(consumerFor(server).getRequestToken());
    expect(err).toBeInstanceOf(ProviderRedirectError);
    expect((err as ProviderRedirectError).status).toBe(302);
    expect(target.seen).toHaveLength(0);
    expect(target.connections()).toBe(0);
  });

  it('gives up with ProviderTimeoutError when the provider never answers', async () => {
    const server = await startServer(() => undefined);
    const err = await rejection(consumerFor(server, { timeoutMs: 200 }).getRequestToken());
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expect(server.seen).toHaveLength(1);
  });

  it('gives up with ProviderTimeoutError when the reply stalls mid-body', async () => {
    const server = await startServer((_seen, res) => {
      res.writeHead(200, { 'Content-Length': '500' });
      res.write('oauth_token=a');
    });
    const err = await rejection(consumerFor(server, { timeoutMs: 200 }).getRequestToken());
    expect(err).toBeInstanceOf(ProviderTimeoutError);
  });

  it('reports a reply cut off mid-body as ProviderNetworkError instead of hanging', async () => {
    const server = await startServer((_seen, res) => {
      res.writeHead(200, { 'Content-Length': '500' });
      res.write('oauth_token=a', () => res.socket?.destroy());
    });
    const err = await rejection(consumerFor(server, { timeoutMs: 5000 }).getRequestToken());
    expect(err).toBeInstanceOf(ProviderNetworkError);
  });

  it('reports a refused connection as ProviderNetworkError', async () => {
    const gone = await startServer(reply(200, ''));
    await gone.close();
    const err = await rejection(consumerFor(gone).getRequestToken());
    expect(err).toBeInstanceOf(ProviderNetworkError);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expectNoSecrets(err);
  });

  it('reuses one TCP connection for successive calls', async () => {
    const server = await startServer(reply(200, 'oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=true'));
    const consumer = consumerFor(server);
    await consumer.getRequestToken();
    await consumer.getRequestToken();
    expect(server.seen).toHaveLength(2);
    expect(server.connections()).toBe(1);
  });

  it('closes its kept-alive connection on close()', async () => {
    const server = await startServer(reply(200, 'oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=true'));
    const consumer = consumerFor(server);
    await consumer.getRequestToken();
    const [socket] = server.sockets;
    expect(socket!.destroyed).toBe(false);
    const closed = once(socket!, 'close');
    consumer.close();
    await closed;
    expect(server.sockets).toHaveLength(1);
  });
});

describe('access token call', () => {
  it('POSTs the request token and verifier, signed with the request token secret', async () => {
    const server = await startServer(reply(200, 'oauth_token=at-token-9&oauth_token_secret=at-secret-9&user=ann'));
    const result = await consumerFor(server).getAccessToken(REQUEST, 'the-verifier');

    expect(result).toEqual({ token: 'at-token-9', secret: 'at-secret-9', extra: { user: 'ann' } });
    const [seen] = server.seen;
    expect(seen!.method).toBe('POST');
    const auth = authParams(seen!);
    expect(auth.get('oauth_token')).toBe(REQUEST.token);
    expect(auth.get('oauth_verifier')).toBe('the-verifier');
    expect(auth.get('oauth_version')).toBe('1.0');
    expect(signatureVerifies(seen!, REQUEST.secret)).toBe(true);
  });

  it('rejects a reply without a token secret with ProviderProtocolError', async () => {
    const server = await startServer(reply(200, 'oauth_token=at-token-9&oauth_token_secret='));
    expect(await rejection(consumerFor(server).getAccessToken(REQUEST, 'the-verifier'))).toBeInstanceOf(ProviderProtocolError);
  });

  it('keeps the request token, its secret and the verifier out of an HTTP error', async () => {
    const server = await startServer(
      reply(401, `oauth_problem=token_rejected&echo=${REQUEST.token} ${REQUEST.secret} the-verifier ${rfc3986(rfc3986(REQUEST.secret))}`),
    );
    const err = await rejection(consumerFor(server).getAccessToken(REQUEST, 'the-verifier'));
    expect(err).toBeInstanceOf(ProviderHttpError);
    const e = err as ProviderHttpError;
    expect(e.status).toBe(401);
    expectNoSecretIn([e.excerpt, String(e), inspect(e)], REQUEST.token, REQUEST.secret, 'the-verifier');
    expectNoSecrets(e);
  });
});

describe('signed API calls', () => {
  it('POSTs a form body that arrives intact and verifies at a strict RFC 5849 provider', async () => {
    const server = await startServer(reply(200, '{"message-count":"1"}', { 'Content-Type': 'application/json' }));
    const form = { text: TRICKY, 'client-ref': 'a&b=c', to: '447700900000', [TRICKY]: 'key too' };
    const before = { ...form };
    const res = await answered(consumerFor(server).signedPost(`${server.base}/sms/json`, ACCESS, form));

    expect(res.status).toBe(200);
    expect(res.body).toBe('{"message-count":"1"}');
    expect(res.headers['content-type']).toBe('application/json');
    expect(form).toEqual(before);
    const [seen] = server.seen;
    expect(seen!.method).toBe('POST');
    expect(seen!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(seen!.body))).toEqual(form);
    expect(authParams(seen!).get('oauth_token')).toBe(ACCESS.token);
    expect(signatureVerifies(seen!, ACCESS.secret)).toBe(true);
  });

  it('is caught by the independent verifier when a body byte changes', async () => {
    const server = await startServer(reply(200, 'ok'));
    await consumerFor(server).signedPost(`${server.base}/sms/json`, ACCESS, { text: 'a+b' });
    const seen = server.seen[0]!;
    expect(signatureVerifies(seen, ACCESS.secret)).toBe(true);
    expect(signatureVerifies({ ...seen, body: seen.body.replace('%2B', '+') }, ACCESS.secret)).toBe(false);
    expect(signatureVerifies(seen, 'wrong-secret')).toBe(false);
  });

  it('GETs with query parameters in the URL, received intact and verifiable', async () => {
    const server = await startServer(reply(200, '{"value":10.5}'));
    const query = { q: TRICKY, plain: 'x' };
    const res = await answered(consumerFor(server).signedGet(`${server.base}/account/get-balance?fixed=1`, ACCESS, query));

    expect(res).toMatchObject({ status: 200, body: '{"value":10.5}' });
    const [seen] = server.seen;
    expect(seen!.method).toBe('GET');
    const received = new URL(seen!.url, server.base);
    expect(received.pathname).toBe('/account/get-balance');
    expect(Object.fromEntries(received.searchParams)).toEqual({ fixed: '1', ...query });
    expect(signatureVerifies(seen!, ACCESS.secret)).toBe(true);
  });

  it.each([401, 429, 500])('returns an HTTP %i answer instead of rejecting', async (status) => {
    const server = await startServer(reply(status, 'nope'));
    const consumer = consumerFor(server);
    expect(await answered(consumer.signedGet(`${server.base}/x`, ACCESS))).toMatchObject({ status, body: 'nope' });
    expect(await answered(consumer.signedPost(`${server.base}/x`, ACCESS, { a: '1' }))).toMatchObject({ status, body: 'nope' });
  });

  it.each([301, 302, 307])('returns a %i redirect as a ProviderRedirectError failure and never contacts its target', async (status) => {
    const target = await startServer(reply(200, 'ok'));
    const server = await startServer(reply(status, '', { Location: `${target.base}/elsewhere` }));
    const consumer = consumerFor(server);
    expect(await failed(consumer.signedPost(`${server.base}/sms/json`, ACCESS, { a: '1' }))).toBeInstanceOf(ProviderRedirectError);
    const err = await failed(consumer.signedGet(`${server.base}/sms/json`, ACCESS, { a: '1' }));
    expect(err).toBeInstanceOf(ProviderRedirectError);
    expectNoSecrets(err);
    expect(target.connections()).toBe(0);
  });

  it('returns a ProviderTimeoutError failure, and records the exchange with no status, when the API never answers', async () => {
    const server = await startServer(() => undefined);
    const { value: result, facts } = await recorded(() => consumerFor(server, { timeoutMs: 200 }).signedPost(`${server.base}/sms/json`, ACCESS, { a: '1' }));
    expect(facts).toMatchObject({ method: 'POST', status: undefined, replyExcerpt: undefined });
    const err = await failed(Promise.resolve(result));
    expect(err).toBeInstanceOf(ProviderTimeoutError);
    expectNoSecrets(err);
  });

  it('records the request as written to the wire, and the reply as received: what the lab shows raw and as curl', async () => {
    const server = await startServer((_seen, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Provider': 'yes', 'Set-Cookie': 'tracking=1' });
      res.end('{"message-count":"1"}');
    });
    const { facts } = await recorded(() => consumerFor(server).signedPost(`${server.base}/sms/json`, ACCESS, { from: 'Demo', to: '447700900000', text: "It's 5 o'clock & all's well" }));
    const seen = server.seen[0]!;
    const view = viewOf(facts);
    const [requestLine, ...rest] = view.rawRequest.split('\r\n');
    expect(requestLine).toBe('POST /sms/json HTTP/1.1');
    const blank = rest.indexOf('');
    const headers = new Map(rest.slice(0, blank).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]));
    expect(rest.slice(blank + 1).join('\r\n')).toBe(seen.body);
    // Every header the provider received is there, as received, but the signature and the token.
    for (const [name, value] of Object.entries(seen.headers)) {
      if (name === 'connection' || name === 'authorization') continue;
      expect(headers.get(name), name).toBe(String(value));
    }
    expect(headers.get('authorization')).toBe(seen.headers.authorization!.replace(/oauth_signature="[^"]*"/, 'oauth_signature="[hidden]"').replace(ACCESS.token, 'at-t… (10 characters)'));
    expect(view.rawReply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(view.rawReply).toContain('\r\nx-provider: yes\r\n');
    expect(view.rawReply).not.toContain('tracking=1');
    expect(view.rawReply!.endsWith('\r\n\r\n{"message-count":"1"}')).toBe(true);
    // The same request as a curl command, quoted for a shell: the body with its quotes intact.
    expect(view.curl.split(' \\\n')[0]).toBe(`curl -X POST '${server.base}/sms/json'`);
    expect(view.curl).toContain(`--data-raw '${seen.body.replace(/'/g, `'\\''`)}'`);
    expect(view.curl).not.toContain(ACCESS.token);
    expect(view.signingKey).toBe('consumer_secret&access_token_secret');
  });

  it('sends a caller’s secret as given, and records it nowhere: not in the facts, not in what the page derives from them', async () => {
    // A provider that echoes the request back: the reply excerpt must not carry the secret either.
    const server = await startServer((seen, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ echo: seen.body, url: seen.url }));
    });
    const receiptKey = 'receipt-key_0123456789abcdef';
    const callback = `http://app.test/webhooks/delivery-receipt/${receiptKey}`;
    const consumer = consumerFor(server);
    const { value: sent, facts: postFacts } = await recorded(() => consumer.signedPost(`${server.base}/sms/json`, ACCESS, { to: '447700900000', callback }, [receiptKey]));
    const { facts: getFacts } = await recorded(() => consumer.signedGet(`${server.base}/account/get-balance`, ACCESS, { callback }, [receiptKey]));
    const exchanges: ExchangeView[] = [viewOf(postFacts), viewOf(getFacts)];
    const res = sent.response!;

    // The provider received the real callback, and the signature covers it.
    expect(new URLSearchParams(server.seen[0]!.body).get('callback')).toBe(callback);
    expect(signatureVerifies(server.seen[0]!, ACCESS.secret)).toBe(true);
    expect(res.body).toContain(receiptKey);
    expect(exchanges).toHaveLength(2);
    const [post, get] = exchanges;
    // The base string still shows the callback, encoded twice, with the key as the secrets' placeholder.
    expect(post!.baseString).toContain(`callback%3Dhttp%253A%252F%252Fapp.test%252Fwebhooks%252Fdelivery-receipt%252F[hidden]%26`);
    expect(get!.url).toContain('delivery-receipt%2F[hidden]');
    for (const exchange of [...exchanges, postFacts, getFacts]) {
      const everything = JSON.stringify(exchange);
      expectNoSecretIn(everything, receiptKey, rfc3986(rfc3986(receiptKey)), Buffer.from(receiptKey).toString('base64'));
      expect(exchange.replyExcerpt).toBeDefined();
    }
  });

  it('refuses oauth_* parameter names without sending anything', async () => {
    const server = await startServer(reply(200, 'ok'));
    const consumer = consumerFor(server);
    await expect(consumer.signedPost(`${server.base}/x`, ACCESS, { oauth_token: 'x' })).rejects.toBeInstanceOf(TypeError);
    await expect(consumer.signedGet(`${server.base}/x?a=1`, ACCESS, { a: '2' })).rejects.toBeInstanceOf(TypeError);
    expect(server.seen).toHaveLength(0);
  });

  it("refuses a URL's own query names on every call to it, and signs the other names with it", async () => {
    const server = await startServer(reply(200, 'ok'));
    const consumer = consumerFor(server);
    for (let i = 0; i < 3; i++) await expect(consumer.signedGet(`${server.base}/q?a=1`, ACCESS, { a: String(i) })).rejects.toBeInstanceOf(TypeError);
    expect(server.seen).toHaveLength(0);
    const answer = await consumer.signedGet(`${server.base}/q?a=1`, ACCESS, { b: '2' });
    expect(answer.response?.status).toBe(200);
    expect(server.seen.map((r) => r.url)).toEqual(['/q?a=1&b=2']);
    await expect(consumer.signedGet(`${server.base}/q?b=1`, ACCESS, { b: '2' })).rejects.toBeInstanceOf(TypeError);
    expect(server.seen).toHaveLength(1);
  });
});
