// What a reached limit is, as a value: which limit, how far, and when it opens again. The words
// for it are present/limits.ts's; the HTTP answer (429, Retry-After) is routes/limitReached.ts's.

export type LimitKind = 'sends-per-account' | 'sends-per-address' | 'sends-per-number' | 'parts-per-account' | 'logins-per-address';

/** A limit was reached: nothing was counted and nothing was done. Carries all its page needs. */
export interface LimitRefusal {
  kind: LimitKind;
  /** The configured limit. */
  limit: number;
  /** Whole seconds (at least 1) until the limit's window ends. */
  retryAfterSeconds: number;
  /** For the parts quota: parts already used in the window, and parts this message needs. */
  parts?: { used: number; needed: number };
  /** For the per-number limit: the destination (E.164 digits) that reached it. */
  number?: string;
}

/** Whole seconds until `resetAt`, at least 1: a Retry-After never says "now" too early. */
export function secondsUntil(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}
