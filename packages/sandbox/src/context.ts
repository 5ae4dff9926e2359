/**
 * The stores and settings every route of one sandbox shares, built once from its checked
 * options. Everything that must survive a restart or be seen by other instances goes through
 * the storage (storage.ts); only per-process counters, the per-second throttle, pending
 * delivery receipts and calls being held (delays.ts) stay in memory.
 */
import { AccountNames } from './accountNames.js';
import { Accounts, Throttle, eurToUnits } from './accounts.js';
import { Breaks } from './breaks.js';
import { JudgingClock } from './clock.js';
import { Delays } from './delays.js';
import { NonceStore } from './nonces.js';
import type { ResolvedOptions } from './options.js';
import { ReceiptSender } from './receipts.js';
import { MessageIds, Outbox } from './outbox.js';
import { SandboxSessions } from './sessions.js';
import { createMemoryStorage } from './storage.js';
import type { SandboxStorage } from './storage.js';
import { AccessTokenStore, RequestTokenStore, randomToken } from './tokens.js';
import { OAuthVerifier, TIMESTAMP_WINDOW_SECONDS } from './verifier.js';

export interface Stats {
  requestTokenCalls: number;
  accessTokenCalls: number;
  smsCalls: number;
  balanceCalls: number;
}

export interface SandboxContext {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly appName: string;
  readonly priceUnits: number;
  /** Sends one access token may make in any one second (the throttle's limit). */
  readonly maxRequestsPerSecond: number;
  readonly now: () => number;
  readonly log: (line: string) => void;
  readonly verifier: OAuthVerifier;
  readonly requestTokens: RequestTokenStore;
  readonly accessTokens: AccessTokenStore;
  readonly accounts: Accounts;
  /** Fresh names for people who have not picked an account, and the names already chosen. */
  readonly accountNames: AccountNames;
  readonly throttle: Throttle;
  readonly outbox: Outbox;
  readonly messageIds: MessageIds;
  readonly receipts: ReceiptSender;
  /** Who is signed in to the outbox and the demo controls. */
  readonly sessions: SandboxSessions;
  /** Calls armed slow or stalled on the demo controls. */
  readonly delays: Delays;
  /** What time request timestamps are judged by, per account (moved by the demo controls). */
  readonly clock: JudgingClock;
  /** Break-it switches armed on the demo controls: the next signed call refused on purpose. */
  readonly breaks: Breaks;
  /** The app the sandbox is mounted in, for links back to it. */
  readonly hostApp: ResolvedOptions['hostApp'];
  /** Calls this process answered. */
  readonly stats: Stats;
}

const CONSUMER = 'sandbox:consumer';

export async function createContext(options: ResolvedOptions): Promise<SandboxContext> {
  const { now, log } = options;
  const storage = options.storage ?? createMemoryStorage({ now });
  const { consumerKey, consumerSecret } = await consumerCredentials(options, storage);

  const nonces = new NonceStore(storage, now, TIMESTAMP_WINDOW_SECONDS * 1000);
  const clock = new JudgingClock(storage, now);
  const breaks = new Breaks(storage);
  const verifier = new OAuthVerifier({
    // One registered client: the app (or any client given the printed credentials).
    consumerSecret: (key) => (key === consumerKey ? consumerSecret : undefined),
    nonces,
    now: (account) => clock.judgingNow(account),
    takeBreak: (account) => breaks.take(account),
  });
  const messageIds = new MessageIds(storage);
  await messageIds.init();
  return {
    consumerKey,
    consumerSecret,
    appName: options.appName,
    priceUnits: eurToUnits(options.pricePerPart),
    maxRequestsPerSecond: options.maxRequestsPerSecond,
    now,
    log,
    verifier,
    requestTokens: new RequestTokenStore(storage, now, options.requestTokenTtlMs),
    accessTokens: new AccessTokenStore(storage),
    accounts: new Accounts(storage, eurToUnits(options.startingBalance)),
    accountNames: new AccountNames(storage),
    throttle: new Throttle(now, options.maxRequestsPerSecond),
    outbox: new Outbox(storage),
    messageIds,
    // Receipts name the account by a stand-in for Nexmo's api-key, never by a credential.
    receipts: new ReceiptSender({ now, delayMs: options.receiptDelayMs, apiKey: 'sandbox', signature: options.receiptSignature, log }),
    sessions: new SandboxSessions(storage),
    delays: new Delays(storage, { slowMs: options.slowCallMs, stallLimitMs: options.stalledCallLimitMs, log }),
    clock,
    breaks,
    hostApp: options.hostApp,
    stats: { requestTokenCalls: 0, accessTokenCalls: 0, smsCalls: 0, balanceCalls: 0 },
  };
}

/**
 * The credentials given in the options, or the ones this storage was given the first time a
 * sandbox started on it: generated once, so they survive restarts and every instance sharing
 * the storage agrees on them.
 */
async function consumerCredentials(
  options: ResolvedOptions,
  storage: SandboxStorage,
): Promise<{ consumerKey: string; consumerSecret: string }> {
  if (options.consumerKey !== undefined && options.consumerSecret !== undefined) {
    return { consumerKey: options.consumerKey, consumerSecret: options.consumerSecret };
  }
  await storage.setIfAbsent(CONSUMER, JSON.stringify({ key: randomToken(16), secret: randomToken(32) }));
  const stored = JSON.parse((await storage.get(CONSUMER)) as string) as { key: string; secret: string };
  return { consumerKey: options.consumerKey ?? stored.key, consumerSecret: options.consumerSecret ?? stored.secret };
}
