import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

import { projectRoot } from './paths.js';

import type { SignatureMethod } from './oauth/types.js';

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
  /** True when no consumer credentials are configured: the built-in sandbox is the provider. */
  sandbox: boolean;
  oauth: {
    consumerKey: string | undefined;
    consumerSecret: string | undefined;
    /** Base of the OAuth endpoints the server calls, with a trailing slash; undefined → the mounted sandbox. */
    baseUrl: string | undefined;
    authPage: 'authorize' | 'authenticate';
    signatureMethod: SignatureMethod;
    timeoutMs: number;
  };
  /** Express "trust proxy" setting, when the app runs behind a reverse proxy. */
  trustProxy: string | number | boolean | undefined;
  /** Base of the REST API without a trailing slash; undefined → the mounted sandbox. */
  restUrl: string | undefined;
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

/** The defaults, and why, are in README's Configuration table. */
export const DEFAULT_LIMITS: Limits = {
  smsPerAccountPerMinute: 5,
  smsPerAddressPerMinute: 20,
  smsPerNumberPerHour: 10,
  smsPartsPerAccountPerDay: 200,
  loginsPerAddressPerMinute: 10,
};

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

export const LIVE_OAUTH_URL = 'https://dashboard.nexmo.com/oauth/';
export const LIVE_REST_URL = 'https://rest.nexmo.com';

type Env = Record<string, string | undefined>;

/**
 * Parses the environment. `warn` receives notices that are not fatal (a generated session
 * secret, sandbox mode); they never include a secret.
 */
