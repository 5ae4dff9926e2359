import { RECEIPT_SIGNATURE_METHODS, type ReceiptSignature } from './receiptSigning.js';
import type { SandboxStorage } from './storage.js';

/**
 * The options a sandbox is created with, checked once (a typo fails loudly at start-up, naming
 * the option) and resolved to their defaults.
 */

export interface SandboxOptions {
  /** ms clock, injectable for tests (default Date.now). */
  now?: () => number;
  /**
   * Where tokens, nonces, balances, the outbox and generated credentials are kept (default: in
   * this process's memory, see createMemoryStorage).
   */
  storage?: SandboxStorage;
  /** Default: generated once and kept in the storage. */
  consumerKey?: string;
  consumerSecret?: string;
  /** Shown on the consent page. */
  appName?: string;
  requestTokenTtlMs?: number;
  /** EUR. */
  startingBalance?: number;
  /** EUR per SMS part. */
  pricePerPart?: number;
  /** Per access token; beyond it /sms/json answers status 1 (throttled). */
  maxRequestsPerSecond?: number;
  /**
   * The pace of delivery receipts (default 1500 ms): each part's `accepted` receipt is sent this
   * long after the message was accepted, and its final receipt as long again later (see
   * receipts.ts for the test numbers that take longer).
   */
  receiptDelayMs?: number;
  /**
   * Sign every delivery receipt (timestamp, nonce, sig) with this signature secret and method,
   * as Nexmo does for accounts that turn signing on. Default: receipts are not signed.
   */
  receiptSignature?: ReceiptSignature;
  /** Never given secrets, tokens or message text. */
  log?: (line: string) => void;
  /**
   * The app this sandbox is mounted in, for links back to it from the outbox and the demo
   * controls (none by default: a standalone sandbox has no app). `home` is its start page and
   * `smsForm` its "send an SMS" form, which the test numbers link to as `<smsForm>?to=<digits>`.
   * Each is a path on the same host ("/", "/sms") or an absolute http(s) URL. `limitsNote` says
   * which of the app's own limits apply to sends to the test numbers (the sandbox cannot know
   * them); the demo controls show it beside the test numbers, as plain text.
   */
  hostApp?: { home: string; smsForm?: string; limitsNote?: string };
  /** How long a call armed "slow" on the demo controls waits before answering (default 3000 ms). */
  slowCallMs?: number;
  /**
   * How long a call armed "time out" is held at most when the client does not give up first
   * (default 60 000 ms; keep it above the client's own timeout).
   */
  stalledCallLimitMs?: number;
}

/** Every option checked, with its default filled in; consumer credentials stay optional. */
export interface ResolvedOptions {
  readonly now: () => number;
  /** Undefined: a memory storage on `now`. */
  readonly storage: SandboxStorage | undefined;
  readonly consumerKey: string | undefined;
  readonly consumerSecret: string | undefined;
  readonly appName: string;
  readonly requestTokenTtlMs: number;
  readonly startingBalance: number;
  readonly pricePerPart: number;
  readonly maxRequestsPerSecond: number;
  readonly receiptDelayMs: number;
  readonly receiptSignature: ReceiptSignature | undefined;
  readonly log: (line: string) => void;
  readonly hostApp: { readonly home: string; readonly smsForm: string | undefined; readonly limitsNote: string | undefined } | undefined;
  readonly slowCallMs: number;
  readonly stalledCallLimitMs: number;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('sandbox option "now" must be a function');
  const storage = options.storage;
  if (storage !== undefined && !isStorage(storage)) {
    throw new TypeError(`sandbox option "storage" must implement SandboxStorage (${STORAGE_METHODS.join(', ')})`);
  }
  const consumerKey = optionalText(options.consumerKey, 'consumerKey');
  const consumerSecret = optionalText(options.consumerSecret, 'consumerSecret');
  const appName = optionalText(options.appName, 'appName') ?? 'Nexmo SMS demo';
  const requestTokenTtlMs = positive(options.requestTokenTtlMs, 'requestTokenTtlMs', 10 * 60 * 1000);
  const startingBalance = nonNegative(options.startingBalance, 'startingBalance', 10);
  const pricePerPart = nonNegative(options.pricePerPart, 'pricePerPart', 0.0333);
  const maxRequestsPerSecond = positive(options.maxRequestsPerSecond, 'maxRequestsPerSecond', 30);
  if (!Number.isInteger(maxRequestsPerSecond)) throw new RangeError('sandbox option "maxRequestsPerSecond" must be an integer');
  const log = options.log ?? (() => {});
  const receiptDelayMs = nonNegative(options.receiptDelayMs, 'receiptDelayMs', 1500);
  const receiptSignature = receiptSignatureOption(options.receiptSignature);
  const hostApp = hostAppOption(options.hostApp);
  const slowCallMs = positive(options.slowCallMs, 'slowCallMs', 3000);
  const stalledCallLimitMs = positive(options.stalledCallLimitMs, 'stalledCallLimitMs', 60_000);
  return {
    now,
    storage,
    consumerKey,
    consumerSecret,
    appName,
    requestTokenTtlMs,
    startingBalance,
    pricePerPart,
    maxRequestsPerSecond,
    receiptDelayMs,
    receiptSignature,
    log,
    hostApp,
    slowCallMs,
    stalledCallLimitMs,
  };
}

