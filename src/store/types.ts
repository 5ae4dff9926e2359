// What the app keeps, behind one set of interfaces with three backends: memory (unit tests),
// SQLite (the embedded default) and Redis (shared by several instances).

import type { SandboxStorage } from '@nexmo-oauth/sandbox';
import type { Store as RateLimitStore } from 'express-rate-limit';
import type session from 'express-session';

import type { Receipt } from '../nexmo/receipts.js';
import type { RefusedOutcome, SendOutcome, SmsRequest } from '../nexmo/types.js';
import type { PendingLoginStore } from '../oauth/pendingLogin.js';
import type { ExchangeFacts } from '../timeline/facts.js';
import type { TimelineKeyValue } from '../timeline/store.js';

/**
 * Where a stored send stands. `sending`: reserved and written before the provider was called,
 * not yet completed by its reply (in flight, or the app stopped while sending). `interrupted`
 * is never stored: it is how a `sending` record older than the call timeout is read (see
 * settleRecord), since no reply can arrive for it any more.
 */
export type RecordOutcome = SendOutcome | RefusedOutcome | { kind: 'sending' } | { kind: 'interrupted' };

/** One press of "Send": what was asked, what Nexmo answered, and the receipts since. */
export interface SendRecord {
  id: string;
  /** The Nexmo account that sent it (see accountKeyOf); only that account may see it. */
  account: string;
  createdAt: number;
  request: SmsRequest;
  outcome: RecordOutcome;
  /** Latest receipt per message-id, filled in when the record is read. */
  receipts: Record<string, Receipt>;
  /** The signed call that sent it, for its connection's timeline ("How it works"). */
  call?: RecordedCall;
}

/** A send's signed call as the timeline keeps it: stored with the send's completion. */
export interface RecordedCall {
  /** The connection's timeline it belongs to (Connection.timelineId). */
  timeline: string;
  facts: ExchangeFacts;
}

export interface MessagePage {
  records: SendRecord[];
  /** All of the account's records, for paging. */
  total: number;
}

/** One counter a send is checked and counted against, in the same step as its reservation. */
export interface SendCounter {
  /** Names the counter (the limit and what it counts: `sends-per-account:<account>`). */
  key: string;
  /** What this send adds: 1 for a request count, the billed parts for the parts quota. */
  amount: number;
  limit: number;
  /** The window starts at the counter's first add (by the reservation's clock) and lasts this long. */
  windowMs: number;
}

/**
 * The same browser sending the same text to the same number again within a few minutes (Back,
 * then Send, after the browser refilled the form): the reservation answers `repeat` instead of
 * reserving, unless the form is the deliberate "Send it again" of that very send.
 */
export interface RepeatGuard {
  /** Names the account, the browser, the recipient and the text (see repeatKeyOf); no text in clear. */
  key: string;
  /** How long a send counts as recent (by the reservation's clock). */
  windowMs: number;
  /** The send this form deliberately repeats ("Send it again"): a match on that send is no repeat. */
  again?: string;
}

/** One send to reserve: the record as `sending` (createdAt is "now" for the counters too). */
export interface SendReservation {
  record: Omit<SendRecord, 'receipts' | 'outcome'>;
  counters: readonly SendCounter[];
  repeat?: RepeatGuard;
}

/**
 * What a send that reached nobody gives back at its completion (the provider refused it, so
 * nothing was sent or charged): its counts, taken back from each counter whose window it was
 * counted in, and its place as the browser's recent send, so the same text can be sent again.
 */
export interface SendRelease {
  counters: readonly SendCounter[];
  repeatKey?: string;
}

export interface CompletionExtras {
  /** Only for a send that reached nobody (see SendRelease). */
  release?: SendRelease;
}

