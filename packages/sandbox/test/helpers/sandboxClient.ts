/**
 * A small OAuth 1.0 signer and flow driver for the sandbox's HTTP tests. It is written
 * independently of src/rfc5849.ts (byte-wise encoding, URLSearchParams for the query)
 * so the tests do not share a bug with the code under test.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { parse } from 'node-html-parser';
import supertest from 'supertest';
import { createSandbox } from '../../src/index.js';
import type { Sandbox, SandboxOptions } from '../../src/index.js';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

export function rfc3986(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface SignInput {
  method: string;
  /** Absolute URL, with any query the request will carry. */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  /** Extra oauth_* parameters (oauth_callback, oauth_verifier, or overrides). */
  oauth?: Record<string, string>;
  /** Form body fields that are part of the signature. */
  form?: Record<string, string>;
  signatureMethod?: 'HMAC-SHA1' | 'PLAINTEXT';
  /** Seconds; default now. */
  timestamp?: number;
  nonce?: string;
  /** undefined → "1.0"; null → omit the parameter. */
  version?: string | null;
}

/** The oauth_* parameters of a signed request, oauth_signature included. */
export function signRequest(input: SignInput): Record<string, string> {
  const oauth: Record<string, string> = {
    oauth_consumer_key: input.consumerKey,
    oauth_nonce: input.nonce ?? randomBytes(12).toString('hex'),
    oauth_signature_method: input.signatureMethod ?? 'HMAC-SHA1',
    oauth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  if (input.version !== null) oauth['oauth_version'] = input.version ?? '1.0';
  if (input.token !== undefined) oauth['oauth_token'] = input.token;
  Object.assign(oauth, input.oauth);

  const key = `${rfc3986(input.consumerSecret)}&${rfc3986(input.tokenSecret ?? '')}`;
  if (oauth['oauth_signature_method'] === 'PLAINTEXT') return { ...oauth, oauth_signature: key };

  const url = new URL(input.url);
  const pairs: [string, string][] = [
    ...Object.entries(oauth),
    ...Object.entries(input.form ?? {}),
    ...url.searchParams.entries(),
  ].map(([k, v]) => [rfc3986(k), rfc3986(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const defaultPort = (url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443');
  const base = `${url.protocol}//${url.hostname.toLowerCase()}${url.port && !defaultPort ? `:${url.port}` : ''}${url.pathname}`;
  const baseString = [input.method.toUpperCase(), rfc3986(base), rfc3986(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
  return { ...oauth, oauth_signature: createHmac('sha1', key).update(baseString).digest('base64') };
}

export function authorizationHeader(oauth: Record<string, string>, realm?: string): string {
  const parts = Object.entries(oauth).map(([k, v]) => `${rfc3986(k)}="${rfc3986(v)}"`);
  return `OAuth ${realm === undefined ? '' : `realm="${realm}", `}${parts.join(', ')}`;
}

export function formBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
}

export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

export interface SandboxHarness {
  sandbox: Sandbox;
  server: Server;
  /** e.g. http://127.0.0.1:54321/sandbox: the host supertest sends, so the one to sign. */
  base: string;
  http: supertest.Agent;
  close(): Promise<void>;
}

/** An app that only mounts the sandbox at /sandbox, listening on a free loopback port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHarness> {
  const sandbox = await createSandbox({ consumerKey: 'test-consumer', consumerSecret: 'test-secret', ...options });
  const app = express();
  app.use('/sandbox', sandbox.router);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    sandbox,
    server,
    base: `${origin}/sandbox`,
    http: supertest.agent(origin),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The same sandbox as seen from another person's browser: its own cookie jar (no sandbox session,
 * no remembered account), for specs where two people use the sandbox at once.
 */
export function anotherBrowser(h: SandboxHarness): SandboxHarness {
  return { ...h, http: supertest.agent(new URL(h.base).origin) };
}

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
}

export const TEST_CONSUMER: Credentials = { consumerKey: 'test-consumer', consumerSecret: 'test-secret' };

/** POST a signed request with the OAuth parameters in the Authorization header. */
export function postSigned(h: SandboxHarness, path: string, sign: Omit<SignInput, 'method' | 'url'>) {
  const oauth = signRequest({ ...sign, method: 'POST', url: `${h.base}${path}` });
  const req = h.http.post(`/sandbox${path}`).set('Authorization', authorizationHeader(oauth));
  return sign.form === undefined ? req : req.type('form').send(formBody(sign.form));
}

export async function getRequestToken(h: SandboxHarness, callback = 'http://client.example/cb'): Promise<{ token: string; secret: string }> {
  const res = await postSigned(h, '/oauth/request_token', { ...TEST_CONSUMER, oauth: { oauth_callback: callback } });
  if (res.status !== 200) throw new Error(`request_token answered ${res.status}: ${res.text}`);
  const body = parseForm(res.text);
  return { token: body['oauth_token'] as string, secret: body['oauth_token_secret'] as string };
}

/** The value of the hidden form field `name` on a page, read with an HTML parser; undefined when absent. */
export function hiddenField(html: string, name: string): string | undefined {
  return parse(html).querySelector(`form input[type="hidden"][name="${name}"]`)?.getAttribute('value') || undefined;
}

/** The text of a page's first heading, as a person reads it. */
export function headingOf(html: string): string | undefined {
  return parse(html).querySelector('h1')?.text.replace(/\s+/g, ' ').trim();
}

/** A signed GET /account/get-balance with `access`: the response, its body `{ value, autoReload }`. */
export function balanceOf(h: SandboxHarness, access: { token: string; secret: string }) {
  const oauth = signRequest({ ...TEST_CONSUMER, method: 'GET', url: `${h.base}/account/get-balance`, token: access.token, tokenSecret: access.secret });
  return h.http.get('/sandbox/account/get-balance').set('Authorization', authorizationHeader(oauth));
}

/** The consent nonce from the consent page's hidden field. */
export async function consentNonce(h: SandboxHarness, token: string): Promise<string> {
  const page = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
  const nonce = hiddenField(page.text, 'consent_nonce');
  if (page.status !== 200 || nonce === undefined) throw new Error(`no consent form (status ${page.status})`);
  return nonce;
}

/**
 * The fields a browser submits with a page's first form: hidden and text inputs, and the radio
 * buttons that are checked (the submit button's own name is the caller's to add).
 */
export function renderedForm(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const input of parse(html).querySelectorAll('form')[0]?.querySelectorAll('input') ?? []) {
    const name = input.getAttribute('name');
    const type = input.getAttribute('type') ?? 'text';
    if (!name || (type === 'radio' && !input.hasAttribute('checked'))) continue;
    fields[name] = input.getAttribute('value') ?? '';
  }
  return fields;
}

/**
 * Presses Authorize on the consent page: having typed `account` in the name field, or, with no
 * account named, straight away, as the page was rendered (the browser's last choice, or the
 * fresh name the page suggested). Returns the verifier from the callback redirect.
 */
export async function authorize(h: SandboxHarness, token: string, account?: string): Promise<string> {
  return (await authorizeAs(h, token, account)).verifier;
}

/** `authorize`, and the account the page was submitted with (`account`, or what the page offered). */
export async function authorizeAs(h: SandboxHarness, token: string, account?: string): Promise<{ verifier: string; account: string }> {
  const page = await h.http.get(`/sandbox/oauth/authorize?oauth_token=${rfc3986(token)}`);
  if (page.status !== 200) throw new Error(`no consent form (status ${page.status})`);
  const fields: Record<string, string> = { ...renderedForm(page.text), ...(account === undefined ? {} : { account_name: account }) };
  const res = await h.http.post('/sandbox/oauth/authorize').type('form').send(formBody({ ...fields, decision: 'authorize' }));
  const verifier = new URL(res.headers['location'] as string).searchParams.get('oauth_verifier');
  if (res.status !== 302 || verifier === null) throw new Error(`authorize answered ${res.status}`);
  return { verifier, account: account ?? (fields['account'] || (fields['account_name'] as string)) };
}

/** The whole three-legged flow, as `account` or the one the consent page offers; returns access credentials. */
export async function connect(h: SandboxHarness, account?: string): Promise<{ token: string; secret: string; username: string }> {
  const rt = await getRequestToken(h);
  const verifier = await authorize(h, rt.token, account);
  const res = await postSigned(h, '/oauth/access_token', {
    ...TEST_CONSUMER,
    token: rt.token,
    tokenSecret: rt.secret,
    oauth: { oauth_verifier: verifier },
  });
  if (res.status !== 200) throw new Error(`access_token answered ${res.status}: ${res.text}`);
  const body = parseForm(res.text);
  return { token: body['oauth_token'] as string, secret: body['oauth_token_secret'] as string, username: body['username'] as string };
}

/**
 * Signs the harness's cookie jar in to the sandbox's outbox and controls as `account` (typed in
 * the name field) or, with none named, as the sign-in form offers (the browser's last choice, or
 * a fresh name), the way a person submits it; returns the page signed in to.
 */
export async function signIn(h: SandboxHarness, account?: string, next: 'outbox' | 'controls' = 'outbox'): Promise<supertest.Response> {
  const form = await h.http.get(`/sandbox/signin?next=${next}`);
  if (form.status !== 200) throw new Error(`sign-in page answered ${form.status}`);
  const fields = { ...renderedForm(form.text), ...(account === undefined ? {} : { account_name: account }) };
  const res = await h.http.post('/sandbox/signin').set('Sec-Fetch-Site', 'same-origin').type('form').send(formBody(fields));
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return h.http.get(new URL(res.headers['location'] as string, h.base).pathname);
}

/** The controls page's per-session token, from its first form. */
export async function controlsToken(h: SandboxHarness): Promise<string> {
  const page = await h.http.get('/sandbox/controls');
  const token = hiddenField(page.text, 'csrf');
  if (page.status !== 200 || token === undefined) throw new Error(`no controls form (status ${page.status})`);
  return token;
}

/** Presses a demo control; returns the response (a 303 back to the controls when it worked). */
export async function pressControl(h: SandboxHarness, action: string, extra: Record<string, string> = {}) {
  const csrf = await controlsToken(h);
  return h.http.post('/sandbox/controls').set('Sec-Fetch-Site', 'same-origin').type('form').send(formBody({ csrf, action, ...extra }));
}
