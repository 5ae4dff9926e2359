/**
 * Options checked once, when the sandbox is created (a typo fails loudly at start-up, naming
 * the option), and the stores every route shares.
 */
import { Accounts, eurToUnits } from './accounts.js';
import { NonceStore } from './nonces.js';
import { ReceiptSender } from './receipts.js';
import { MessageIds, Outbox } from './outbox.js';
import { AccessTokenStore, RequestTokenStore, randomToken } from './tokens.js';
import { OAuthVerifier, TIMESTAMP_WINDOW_SECONDS } from './verifier.js';

export interface SandboxOptions {
  /** ms clock, injectable for tests (default Date.now). */
  now?: () => number;
  /** Default: random per process. */
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
  /** How long after acceptance each part's delivery receipt is sent (default 1500 ms). */
  receiptDelayMs?: number;
  /** Never given secrets, tokens or message text. */
  log?: (line: string) => void;
}

export interface Stats {
  requestTokenCalls: number;
  accessTokenCalls: number;
  smsCalls: number;
  balanceCalls: number;
}

export interface SandboxState {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly appName: string;
  readonly priceUnits: number;
  readonly now: () => number;
  readonly log: (line: string) => void;
  readonly verifier: OAuthVerifier;
  readonly requestTokens: RequestTokenStore;
  readonly accessTokens: AccessTokenStore;
  readonly accounts: Accounts;
  readonly outbox: Outbox;
  readonly messageIds: MessageIds;
  readonly receipts: ReceiptSender;
  readonly stats: Stats;
}

/** The username returned with every access token: the sandbox has a single demo user. */
export const SANDBOX_USERNAME = 'sandbox-demo';

export function createState(options: SandboxOptions = {}): SandboxState {
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('sandbox option "now" must be a function');
  const consumerKey = optionalText(options.consumerKey, 'consumerKey') ?? randomToken(16);
  const consumerSecret = optionalText(options.consumerSecret, 'consumerSecret') ?? randomToken(32);
  const appName = optionalText(options.appName, 'appName') ?? 'Nexmo SMS demo';
  const ttl = positive(options.requestTokenTtlMs, 'requestTokenTtlMs', 10 * 60 * 1000);
  const startingBalance = nonNegative(options.startingBalance, 'startingBalance', 10);
  const price = nonNegative(options.pricePerPart, 'pricePerPart', 0.0333);
  const maxPerSecond = positive(options.maxRequestsPerSecond, 'maxRequestsPerSecond', 30);
  if (!Number.isInteger(maxPerSecond)) throw new RangeError('sandbox option "maxRequestsPerSecond" must be an integer');
  const log = options.log ?? (() => {});
  const receiptDelayMs = nonNegative(options.receiptDelayMs, 'receiptDelayMs', 1500);

  const nonces = new NonceStore(now, TIMESTAMP_WINDOW_SECONDS * 1000);
  const verifier = new OAuthVerifier({
    // One registered client: the app (or any client given the printed credentials).
    consumerSecret: (key) => (key === consumerKey ? consumerSecret : undefined),
    nonces,
    now,
  });
  return {
    consumerKey,
    consumerSecret,
    appName,
    priceUnits: eurToUnits(price),
    now,
    log,
    verifier,
    requestTokens: new RequestTokenStore(now, ttl),
    accessTokens: new AccessTokenStore(),
    accounts: new Accounts(now, eurToUnits(startingBalance), maxPerSecond),
    outbox: new Outbox(),
    messageIds: new MessageIds(),
    // Receipts name the account by a stand-in for Nexmo's api-key, never by a credential.
    receipts: new ReceiptSender({ now, delayMs: receiptDelayMs, apiKey: 'sandbox', log }),
    stats: { requestTokenCalls: 0, accessTokenCalls: 0, smsCalls: 0, balanceCalls: 0 },
  };
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
