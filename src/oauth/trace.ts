// The connection's own timeline of the OAuth 1.0a dance and the signed calls since, built from
// what the app actually sent and received (see exchangeTrace.ts). Kept in the store beside the
// session, bounded, and never logged.

import { createHash } from 'node:crypto';

import { randomToken } from '../lib/randomPool.js';

import { maskToken } from '../logging/redaction.js';
import type { ProtocolExchange } from './exchangeTrace.js';

export type ApiCall = 'balance' | 'send';

export type TraceStep =
  | { kind: 'request-token'; exchange: ProtocolExchange }
  | { kind: 'authorize'; at: number; url: string }
  | { kind: 'callback'; at: number; token: string; verifier: string }
  | { kind: 'access-token'; exchange: ProtocolExchange }
  | { kind: 'api'; call: ApiCall; exchange: ProtocolExchange };

/** How many signed API calls of each kind the timeline keeps (the login's steps always stay). */
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

/** The few key-value operations the timeline needs (the shape the stores' KV storage has). */
export interface TraceKeyValue {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomic prepend keeping the newest `max`; ttlMs renews the whole list's lifetime. */
  pushCapped(key: string, value: string, max: number, ttlMs?: number): Promise<void>;
  /** Newest first. */
  range(key: string, limit: number): Promise<string[]>;
}

/**
 * Where a connection's timeline is kept: beside the session, not in it, so the session stays
 * small. The login's steps are one value, written once. The signed calls are capped lists:
 * adding one is a single atomic push of that call alone (never a rewrite of the others), so
 * calls finishing at the same moment all stay, and only the last MAX_API_STEPS are kept. Sends
 * and balance reads have a list each: the SMS form reads the balance every time it loads, and
 * those reads must never push the sends out of the timeline.
 */
export interface TraceStore {
  start(traceId: string, loginSteps: TraceStep[]): Promise<void>;
  addApiCall(traceId: string, step: TraceStep): Promise<void>;
  /**
   * The same entry as addApiCall would add, not written: for a store step that writes it with
   * something else (a send's completion), so that both are one commit.
   */
  apiCallEntry(traceId: string, step: TraceStep): { name: string; value: string; max: number; ttlMs: number };
  /** The login's steps, then the last MAX_API_STEPS calls of each kind, oldest first. */
  read(traceId: string): Promise<TraceStep[]>;
  forget(traceId: string): Promise<void>;
}

export function newTraceId(): string {
  return randomToken(16);
}

/** `ttlMs`: how long a timeline outlives its last write (as long as a connection can live). */
export function createTraceStore(kv: TraceKeyValue, ttlMs: number): TraceStore {
  const loginKey = (id: string) => `trace:${id}:login`;
  const callsKey = (id: string) => `trace:${id}:calls`;
  const balanceKey = (id: string) => `trace:${id}:balance`;
  const keyFor = (id: string, step: TraceStep) => (step.kind === 'api' && step.call === 'balance' ? balanceKey(id) : callsKey(id));
  const calledAt = (step: TraceStep) => {
    const at = (step as { exchange?: { at?: unknown } }).exchange?.at;
    return typeof at === 'number' ? at : 0;
  };
  // A value that is not what was written (damaged, or from another version) is left out.
  const parse = (value: string | undefined): unknown => {
    try {
      return value === undefined ? undefined : JSON.parse(value);
    } catch {
      return undefined;
    }
  };
  const isStep = (value: unknown): value is TraceStep => typeof value === 'object' && value !== null && !Array.isArray(value);
  return {
    async start(traceId, loginSteps) {
      await kv.set(loginKey(traceId), JSON.stringify(loginSteps), ttlMs);
    },
    async addApiCall(traceId, step) {
      await kv.pushCapped(keyFor(traceId, step), JSON.stringify(step), MAX_API_STEPS, ttlMs);
    },
    apiCallEntry(traceId, step) {
      return { name: keyFor(traceId, step), value: JSON.stringify(step), max: MAX_API_STEPS, ttlMs };
    },
    async read(traceId) {
      const [login, sends, balances] = await Promise.all([
        kv.get(loginKey(traceId)),
        kv.range(callsKey(traceId), MAX_API_STEPS),
        kv.range(balanceKey(traceId), MAX_API_STEPS),
      ]);
      const loginSteps = parse(login);
      // Each list is newest first; together, in the order the calls were made (a stable sort
      // keeps each list's own order for calls made in the same millisecond).
      const calls = [...sends.reverse(), ...balances.reverse()].map(parse).filter(isStep);
      calls.sort((a, b) => calledAt(a) - calledAt(b));
      return [...(Array.isArray(loginSteps) ? loginSteps.filter(isStep) : []), ...calls];
    },
    async forget(traceId) {
      await Promise.all([kv.delete(loginKey(traceId)), kv.delete(callsKey(traceId)), kv.delete(balanceKey(traceId))]);
    },
  };
}
