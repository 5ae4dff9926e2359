// The limits a send is counted against. They are not counted here: each send's counters go to
// the store with its reservation (MessageStore.reserve), which checks and counts them all and
// stores the send in one atomic step, so a refused send counts nothing and needs no undoing.
// A send the provider then refused gives its counts back with its completion (SendRelease).
import type { Limits } from '../config/config.js';
import type { ReserveAnswer, SendCounter } from '../store/types.js';
import { secondsUntil, type LimitKind, type LimitRefusal } from './refusal.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What one send is counted against. */
export interface SendSubject {
  /** The Nexmo account (see accountKeyOf). */
  account: string;
  /** The client's address, as the per-address limit counts it (see http/clientAddress.ts). */
  address: string;
  /** The validated destination, E.164 digits. */
  to: string;
  /** Billed parts of the text. */
  parts: number;
}

export interface KindedCounter extends SendCounter {
  kind: LimitKind;
}

export interface SendCounters {
  /** The counters of one valid send, in the order they are checked; a limit of 0 has none. */
  countersFor(subject: SendSubject): KindedCounter[];
  /** The store's refusal of `counters`, as the value the pages say. */
  refusal(counters: readonly KindedCounter[], answer: Extract<ReserveAnswer, { kind: 'refused' }>, now: number, subject: SendSubject): LimitRefusal;
}

export interface SendCounterOptions {
  /**
   * Destinations no limit counts: the sandbox's test numbers, which reach nobody's phone and
   * cost nothing. A room touring the demo sends to each of them in turn, often to the same one;
   * the sandbox keeps its own throttle (30 a second) for them. Empty in live mode.
   */
  exempt?: ReadonlySet<string>;
}

export function createSendCounters(limits: Limits, options: SendCounterOptions = {}): SendCounters {
  const exempt = options.exempt ?? new Set<string>();
  return {
    countersFor(subject) {
      if (exempt.has(subject.to)) return [];
      const all: (KindedCounter | false)[] = [
        limits.smsPerAccountPerMinute > 0 && { kind: 'sends-per-account', key: `sends-per-account:${subject.account}`, amount: 1, limit: limits.smsPerAccountPerMinute, windowMs: MINUTE },
        limits.smsPerAddressPerMinute > 0 && { kind: 'sends-per-address', key: `sends-per-address:${subject.address}`, amount: 1, limit: limits.smsPerAddressPerMinute, windowMs: MINUTE },
        limits.smsPerNumberPerHour > 0 && { kind: 'sends-per-number', key: `sends-per-number:${subject.to}`, amount: 1, limit: limits.smsPerNumberPerHour, windowMs: HOUR },
        limits.smsPartsPerAccountPerDay > 0 && { kind: 'parts-per-account', key: `parts:${subject.account}`, amount: subject.parts, limit: limits.smsPartsPerAccountPerDay, windowMs: DAY },
      ];
      return all.filter((c): c is KindedCounter => c !== false);
    },
    refusal(counters, answer, now, subject) {
      const counter = counters[answer.index];
      if (!counter) throw new Error(`the store refused counter ${answer.index} of ${counters.length}`);
      return {
        kind: counter.kind,
        limit: counter.limit,
        retryAfterSeconds: secondsUntil(answer.resetAt, now),
        ...(counter.kind === 'parts-per-account' ? { parts: { used: answer.used, needed: subject.parts } } : {}),
        ...(counter.kind === 'sends-per-number' ? { number: subject.to } : {}),
      };
    },
  };
}
