/**
 * Assertions the HTTP and unit specs share, so each spec says what must (not) happen in one
 * line: which cookie a response sets, which provider endpoint was (not) called, that no secret
 * leaked. They fail with a message naming what was found instead.
 */
import { expect } from 'vitest';

// A secret leaks in the form the app writes it: raw, or percent-encoded by the app's own encoder.
import { percentEncode } from '../../src/lib/percentEncoding.js';
import type { RecordedCall } from './scriptedRest.js';

/** Anything with response headers: a supertest response, or a plain object in a unit test. */
export interface WithHeaders {
  headers: Record<string, unknown>;
}

/** Every Set-Cookie header line of a response. */
export function setCookies(res: WithHeaders): string[] {
  const header = res.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header.map(String) : [String(header)];
}

/** The response sets cookie `name` to a non-empty value; returns its `name=value` pair. */
export function shouldSetCookie(res: WithHeaders, name: string): string {
  const line = setCookies(res).find((c) => c.startsWith(`${name}=`));
  expect(line, `Set-Cookie for ${name} (got: ${JSON.stringify(setCookies(res))})`).toBeDefined();
  const pair = line!.split(';')[0]!;
  expect(pair.length, `cookie ${name} has an empty value`).toBeGreaterThan(name.length + 1);
  return pair;
}

/** The response sets no cookie at all. */
export function shouldNotSetCookie(res: WithHeaders): void {
  expect(setCookies(res), 'Set-Cookie headers').toEqual([]);
}

/** The response tells the browser to drop cookie `name`: an empty value that has already expired. */
export function shouldClearCookie(res: WithHeaders, name: string): void {
  const line = setCookies(res).find((c) => c.startsWith(`${name}=`));
  expect(line, `Set-Cookie for ${name} (got: ${JSON.stringify(setCookies(res))})`).toBeDefined();
  expect(line!.split(';')[0], `cookie ${name} is emptied`).toBe(`${name}=`);
  const expires = /;\s*expires=([^;]+)/i.exec(line!)?.[1];
  expect(expires !== undefined && Date.parse(expires) <= Date.now(), `cookie ${name} has expired (${line})`).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Calls that reached a provider

/** The provider endpoints a test counts calls to. */
export type ProviderCall = 'request_token' | 'access_token' | 'sms' | 'balance';

/** The sandbox, as far as counting goes: `stats()` counts calls that reached each endpoint. */
export interface CountingSandbox {
  stats(): { requestTokenCalls: number; accessTokenCalls: number; smsCalls: number; balanceCalls: number };
  outbox(): Promise<ReadonlyArray<unknown>>;
}

/** The scripted REST server of test/helpers/scriptedRest.ts: it records every call. */
export interface RecordingProvider {
  calls: RecordedCall[];
}

export type Provider = CountingSandbox | RecordingProvider;

const STAT: Record<ProviderCall, keyof ReturnType<CountingSandbox['stats']>> = {
  request_token: 'requestTokenCalls',
  access_token: 'accessTokenCalls',
  sms: 'smsCalls',
  balance: 'balanceCalls',
};

const PATH: Record<ProviderCall, string> = {
  request_token: '/oauth/request_token',
  access_token: '/oauth/access_token',
  sms: '/sms/json',
  balance: '/account/get-balance',
};

/** How many calls to `call` reached the provider, whatever their outcome. */
export function providerCalls(provider: Provider, call: ProviderCall): number {
  if ('stats' in provider) return provider.stats()[STAT[call]];
  return provider.calls.filter((c) => c.path === PATH[call] || c.path.endsWith(PATH[call])).length;
}

/** Exactly `times` calls to `call` reached the provider. */
export function expectProviderCalls(provider: Provider, call: ProviderCall, times: number): void {
  expect(providerCalls(provider, call), `${call} calls that reached the provider`).toBe(times);
}

/** No call to `call` reached the provider. */
export function expectNoProviderCall(provider: Provider, call: ProviderCall): void {
  expectProviderCalls(provider, call, 0);
}

/** No SMS request reached the provider, and (for the sandbox) nothing is in its outbox. */
export async function expectNoSmsSent(provider: Provider): Promise<void> {
  expectNoProviderCall(provider, 'sms');
  if ('outbox' in provider) expect(await provider.outbox(), 'messages in the sandbox outbox').toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Secrets


/** A response (its body and every header), a string, or several strings such as log lines. */
export type Inspectable = { text?: string; headers?: Record<string, unknown> } | string | readonly string[];

function textsOf(where: Inspectable): string[] {
  if (typeof where === 'string') return [where];
  if (Array.isArray(where)) return [...(where as readonly string[])];
  const res = where as { text?: string; headers?: Record<string, unknown> };
  return [res.text ?? '', JSON.stringify(res.headers ?? {})];
}

/**
 * None of `secrets` appears in `where`, neither as is nor percent-encoded. Responses are
 * searched in their body and their headers (a Location or Set-Cookie can leak as well).
 */
export function expectNoSecretIn(where: Inspectable, ...secrets: string[]): void {
  if (secrets.length === 0) throw new Error('expectNoSecretIn needs at least one secret to look for');
  for (const secret of secrets) {
    if (secret === '') throw new Error('expectNoSecretIn was given an empty secret');
    const forms = [...new Set([secret, percentEncode(secret)])];
    for (const text of textsOf(where)) {
      for (const form of forms) {
        expect(text.includes(form), `a secret (${form.slice(0, 4)}…) appears in: ${text.slice(0, 200)}`).toBe(false);
      }
    }
  }
}
