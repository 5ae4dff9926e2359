// The connection's own timeline of the OAuth 1.0a dance and the signed calls since, built from
// what the app actually sent and received (see exchangeTrace.ts). Kept in the session with the
// connection, bounded, and never logged.

import { createHash } from 'node:crypto';

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