export function loadConfig(env: Env, warn: (line: string) => void = () => {}): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const production = read('NODE_ENV') === 'production';

  const port = parsePort(read('PORT'));
  const publicUrlRaw = read('PUBLIC_URL');
  const publicUrl = publicUrlRaw === undefined ? undefined : parseBaseUrl('PUBLIC_URL', publicUrlRaw).replace(/\/+$/, '');
  // In production cookies must be Secure and callbacks must not travel in clear.
  if (production && !publicUrl?.startsWith('https:')) {
    throw new ConfigError('PUBLIC_URL', publicUrl === undefined ? 'is required when NODE_ENV=production (the https address people use)' : 'must be https when NODE_ENV=production');
  }

  const consumerKey = read('NEXMO_CONSUMER_KEY');
  const consumerSecret = read('NEXMO_CONSUMER_SECRET');
  if ((consumerKey === undefined) !== (consumerSecret === undefined)) {
    const missing = consumerKey === undefined ? 'NEXMO_CONSUMER_KEY' : 'NEXMO_CONSUMER_SECRET';
    throw new ConfigError(missing, 'is required when the other of NEXMO_CONSUMER_KEY / NEXMO_CONSUMER_SECRET is set');
  }
  const sandbox = consumerKey === undefined;
  if (sandbox && production && read('SANDBOX') !== '1') {
    throw new ConfigError(
      'NEXMO_CONSUMER_KEY',
      'is not set, so the app would run against the built-in sandbox; in production set SANDBOX=1 to allow that, or configure NEXMO_CONSUMER_KEY and NEXMO_CONSUMER_SECRET',
    );
  }

  const oauthUrlRaw = read('NEXMO_OAUTH_URL');
  const restUrlRaw = read('NEXMO_REST_URL');
  const oauthBase = oauthUrlRaw === undefined ? (sandbox ? undefined : LIVE_OAUTH_URL) : parseBaseUrl('NEXMO_OAUTH_URL', oauthUrlRaw);
  const restBase = restUrlRaw === undefined ? (sandbox ? undefined : LIVE_REST_URL) : parseBaseUrl('NEXMO_REST_URL', restUrlRaw);

  const authPage = read('NEXMO_AUTH_PAGE') ?? 'authorize';
  if (authPage !== 'authorize' && authPage !== 'authenticate') {
    throw new ConfigError('NEXMO_AUTH_PAGE', 'must be "authorize" or "authenticate"');
  }
  const signatureMethod = read('OAUTH_SIGNATURE_METHOD') ?? 'HMAC-SHA1';
  if (signatureMethod !== 'HMAC-SHA1' && signatureMethod !== 'PLAINTEXT') {
    throw new ConfigError('OAUTH_SIGNATURE_METHOD', 'must be "HMAC-SHA1" or "PLAINTEXT"');
  }
  // PLAINTEXT sends the consumer secret itself in every request: only over TLS (RFC 5849 §3.4.4).
  // The sandbox's own URLs are plain http, so sandbox mode cannot use it either.
  if (signatureMethod === 'PLAINTEXT') {
    const insecure = [['NEXMO_OAUTH_URL', oauthBase], ['NEXMO_REST_URL', restBase]].find(([, url]) => url === undefined || !url.startsWith('https:'));
    if (insecure) {
      const [name, url] = insecure;
      throw new ConfigError('OAUTH_SIGNATURE_METHOD', `PLAINTEXT sends the consumer secret in clear, so it needs https, but ${name} ${url === undefined ? 'is the built-in sandbox (http)' : 'uses http'}; use HMAC-SHA1`);
    }
  }
  const timeoutMs = parseInteger('OAUTH_TIMEOUT_MS', read('OAUTH_TIMEOUT_MS') ?? '10000', 100, 120_000);

  const sessionSecrets = parseSessionSecrets(read('SESSION_SECRET'), production);
  if (!sessionSecrets) warn('SESSION_SECRET is not set: using one generated once and kept in the store (set it when several instances share a store).');
  if (sandbox) warn('SANDBOX MODE: no NEXMO_CONSUMER_KEY configured, using the built-in sandbox provider. No real SMS is sent.');

  return {
    production,
    log: { level: parseLogLevel(read('LOG_LEVEL')), format: production ? 'json' : 'pretty' },
    port,
    publicUrl,
    sessionSecrets,
    sandbox,
    oauth: {
      consumerKey,
      consumerSecret,
      baseUrl: oauthBase === undefined ? undefined : withTrailingSlash(oauthBase),
      authPage,
      signatureMethod,
      timeoutMs,
    },
    restUrl: restBase?.replace(/\/+$/, ''),
    trustProxy: parseTrustProxy(read('TRUST_PROXY')),
    store: parseStore(read('REDIS_URL'), read('SQLITE_PATH')),
    receiptKey: parseReceiptKey(read('RECEIPT_KEY')),
    storeKeys: parseStoreKeys(read('STORE_KEY'), production),
    allowedHosts: parseAllowedHosts(read('ALLOWED_HOSTS')),
    session: {
      idleMs: parseInteger('SESSION_IDLE_MINUTES', read('SESSION_IDLE_MINUTES') ?? '120', 1, 7 * 24 * 60) * 60_000,
      maxMs: parseInteger('SESSION_MAX_HOURS', read('SESSION_MAX_HOURS') ?? '24', 1, 30 * 24) * 3_600_000,
    },
    limits: parseLimits(read),
    smsAllowedPrefixes: parseAllowedPrefixes(read('SMS_ALLOWED_PREFIXES')),
  };
}

const LIMIT_VARIABLES: Record<keyof Limits, string> = {
  smsPerAccountPerMinute: 'LIMIT_SMS_PER_ACCOUNT_PER_MINUTE',
  smsPerAddressPerMinute: 'LIMIT_SMS_PER_ADDRESS_PER_MINUTE',
  smsPerNumberPerHour: 'LIMIT_SMS_PER_NUMBER_PER_HOUR',
  smsPartsPerAccountPerDay: 'LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY',
  loginsPerAddressPerMinute: 'LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE',
};

function parseLimits(read: (name: string) => string | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [field, name] of Object.entries(LIMIT_VARIABLES) as [keyof Limits, string][]) {
    const raw = read(name);
    if (raw !== undefined) limits[field] = parseInteger(name, raw, 0, 1_000_000);
  }
  return limits;
}

/** `44,353`: country prefixes of 1 to 4 digits, written with or without `+`. */
function parseAllowedPrefixes(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const prefixes = raw.split(',').map((p) => p.trim().replace(/^\+/, ''));
  if (prefixes.some((p) => !/^[1-9]\d{0,3}$/.test(p))) {
    throw new ConfigError('SMS_ALLOWED_PREFIXES', 'must be country prefixes of 1 to 4 digits separated by commas, e.g. 44,353');
  }
  return [...new Set(prefixes)];
}

