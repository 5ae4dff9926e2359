// The connection's own timeline of the OAuth 1.0a dance and the signed calls since, built from
// what the app actually sent and received (see exchangeTrace.ts). Kept in the session with the
// connection, bounded, and never logged.

import { createHash, randomBytes } from 'node:crypto';

import { maskToken, type ProtocolExchange } from './exchangeTrace.js';

export type ApiCall = 'balance' | 'send';

export type TraceStep =
  | { kind: 'request-token'; exchange: ProtocolExchange }
  | { kind: 'authorize'; at: number; url: string }
  | { kind: 'callback'; at: number; token: string; verifier: string }
  | { kind: 'access-token'; exchange: ProtocolExchange }
  | { kind: 'api'; call: ApiCall; exchange: ProtocolExchange };

/** How many signed API calls the timeline keeps (the login's steps always stay). */
export const MAX_API_STEPS = 20;

/** The first two steps of a login, kept until its callback arrives. */
export interface LoginTrace {
  /** Which request token they belong to, without keeping the token. */
  tokenHash: string;
  steps: TraceStep[];
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The authorize redirect as the page shows it: the request token masked. */
export function authorizeStep(target: URL, token: string, at: number): TraceStep {
  // Only oauth_token travels in this URL (the app adds nothing else), and it is shown masked.
  return { kind: 'authorize', at, url: `${target.origin}${target.pathname}?oauth_token=${maskToken(token)}` };
}

export function callbackStep(token: string, verifier: string, at: number): TraceStep {
  return { kind: 'callback', at, token: maskToken(token), verifier: maskToken(verifier) };
}

/** Adds a signed API call, keeping the login's steps and the last MAX_API_STEPS calls. */
export function withApiStep(trace: readonly TraceStep[] | undefined, step: TraceStep): TraceStep[] {
  const all = [...(trace ?? []), step];
  const login = all.filter((s) => s.kind !== 'api');
  const api = all.filter((s) => s.kind === 'api').slice(-MAX_API_STEPS);
  return [...login, ...api];
}

/** The few key-value operations the timeline needs (the shape the stores' KV storage has). */
export interface TraceKeyValue {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Where a connection's timeline is kept: beside the session, not in it, so the session stays
 * small (express-session hashes and rewrites the whole session whenever it changes). The login's
 * steps are written once; the signed calls are one bounded list, rewritten per call — two calls
 * finishing at the same instant may keep only one of them, which costs the page a line, nothing more.
 */
export interface TraceStore {
  start(traceId: string, loginSteps: TraceStep[]): Promise<void>;
  addApiCall(traceId: string, step: TraceStep): Promise<void>;
  read(traceId: string): Promise<TraceStep[]>;
  forget(traceId: string): Promise<void>;
}

export function newTraceId(): string {
  return randomBytes(16).toString('base64url');
}

/** `ttlMs`: how long a timeline outlives its last write (as long as a connection can live). */
export function createTraceStore(kv: TraceKeyValue, ttlMs: number): TraceStore {
  const loginKey = (id: string) => `trace:${id}:login`;
  const apiKey = (id: string) => `trace:${id}:api`;
  const parse = (value: string | undefined): TraceStep[] => {
    try {
      const steps: unknown = value === undefined ? [] : JSON.parse(value);
      return Array.isArray(steps) ? (steps as TraceStep[]) : [];
    } catch {
      return [];
    }
  };
  return {
    async start(traceId, loginSteps) {
      await kv.set(loginKey(traceId), JSON.stringify(loginSteps), ttlMs);
    },
    async addApiCall(traceId, step) {
      const calls = withApiStep(parse(await kv.get(apiKey(traceId))), step);
      await kv.set(apiKey(traceId), JSON.stringify(calls), ttlMs);
    },
    async read(traceId) {
      const [login, api] = await Promise.all([kv.get(loginKey(traceId)), kv.get(apiKey(traceId))]);
      return [...parse(login), ...parse(api)];
    },
    async forget(traceId) {
      await Promise.all([kv.delete(loginKey(traceId)), kv.delete(apiKey(traceId))]);
    },
  };
}