function receiptSignatureOption(value: SandboxOptions['receiptSignature']): ResolvedOptions['receiptSignature'] {
  if (value === undefined) return undefined;
  const fail = (what: string) => new TypeError(`sandbox option "receiptSignature" ${what}`);
  if (typeof value !== 'object' || value === null) throw fail('must be an object: { secret, method }');
  // The message describes the secret; it never repeats it.
  if (typeof value.secret !== 'string' || value.secret === '' || value.secret.length > 256) throw fail('needs a secret of 1 to 256 characters');
  if (!(RECEIPT_SIGNATURE_METHODS as readonly string[]).includes(value.method)) throw fail(`needs a method: one of ${RECEIPT_SIGNATURE_METHODS.join(', ')}`);
  return { secret: value.secret, method: value.method };
}

function hostAppOption(value: SandboxOptions['hostApp']): ResolvedOptions['hostApp'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new TypeError('sandbox option "hostApp" must be an object: { home, smsForm?, limitsNote? }');
  const home = link(value.home, 'hostApp.home');
  const smsForm = value.smsForm === undefined ? undefined : link(value.smsForm, 'hostApp.smsForm');
  if (smsForm !== undefined && /[?#]/.test(smsForm)) throw new TypeError('sandbox option "hostApp.smsForm" must not carry a query or fragment');
  return { home, smsForm, limitsNote: note(value.limitsNote, 'hostApp.limitsNote') };
}

/** A sentence or two shown as it is written (escaped): one paragraph, at most 500 characters. */
function note(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new TypeError(`sandbox option "${name}" must be a non-empty single-line string of at most 500 characters`);
  }
  return value.trim();
}

/** A path on this host ("/sms", never "//elsewhere") or an absolute http(s) URL. */
function link(value: string, name: string): string {
  const fail = () => new TypeError(`sandbox option "${name}" must be a path starting with "/" or an absolute http(s) URL`);
  if (typeof value !== 'string' || value.length > 2048 || /[\u0000-\u0020\u007f\\]/.test(value)) throw fail();
  if (value.startsWith('/')) {
    if (value.startsWith('//')) throw fail();
    return value;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail();
  } catch {
    throw fail();
  }
  return value;
}

const STORAGE_METHODS = ['get', 'set', 'setIfAbsent', 'take', 'delete', 'incrBy', 'pushCapped', 'range'] as const;

function isStorage(value: unknown): value is SandboxStorage {
  return (
    typeof value === 'object' &&
    value !== null &&
    STORAGE_METHODS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  );
}

function optionalText(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new TypeError(`sandbox option "${name}" must be a non-empty single-line string of at most 200 characters`);
  }
  return value;
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`sandbox option "${name}" must be a positive number`);
  }
  return value;
}

function nonNegative(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`sandbox option "${name}" must be a number of at least 0`);
  }
  return value;
}