/** REDIS_URL wins: set, the instances share Redis; otherwise the embedded SQLite file. */
function parseStore(redisUrl: string | undefined, sqlitePath: string | undefined): StoreConfig {
  if (redisUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(redisUrl);
    } catch {
      // Never echo the value: it may carry a password.
      throw new ConfigError('REDIS_URL', 'must be a URL such as redis://localhost:6379 or rediss://user:password@host:6380/0');
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
    if (url.hostname === '') throw new ConfigError('REDIS_URL', 'must name a host, e.g. redis://localhost:6379');
    if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d{1,2}$/.test(url.pathname)) throw new ConfigError('REDIS_URL', 'may end only with a database number, e.g. /0');
    return { kind: 'redis', url: redisUrl };
  }
  return { kind: 'sqlite', path: resolve(projectRoot, sqlitePath ?? 'data/app.db') };
}

function parseAllowedHosts(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const hosts = raw.split(',').map((host) => host.trim().toLowerCase()).filter((host) => host !== '');
  for (const host of hosts) {
    if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[?[0-9a-f:]+\]?)$/.test(host)) {
      throw new ConfigError('ALLOWED_HOSTS', 'must be host names or addresses separated by commas, without scheme or port (e.g. "demo.local,192.168.1.20")');
    }
  }
  return hosts.map((host) => host.replace(/^\[|\]$/g, ''));
}

function parseStoreKeys(raw: string | undefined, production: boolean): string[] | undefined {
  if (raw === undefined) {
    if (production) throw new ConfigError('STORE_KEY', 'is required when NODE_ENV=production (32+ random characters; it encrypts tokens at rest)');
    return undefined;
  }
  const keys = raw.split(',').map((key) => key.trim());
  if (keys.some((key) => key.length < 32)) throw new ConfigError('STORE_KEY', 'each key must be at least 32 characters (e.g. 32 random bytes in base64)');
  return keys;
}

function parseReceiptKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{24,128}$/.test(raw)) throw new ConfigError('RECEIPT_KEY', 'must be 24 to 128 letters, digits, "-" or "_" (it becomes part of a URL)');
  return raw;
}

/** `true`/`false`, a hop count, or Express's names and addresses (`loopback`, `10.0.0.0/8`, …). */
function parseTrustProxy(raw: string | undefined): string | number | boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[A-Za-z0-9.:/, ]+$/.test(raw)) throw new ConfigError('TRUST_PROXY', 'must be true, false, a number of hops, or addresses/subnets such as "loopback"');
  return raw;
}

function parseLogLevel(raw: string | undefined): LogLevel {
  const level = (raw ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  return level as LogLevel;
}

function parsePort(raw: string | undefined): number {
  return parseInteger('PORT', raw ?? '3000', 0, 65535);
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number between ${min} and ${max}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return value;
}

function parseBaseUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be an absolute http(s) URL, e.g. https://example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, 'must use http or https');
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(name, 'must not contain credentials, a query or a fragment');
  }
  return url.toString();
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function parseSessionSecrets(raw: string | undefined, production: boolean): string[] | undefined {
  if (raw === undefined) {
    if (production) throw new ConfigError('SESSION_SECRET', 'is required when NODE_ENV=production');
    return undefined;
  }
  const secrets = raw.split(',').map((s) => s.trim());
  if (secrets.some((s) => s.length === 0)) throw new ConfigError('SESSION_SECRET', 'contains an empty entry');
  if (production && secrets.some((s) => s.length < 32)) {
    throw new ConfigError('SESSION_SECRET', 'each secret must be at least 32 characters in production');
  }
  return secrets;
}

/**
 * Reads a .env file into a copy of `env` with Node's own parser (quotes, comments, `export`);
 * real environment variables win.
 */
export function withDotEnv(env: Env, file: string): Env {
  if (!existsSync(file)) return env;
  const merged: Env = { ...env };
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (merged[key] === undefined) merged[key] = value;
  }
  return merged;
}
