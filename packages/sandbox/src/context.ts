/**
 * The stores and settings every route of one sandbox shares, built once from its checked
 * options.
 */
import { Accounts, eurToUnits } from './accounts.js';
import { NonceStore } from './nonces.js';
import type { ResolvedOptions } from './options.js';
import { ReceiptSender } from './receipts.js';
import { MessageIds, Outbox } from './outbox.js';
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

export function createContext(options: ResolvedOptions): SandboxContext {
  const { now, log } = options;
  const consumerKey = options.consumerKey ?? randomToken(16);
  const consumerSecret = options.consumerSecret ?? randomToken(32);

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
    appName: options.appName,
    priceUnits: eurToUnits(options.pricePerPart),
    now,
    log,
    verifier,
    requestTokens: new RequestTokenStore(now, options.requestTokenTtlMs),
    accessTokens: new AccessTokenStore(),
    accounts: new Accounts(now, eurToUnits(options.startingBalance), options.maxRequestsPerSecond),
    outbox: new Outbox(),
    messageIds: new MessageIds(),
    // Receipts name the account by a stand-in for Nexmo's api-key, never by a credential.
    receipts: new ReceiptSender({ now, delayMs: options.receiptDelayMs, apiKey: 'sandbox', log }),
    stats: { requestTokenCalls: 0, accessTokenCalls: 0, smsCalls: 0, balanceCalls: 0 },
  };
}