export type ReserveAnswer =
  /** Every counter counted and the record stored as `sending`: call the provider. */
  | { kind: 'reserved' }
  /** A record with this id exists already (the same form sent again): nothing was done. */
  | { kind: 'duplicate'; account: string }
  /** This browser sent the same text to the same number at `at` (send `of`): nothing was done. */
  | { kind: 'repeat'; of: string; at: number }
  /** `counters[index]` would pass its limit: nothing was counted or stored. */
  | { kind: 'refused'; index: number; used: number; resetAt: number };

export interface MessageStore {
  /** Stores a send; receipts that arrived before it (for its message-ids) apply at once. */
  add(record: Omit<SendRecord, 'receipts'>): Promise<void>;
  /**
   * In one atomic step (one transaction, one script): checks that no record has this id, that
   * the repeat guard finds no recent send of the same text, and every counter; then counts them
   * all, notes the send as the guard's recent one and stores the record as `sending`. Concurrent
   * callers in any number of instances sharing the store get one `reserved` per id and per
   * repeat key, and never pass a limit.
   */
  reserve(reservation: SendReservation): Promise<ReserveAnswer>;
  /**
   * Replaces a reserved record with its completion (the provider's answer, and the signed call's
   * facts for the timeline, both part of the record) and, for a send that reached nobody, gives
   * back what it took (`extras.release`), in one commit (Redis: the release is a second script).
   */
  complete(record: Omit<SendRecord, 'receipts'>, extras?: CompletionExtras): Promise<void>;
  /** The record with its receipts, if it exists and belongs to `account`. */
  get(id: string, account: string): Promise<SendRecord | undefined>;
  /** The account's records, newest first. */
  list(account: string, page: { offset: number; limit: number }): Promise<MessagePage>;
  /**
   * Keeps a receipt for its message-id. Idempotent, and a final status is never replaced by a
   * later non-final one (receipts can arrive out of order). `known` says whether a stored send
   * holds that message-id; an unknown one is kept for a while in case its send is stored later.
   * A receipt whose client-ref names a stored send is that send's, even before (or without) the
   * provider's reply: a send still `sending` when the app stopped is completed this way.
   */
  applyReceipt(receipt: Receipt): Promise<{ known: boolean }>;
}

/** Small values the app generates once and keeps (the receipt URL key). */
export interface SettingsStore {
  /** The stored value, or `create()` stored and returned; concurrent callers all get the same one. */
  getOrCreate(name: string, create: () => string): Promise<string>;
}

/** The app's own key-value records: a timeline's values and lists, claims taken once, and counters. */
export interface AppRecords extends TimelineKeyValue {
  /** Sets only when absent (or expired); true when it did. Atomic across instances sharing the store. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /**
   * Adds to a counter (missing = 0) and returns its new value, atomically across instances; with
   * ttlMs the counter disappears that long after this add (`by` 0 only renews it). A counter key
   * is written by incrBy alone; `get` reads it as the decimal number. Stored unsealed: a count.
   */
  incrBy(key: string, by: number, ttlMs?: number): Promise<number>;
}

export interface AppStores {
  kind: 'memory' | 'sqlite' | 'redis';
  sessions: session.Store;
  pendingLogins: PendingLoginStore;
  messages: MessageStore;
  settings: SettingsStore;
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  /** The sandbox provider's state (tokens, balances, outbox), kept beside the app's own. */
  sandbox: SandboxStorage;
  /** Key-value records of the app's own that need nothing more (timelines, the balance shown). */
  records: AppRecords;
  /**
   * A new express-rate-limit store for one limiter (a store must not serve two), its counters
   * kept under `prefix` and shared as this backend is: by every instance on SQLite's file or
   * Redis, by nobody in memory.
   */
  rateLimitStore(prefix: string): RateLimitStore;
  close(): Promise<void>;
}

/** The store could not be reached (Redis down, disk gone): requests that need it get a 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** How long a receipt whose send is unknown is kept, waiting for that send to be stored. */
export const ORPHAN_RECEIPT_TTL_MS = 24 * 60 * 60 * 1000;
