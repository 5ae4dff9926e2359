// The shape of the configuration, apart from the code that reads it (config.ts, configSchema.ts,
// configRules.ts), so those modules and the rest of the app share these types without an
// import cycle between the parser and its rules.

import type { CountryCode } from 'libphonenumber-js/max';

/** How the consumer signs (RFC 5849 §3.4); the oauth layer takes it from here, as it takes the rest of its settings. */
export type SignatureMethod = 'HMAC-SHA1' | 'PLAINTEXT';

/** How Nexmo signs delivery receipts, as chosen in its dashboard (see nexmo/receiptSignature.ts). */
export const SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;
export type ReceiptSignatureMethod = (typeof SIGNATURE_METHODS)[number];

export interface ReceiptSigning {
  /** NEXMO_SIGNATURE_SECRET: never logged, never shown. */
  secret: string;
  method: ReceiptSignatureMethod;
}

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
  /** SMS_DEFAULT_COUNTRY: the country numbers without a country code are read in; undefined ("none") → international only. */
  smsDefaultCountry: CountryCode | undefined;
  /**
   * NEXMO_SIGNATURE_SECRET and NEXMO_SIGNATURE_METHOD (default md5hash): receipts must be signed
   * with them. Undefined → receipts are believed on the URL's key alone.
   */
  receiptSigning: ReceiptSigning | undefined;
  /**
   * /metrics (Prometheus): METRICS=off turns the figures and the endpoint off. Without
   * METRICS_TOKEN only this machine may read them (loopback, not through a proxy); with it,
   * anyone who sends it as a bearer token.
   */
  metrics: { enabled: boolean; token: string | undefined };
}

/** pino's levels, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
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
