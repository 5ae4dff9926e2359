// Where a connection's timeline is kept, under its id (Connection.timelineId): the login's steps,
// written once when the login completes (they wait in the pending login until then, never in
// the session), and the balance reads, a capped list. The sends are not here: each send's facts
// are part of its own record, stored with its completion (see sending/send.ts), and the page
// finds them there. Bounded, and never logged.

import { randomToken } from '../lib/randomPool.js';
import type { ExchangeFacts } from './facts.js';

export type LoginStep =
  | { kind: 'request-token'; facts: ExchangeFacts }
  /** The browser sent to the provider's page; `url` with the request token masked. */
  | { kind: 'authorize'; at: number; url: string }
  /** The browser back with the request token and verifier, both masked. */
  | { kind: 'callback'; at: number; token: string; verifier: string }
  | { kind: 'access-token'; facts: ExchangeFacts };

/** How many balance reads the timeline keeps (the login's steps always stay). */
export const MAX_BALANCE_READS = 20;

/** The few key-value operations the timeline needs (the shape the stores' KV storage has). */
export interface TimelineKeyValue {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomic prepend keeping the newest `max`; ttlMs renews the whole list's lifetime. */
  pushCapped(key: string, value: string, max: number, ttlMs?: number): Promise<void>;
  /** Newest first. */
  range(key: string, limit: number): Promise<string[]>;
}

export interface TimelineStore {
  start(timelineId: string, loginSteps: readonly LoginStep[]): Promise<void>;
  /** One balance read: a call with no commit of its own, so its facts are written on their own. */
  addBalanceRead(timelineId: string, facts: ExchangeFacts): Promise<void>;
  /** The login's steps, and the last MAX_BALANCE_READS balance reads, oldest first. */
  read(timelineId: string): Promise<{ login: LoginStep[]; balanceReads: ExchangeFacts[] }>;
  forget(timelineId: string): Promise<void>;
}

export function newTimelineId(): string {
  return randomToken(16);
}

/** `ttlMs`: how long a timeline outlives its last write (as long as a connection can live). */
export function createTimelineStore(kv: TimelineKeyValue, ttlMs: number): TimelineStore {
  const loginKey = (id: string) => `trace:${id}:login`;
  const balanceKey = (id: string) => `trace:${id}:balance`;
  // A value that is not what was written (damaged, or from another version) is left out.
  const parse = (value: string | undefined): unknown => {
    try {
      return value === undefined ? undefined : JSON.parse(value);
    } catch {
      return undefined;
    }
  };
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const isFacts = (value: unknown): value is ExchangeFacts => isObject(value) && Array.isArray(value.params) && typeof value.at === 'number';
  const isLoginStep = (value: unknown): value is LoginStep =>
    isObject(value) && (value.kind === 'authorize' || value.kind === 'callback' ? typeof value.at === 'number' : (value.kind === 'request-token' || value.kind === 'access-token') && isFacts(value.facts));
  return {
    async start(timelineId, loginSteps) {
      await kv.set(loginKey(timelineId), JSON.stringify(loginSteps), ttlMs);
    },
    async addBalanceRead(timelineId, facts) {
      await kv.pushCapped(balanceKey(timelineId), JSON.stringify(facts), MAX_BALANCE_READS, ttlMs);
    },
    async read(timelineId) {
      const [login, reads] = await Promise.all([kv.get(loginKey(timelineId)), kv.range(balanceKey(timelineId), MAX_BALANCE_READS)]);
      const steps = parse(login);
      return {
        login: Array.isArray(steps) ? steps.filter(isLoginStep) : [],
        balanceReads: reads.reverse().map(parse).filter(isFacts),
      };
    },
    async forget(timelineId) {
      await Promise.all([kv.delete(loginKey(timelineId)), kv.delete(balanceKey(timelineId))]);
    },
  };
}
