import { crossFieldProblem } from './configRules.js';
import { environmentSchema, type LOG_LEVELS } from './configSchema.js';

import type { ReceiptSigning } from '../nexmo/receiptSignature.js';
import type { SignatureMethod } from '../oauth/types.js';

/** Everything the app reads from the environment, parsed and validated once at start. */
export interface Config {
  production: boolean;
  log: {
    /** LOG_LEVEL: the least severe level written (default info). */
    level: LogLevel;
    /** JSON lines in production, readable text otherwise. */
    format: 'json' | 'pretty';
  };
  port: number;
  /** PUBLIC_URL without a trailing slash; undefined → the app's own address (see publicUrlFor). */
  publicUrl: string | undefined;
  /** First signs new cookies; all verify (rotation). Undefined → one generated once and kept in the store. */
  sessionSecrets: string[] | undefined;
  /**
   * What was configured about the provider, as given. Whether that means the built-in sandbox
   * or a live provider, and at which URLs, is decided in one place: resolveProviderPlan.
   */
  provider: {
    /** NEXMO_CONSUMER_KEY and NEXMO_CONSUMER_SECRET: both set, or both undefined. */
    consumerKey: string | undefined;
    consumerSecret: string | undefined;
    /** NEXMO_OAUTH_URL with a trailing slash; undefined when not set. */
    oauthUrl: string | undefined;
    /** NEXMO_REST_URL without a trailing slash; undefined when not set. */
    restUrl: string | undefined;
    /** SANDBOX=1: the built-in sandbox is allowed when NODE_ENV=production. */
    sandboxAllowed: boolean;
  };
  oauth: {
    authPage: 'authorize' | 'authenticate';
    signatureMethod: SignatureMethod;
    timeoutMs: number;
  };
  /** Express "trust proxy" setting, when the app runs behind a reverse proxy. */
  trustProxy: string | number | boolean | undefined;
  /** Where sessions, pending logins and messages are kept. */
  store: StoreConfig;
  /** RECEIPT_KEY; undefined → generated once and kept in the store. */
  receiptKey: string | undefined;
  /** ALLOWED_HOSTS: host names trusted besides this machine's own, when PUBLIC_URL is not set. */
  allowedHosts: string[];
  /** STORE_KEY: encrypts tokens at rest; the first seals, all open. Undefined → a key file (see openStores). */
  storeKeys: string[] | undefined;
  session: {
    /** SESSION_IDLE_MINUTES: an unused session ends after this long. */
    idleMs: number;
    /** SESSION_MAX_HOURS: a connection ends after this long, however busy. */
    maxMs: number;
  };
  /** Abuse limits (see README "Configuration"); 0 turns one off. */
  limits: Limits;
  /** SMS_ALLOWED_PREFIXES: country prefixes (digits) a destination must start with; empty → any. */
  smsAllowedPrefixes: string[];
  /**
   * NEXMO_SIGNATURE_SECRET and NEXMO_SIGNATURE_METHOD (default md5hash): receipts must be signed
   * with them. Undefined → receipts are believed on the URL's key alone.
   */
  receiptSigning: ReceiptSigning | undefined;
}

export { CONFIG_VARIABLES, DEFAULT_LIMITS, LOG_LEVELS } from './configSchema.js';
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How much one client may do before it gets a 429. Each is a count; 0 means no limit. */
export interface Limits {
  /** LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: sends by one Nexmo account. */
  smsPerAccountPerMinute: number;
  /** LIMIT_SMS_PER_ADDRESS_PER_MINUTE: sends from one client address (all its sessions). */
  smsPerAddressPerMinute: number;
  /** LIMIT_SMS_PER_NUMBER_PER_HOUR: sends to one destination number, from any account. */
  smsPerNumberPerHour: number;
  /** LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: billed parts sent by one account in 24 hours. */
  smsPartsPerAccountPerDay: number;
  /** LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: login starts (each costs a request-token call). */
  loginsPerAddressPerMinute: number;
}

export type StoreConfig =
  /** The embedded default: one SQLite file, created on first start. */
  | { kind: 'sqlite'; path: string }
  /** Shared by several instances. */
  | { kind: 'redis'; url: string };

/** Invalid configuration. The message names the variable and never carries a secret's value. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. The first problem found stops it, as a ConfigError naming its
 * variable. `warn` receives notices that are not fatal (a generated session secret); they never
 * include a secret.
 */
export function loadConfig(env: Record<string, string | undefined>, warn: (line: string) => void = () => {}): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const config = parsed.data;
  const problem = crossFieldProblem(config);
  if (problem) throw new ConfigError(...problem);
  if (!config.sessionSecrets) warn('SESSION_SECRET is not set: using one generated once and kept in the store (set it when several instances share a store).');
  return config;
}
