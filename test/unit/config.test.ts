import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { CONFIG_VARIABLES, ConfigError, DEFAULT_LIMITS, loadConfig, type Config } from '../../src/config/config.js';
import { withDotEnv } from '../../src/config/dotEnv.js';
import { projectRoot } from '../../src/config/paths.js';

// The configuration as each variable's schema reads it, and the rules across variables. Which
// provider that means (sandbox or live, its URLs, PLAINTEXT, SANDBOX=1) is provider.test.ts's.

const SECRET = 'a-consumer-secret-that-must-never-be-printed';
const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', SESSION_SECRET: 'x'.repeat(40), STORE_KEY: 'k'.repeat(32) };

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${Object.keys(env).join(', ')}`);
}

/** The error names `variable`, first, and says `problem` about it. */
function expectRefused(env: Record<string, string>, variable: string, problem: string | RegExp): ConfigError {
  const err = failure(env);
  expect(err.variable).toBe(variable);
  expect(err.message.startsWith(`${variable}: `)).toBe(true);
  if (typeof problem === 'string') expect(err.message).toBe(`${variable}: ${problem}`);
  else expect(err.message).toMatch(problem);
  return err;
}

describe('the metrics settings', () => {
  it('are on and open to this machine only by default; METRICS=off turns them off; METRICS_TOKEN opens them to its bearer', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ METRICS: 'off' }).metrics).toEqual({ enabled: false, token: undefined });
    const token = 'scrape-token-0123456789abcdef';
    expect(loadConfig({ METRICS_TOKEN: token }).metrics).toEqual({ enabled: true, token });
  });

  it('refuse a token too short to keep a secret, without quoting it', () => {
    const err = expectRefused({ METRICS_TOKEN: 'short-token' }, 'METRICS_TOKEN', /^METRICS_TOKEN: must be 24 to 256 characters/);
    expect(err.message).not.toContain('short-token');
    expectRefused({ METRICS: 'yes' }, 'METRICS', 'must be "on" or "off"');
  });
});

describe('configuration defaults', () => {
  it('with nothing set, is every default, and warns only that the session secret is generated', () => {
    const warnings: string[] = [];
    const config = loadConfig({}, (w) => warnings.push(w));
    expect(config).toEqual<Config>({
      production: false,
      log: { level: 'info', format: 'pretty' },
      port: 3000,
      publicUrl: undefined,
      sessionSecrets: undefined,
      provider: { consumerKey: undefined, consumerSecret: undefined, oauthUrl: undefined, restUrl: undefined, sandboxAllowed: false },
      oauth: { authPage: 'authorize', signatureMethod: 'HMAC-SHA1', timeoutMs: 10_000 },
      trustProxy: undefined,
      store: { kind: 'sqlite', path: resolve(projectRoot, 'data/app.db') },
      receiptKey: undefined,
      allowedHosts: [],
      storeKeys: undefined,
      session: { idleMs: 120 * 60_000, maxMs: 24 * 3_600_000 },
      limits: DEFAULT_LIMITS,
      smsAllowedPrefixes: [],
      smsDefaultCountry: 'GB',
      receiptSigning: undefined,
      metrics: { enabled: true, token: undefined },
    });
    expect(DEFAULT_LIMITS).toEqual({ smsPerAccountPerMinute: 5, smsPerAddressPerMinute: 20, smsPerNumberPerHour: 10, smsPartsPerAccountPerDay: 200, loginsPerAddressPerMinute: 10 });
    expect(warnings).toEqual(['SESSION_SECRET is not set: using one generated once and kept in the store (set it when several instances share a store).']);
  });

  it('treats a blank variable as unset and trims the others', () => {
    const blank = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, '  ']));
    expect(loadConfig(blank)).toEqual(loadConfig({}));
    expect(loadConfig({ PORT: ' 8080 ', NEXMO_AUTH_PAGE: '\tauthenticate\n' })).toMatchObject({ port: 8080, oauth: { authPage: 'authenticate' } });
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin', NEXMO_API_KEY: 'unused' })).toEqual(loadConfig({}));
  });
});

describe('whole-number variables', () => {
  const wholeNumbers: Array<[name: string, min: number, max: number, read: (c: Config) => number]> = [
    ['PORT', 0, 65535, (c) => c.port],
    ['OAUTH_TIMEOUT_MS', 100, 120_000, (c) => c.oauth.timeoutMs],
    ['SESSION_IDLE_MINUTES', 1, 7 * 24 * 60, (c) => c.session.idleMs / 60_000],
    ['SESSION_MAX_HOURS', 1, 30 * 24, (c) => c.session.maxMs / 3_600_000],
    ['LIMIT_SMS_PER_ACCOUNT_PER_MINUTE', 0, 1_000_000, (c) => c.limits.smsPerAccountPerMinute],
    ['LIMIT_SMS_PER_ADDRESS_PER_MINUTE', 0, 1_000_000, (c) => c.limits.smsPerAddressPerMinute],
    ['LIMIT_SMS_PER_NUMBER_PER_HOUR', 0, 1_000_000, (c) => c.limits.smsPerNumberPerHour],
    ['LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY', 0, 1_000_000, (c) => c.limits.smsPartsPerAccountPerDay],
    ['LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE', 0, 1_000_000, (c) => c.limits.loginsPerAddressPerMinute],
  ];

  it.each(wholeNumbers)('%s takes %i to %i, both ends included', (name, min, max, read) => {
    expect(read(loadConfig({ [name]: String(min) }))).toBe(min);
    expect(read(loadConfig({ [name]: String(max) }))).toBe(max);
    expect(read(loadConfig({ [name]: String(Math.floor((min + max) / 2)) }))).toBe(Math.floor((min + max) / 2));
  });

  it.each(wholeNumbers)('%s refuses a number outside %i to %i', (name, min, max) => {
    if (min > 0) expectRefused({ [name]: String(min - 1) }, name, `must be between ${min} and ${max}`);
    expectRefused({ [name]: String(max + 1) }, name, `must be between ${min} and ${max}`);
    expectRefused({ [name]: '9'.repeat(400) }, name, `must be between ${min} and ${max}`);
  });

  it.each(wholeNumbers)('%s refuses anything but digits', (name, min, max) => {
    for (const bad of ['-1', '1.5', '1e3', '0x10', '+5', 'ten', '1 000']) {
      expectRefused({ [name]: bad }, name, `must be a whole number between ${min} and ${max}`);
    }
  });

  it('turns the session variables into milliseconds and the limits into Limits', () => {
    expect(loadConfig({ SESSION_IDLE_MINUTES: '15', SESSION_MAX_HOURS: '2' }).session).toEqual({ idleMs: 15 * 60_000, maxMs: 2 * 3_600_000 });
    const config = loadConfig({
      LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2',
      LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '0',
      LIMIT_SMS_PER_NUMBER_PER_HOUR: '7',
      LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '1000',
      LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '3',
    });
    expect(config.limits).toEqual({ smsPerAccountPerMinute: 2, smsPerAddressPerMinute: 0, smsPerNumberPerHour: 7, smsPartsPerAccountPerDay: 1000, loginsPerAddressPerMinute: 3 });
    // One set, the others keep their defaults.
    expect(loadConfig({ LIMIT_SMS_PER_NUMBER_PER_HOUR: '1' }).limits).toEqual({ ...DEFAULT_LIMITS, smsPerNumberPerHour: 1 });
  });
});

describe('URL variables', () => {
  it('normalises base URLs: the OAuth base gets a trailing slash, REST and public URLs lose it', () => {
    const config = loadConfig({
      NEXMO_OAUTH_URL: 'http://127.0.0.1:4000/oauth',
      NEXMO_REST_URL: 'http://127.0.0.1:4000/',
      PUBLIC_URL: 'https://sms.example.com/',
    });
    expect(config.provider.oauthUrl).toBe('http://127.0.0.1:4000/oauth/');
    expect(config.provider.restUrl).toBe('http://127.0.0.1:4000');
    expect(config.publicUrl).toBe('https://sms.example.com');
    expect(loadConfig({ NEXMO_OAUTH_URL: 'https://Provider.Example/oauth/', NEXMO_REST_URL: 'https://rest.example/v1' }).provider).toMatchObject({
      oauthUrl: 'https://provider.example/oauth/',
      restUrl: 'https://rest.example/v1',
    });
  });

  it.each(['PUBLIC_URL', 'NEXMO_OAUTH_URL', 'NEXMO_REST_URL'])('%s must be an absolute http(s) URL without credentials, query or fragment', (name) => {
    expectRefused({ [name]: 'not a url' }, name, 'must be an absolute http(s) URL, e.g. https://example.com');
    expectRefused({ [name]: 'rest.nexmo.com' }, name, 'must be an absolute http(s) URL, e.g. https://example.com');
    expectRefused({ [name]: 'ftp://example.com' }, name, 'must use http or https');
    for (const bad of ['https://user:pw@example.com/', 'https://user@example.com/', 'https://example.com/?a=1', 'https://example.com/#top']) {
      expectRefused({ [name]: bad }, name, 'must not contain credentials, a query or a fragment');
    }
  });
});

describe('provider variables (reported as configured; provider.ts decides)', () => {
  it('reports the credentials, the URLs given and SANDBOX=1 as they are', () => {
    const config = loadConfig({ NEXMO_CONSUMER_KEY: 'key', NEXMO_CONSUMER_SECRET: SECRET, SANDBOX: '1' });
    expect(config.provider).toEqual({ consumerKey: 'key', consumerSecret: SECRET, oauthUrl: undefined, restUrl: undefined, sandboxAllowed: true });
    for (const notOne of ['true', 'yes', '0', '2']) expect(loadConfig({ SANDBOX: notOne }).provider.sandboxAllowed).toBe(false);
  });

  it('takes the consumer credentials as a pair, naming the one missing', () => {
    expectRefused({ NEXMO_CONSUMER_KEY: 'key' }, 'NEXMO_CONSUMER_SECRET', 'is required when the other of NEXMO_CONSUMER_KEY / NEXMO_CONSUMER_SECRET is set');
    expectRefused({ NEXMO_CONSUMER_SECRET: SECRET }, 'NEXMO_CONSUMER_KEY', 'is required when the other of NEXMO_CONSUMER_KEY / NEXMO_CONSUMER_SECRET is set');
    expectRefused({ NEXMO_CONSUMER_KEY: 'key', NEXMO_CONSUMER_SECRET: '  ' }, 'NEXMO_CONSUMER_SECRET', /is required/);
  });

  it('takes NEXMO_AUTH_PAGE and OAUTH_SIGNATURE_METHOD from their few values only', () => {
    expect(loadConfig({ NEXMO_AUTH_PAGE: 'authenticate' }).oauth.authPage).toBe('authenticate');
    expect(loadConfig({ NEXMO_AUTH_PAGE: 'authorize' }).oauth.authPage).toBe('authorize');
    for (const bad of ['login', 'Authorize', 'authorise']) expectRefused({ NEXMO_AUTH_PAGE: bad }, 'NEXMO_AUTH_PAGE', 'must be "authorize" or "authenticate"');
    expect(loadConfig({ OAUTH_SIGNATURE_METHOD: 'PLAINTEXT', NEXMO_OAUTH_URL: 'https://p.example/oauth/', NEXMO_REST_URL: 'https://p.example' }).oauth.signatureMethod).toBe('PLAINTEXT');
    for (const bad of ['RSA-SHA1', 'hmac-sha1', 'HMAC-SHA256']) expectRefused({ OAUTH_SIGNATURE_METHOD: bad }, 'OAUTH_SIGNATURE_METHOD', 'must be "HMAC-SHA1" or "PLAINTEXT"');
  });
});

describe('session and secret variables', () => {
  it('splits SESSION_SECRET on commas for rotation, first one signing, and refuses an empty entry', () => {
    expect(loadConfig({ SESSION_SECRET: 'new-secret, old-secret' }).sessionSecrets).toEqual(['new-secret', 'old-secret']);
    for (const bad of ['a,,b', 'a,', ',']) expectRefused({ SESSION_SECRET: bad }, 'SESSION_SECRET', 'contains an empty entry');
  });

  it('in production requires SESSION_SECRET, each of 32 characters or more', () => {
    const { SESSION_SECRET: _unset, ...withoutSecret } = PRODUCTION;
    expectRefused(withoutSecret, 'SESSION_SECRET', 'is required when NODE_ENV=production');
    expectRefused({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(31) }, 'SESSION_SECRET', 'each secret must be at least 32 characters in production');
    expectRefused({ ...PRODUCTION, SESSION_SECRET: `${'x'.repeat(32)},short` }, 'SESSION_SECRET', 'each secret must be at least 32 characters in production');
    expect(loadConfig({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(32) }).sessionSecrets).toEqual(['x'.repeat(32)]);
    // Outside production a short secret is a developer's own choice.
    expect(loadConfig({ SESSION_SECRET: 'short' }).sessionSecrets).toEqual(['short']);
  });

  it('takes STORE_KEY as a list of keys of 32 characters or more, required in production', () => {
    expect(loadConfig({ STORE_KEY: `${'n'.repeat(32)}, ${'o'.repeat(40)}` }).storeKeys).toEqual(['n'.repeat(32), 'o'.repeat(40)]);
    expectRefused({ STORE_KEY: 'k'.repeat(31) }, 'STORE_KEY', 'each key must be at least 32 characters (e.g. 32 random bytes in base64)');
    expectRefused({ STORE_KEY: `${'k'.repeat(32)},` }, 'STORE_KEY', /at least 32 characters/);
    const { STORE_KEY: _unset, ...withoutKey } = PRODUCTION;
    expectRefused(withoutKey, 'STORE_KEY', 'is required when NODE_ENV=production (32+ random characters; it encrypts tokens at rest)');
  });

  it('takes RECEIPT_KEY of 24 to 128 URL-safe characters', () => {
    expect(loadConfig({ RECEIPT_KEY: 'a'.repeat(24) }).receiptKey).toBe('a'.repeat(24));
    expect(loadConfig({ RECEIPT_KEY: `Az09-_${'b'.repeat(122)}` }).receiptKey).toHaveLength(128);
    for (const bad of ['a'.repeat(23), 'a'.repeat(129), `${'a'.repeat(24)}/`, `${'a'.repeat(24)}.`]) {
      expectRefused({ RECEIPT_KEY: bad }, 'RECEIPT_KEY', 'must be 24 to 128 letters, digits, "-" or "_" (it becomes part of a URL)');
    }
  });
});

describe('receipt signing variables', () => {
  it('are off unless NEXMO_SIGNATURE_SECRET is set; the method defaults to md5hash, the dashboard\'s default', () => {
    expect(loadConfig({}).receiptSigning).toBeUndefined();
    expect(loadConfig({ NEXMO_SIGNATURE_SECRET: 'my_secret_key_for_testing' }).receiptSigning).toEqual({ secret: 'my_secret_key_for_testing', method: 'md5hash' });
  });

  it('take each of Vonage\'s five methods, in any case, and refuse any other naming them all', () => {
    for (const method of ['md5hash', 'md5', 'sha1', 'sha256', 'SHA512']) {
      expect(loadConfig({ NEXMO_SIGNATURE_SECRET: 'my_secret_key_for_testing', NEXMO_SIGNATURE_METHOD: method }).receiptSigning?.method).toBe(method.toLowerCase());
    }
    expectRefused({ NEXMO_SIGNATURE_SECRET: 'my_secret_key_for_testing', NEXMO_SIGNATURE_METHOD: 'hmac-sha256' }, 'NEXMO_SIGNATURE_METHOD', 'must be one of md5hash, md5, sha1, sha256, sha512');
  });

  it('refuse a method without a secret, and a secret too short to be the dashboard\'s', () => {
    expectRefused({ NEXMO_SIGNATURE_METHOD: 'sha256' }, 'NEXMO_SIGNATURE_SECRET', 'is required when NEXMO_SIGNATURE_METHOD is set (receipts are checked with both)');
    expectRefused({ NEXMO_SIGNATURE_SECRET: 'short' }, 'NEXMO_SIGNATURE_SECRET', 'must be 8 to 256 characters: the signature secret from the Nexmo dashboard');
  });
});

describe('production', () => {
  it('is NODE_ENV=production, and logs JSON lines', () => {
    expect(loadConfig(PRODUCTION)).toMatchObject({ production: true, log: { level: 'info', format: 'json' } });
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ production: false, log: { format: 'pretty' } });
  });

  it('requires an https PUBLIC_URL', () => {
    const { PUBLIC_URL: _unset, ...withoutUrl } = PRODUCTION;
    expectRefused(withoutUrl, 'PUBLIC_URL', 'is required when NODE_ENV=production (the https address people use)');
    expectRefused({ ...PRODUCTION, PUBLIC_URL: 'http://sms.example.com' }, 'PUBLIC_URL', 'must be https when NODE_ENV=production');
    expect(loadConfig(PRODUCTION).publicUrl).toBe('https://sms.example.com');
  });

  it('reports one problem, the first a person would fix: a malformed variable before a rule across several', () => {
    expectRefused({ ...PRODUCTION, PORT: 'eighty', PUBLIC_URL: 'http://sms.example.com' }, 'PORT', /whole number/);
    expectRefused({ ...PRODUCTION, PUBLIC_URL: 'http://sms.example.com', SESSION_SECRET: 'short' }, 'PUBLIC_URL', /https/);
    expectRefused({ ...PRODUCTION, NEXMO_CONSUMER_SECRET: SECRET, SESSION_SECRET: 'too-short-secret' }, 'NEXMO_CONSUMER_KEY', /is required/);
  });
});

describe('other variables', () => {
  it('reads LOG_LEVEL in any case, and refuses a level pino does not have', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) expect(loadConfig({ LOG_LEVEL: level }).log.level).toBe(level);
    expect(loadConfig({ LOG_LEVEL: 'WARN' }).log.level).toBe('warn');
    for (const bad of ['verbose', 'warning', '30']) expectRefused({ LOG_LEVEL: bad }, 'LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent');
  });

  it('reads TRUST_PROXY as a boolean, a hop count or Express addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: '::1, fe80::/10' }).trustProxy).toBe('::1, fe80::/10');
    for (const bad of ['any<proxy>', 'loopback;rm', '*']) {
      expectRefused({ TRUST_PROXY: bad }, 'TRUST_PROXY', 'must be true, false, a number of hops, or addresses/subnets such as "loopback"');
    }
  });

  it('keeps everything in SQLITE_PATH, under the project folder when relative, unless REDIS_URL names a Redis', () => {
    expect(loadConfig({ SQLITE_PATH: 'var/app.db' }).store).toEqual({ kind: 'sqlite', path: resolve(projectRoot, 'var/app.db') });
    expect(loadConfig({ SQLITE_PATH: '/tmp/elsewhere.db' }).store).toEqual({ kind: 'sqlite', path: '/tmp/elsewhere.db' });
    for (const url of ['redis://127.0.0.1:6379', 'rediss://user:password@host:6380/0', 'redis://localhost/15', 'redis://localhost:6379/']) {
      expect(loadConfig({ REDIS_URL: url, SQLITE_PATH: 'ignored.db' }).store).toEqual({ kind: 'redis', url });
    }
  });

  it('refuses a REDIS_URL that is not a Redis address, saying what is wrong', () => {
    expectRefused({ REDIS_URL: 'localhost:6379:x' }, 'REDIS_URL', 'must start with redis:// or rediss://');
    expectRefused({ REDIS_URL: 'not a url' }, 'REDIS_URL', 'must be a URL such as redis://localhost:6379 or rediss://user:password@host:6380/0');
    expectRefused({ REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL', 'must start with redis:// or rediss://');
    expectRefused({ REDIS_URL: 'redis://' }, 'REDIS_URL', 'must name a host, e.g. redis://localhost:6379');
    for (const bad of ['redis://localhost:6379/db', 'redis://localhost:6379/100', 'redis://localhost/0/1']) {
      expectRefused({ REDIS_URL: bad }, 'REDIS_URL', 'may end only with a database number, e.g. /0');
    }
  });

  it('reads ALLOWED_HOSTS as host names or addresses, lower-cased, IPv6 without brackets', () => {
    expect(loadConfig({ ALLOWED_HOSTS: 'Demo.Local, 192.168.1.20,,[fe80::1], ::1' }).allowedHosts).toEqual(['demo.local', '192.168.1.20', 'fe80::1', '::1']);
    for (const bad of ['http://demo.local', 'demo.local:3000', 'demo.local/x', 'under_score.example']) {
      expectRefused({ ALLOWED_HOSTS: `ok.example,${bad}` }, 'ALLOWED_HOSTS', 'must be host names or addresses separated by commas, without scheme or port (e.g. "demo.local,192.168.1.20")');
    }
  });

  it('reads SMS_ALLOWED_PREFIXES as country prefixes of 1 to 4 digits, each once, and refuses anything else', () => {
    expect(loadConfig({ SMS_ALLOWED_PREFIXES: '44, +353,1,1684,44' }).smsAllowedPrefixes).toEqual(['44', '353', '1', '1684']);
    for (const bad of ['44,', 'uk', '12345', '044', '44;353', '+']) {
      expectRefused({ SMS_ALLOWED_PREFIXES: bad }, 'SMS_ALLOWED_PREFIXES', 'must be country prefixes of 1 to 4 digits separated by commas, e.g. 44,353');
    }
  });

  it('reads SMS_DEFAULT_COUNTRY as a country the number metadata knows (default GB), "none" for international only', () => {
    expect(loadConfig({}).smsDefaultCountry).toBe('GB');
    expect(loadConfig({ SMS_DEFAULT_COUNTRY: ' us ' }).smsDefaultCountry).toBe('US');
    expect(loadConfig({ SMS_DEFAULT_COUNTRY: 'None' }).smsDefaultCountry).toBeUndefined();
    for (const bad of ['UK', 'GBR', 'XX', '44']) {
      expectRefused({ SMS_DEFAULT_COUNTRY: bad }, 'SMS_DEFAULT_COUNTRY', 'must be a two-letter country code such as GB, US or DE, or "none"');
    }
  });
});

describe('error messages', () => {
  // A value that looks like a secret, fed into every variable that can be refused: the message
  // names the variable and never repeats the value, or any part of it.
  const S = 'hunter2-S3cr3t';
  const cases: Array<[env: Record<string, string>, named: string]> = [
    [{ PORT: S }, 'PORT'],
    [{ PUBLIC_URL: S }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: `https://admin:${S}@sms.example.com` }, 'PUBLIC_URL'],
    [{ ...PRODUCTION, PUBLIC_URL: `http://sms.example.com/${S}` }, 'PUBLIC_URL'],
    [{ NEXMO_CONSUMER_KEY: S }, 'NEXMO_CONSUMER_SECRET'],
    [{ NEXMO_CONSUMER_SECRET: S }, 'NEXMO_CONSUMER_KEY'],
    [{ NEXMO_OAUTH_URL: `https://key:${S}@provider.example/oauth/` }, 'NEXMO_OAUTH_URL'],
    [{ NEXMO_OAUTH_URL: `ftp://provider.example/${S}` }, 'NEXMO_OAUTH_URL'],
    [{ NEXMO_REST_URL: `https://rest.example/?api_secret=${S}` }, 'NEXMO_REST_URL'],
    [{ NEXMO_AUTH_PAGE: S }, 'NEXMO_AUTH_PAGE'],
    [{ OAUTH_SIGNATURE_METHOD: S }, 'OAUTH_SIGNATURE_METHOD'],
    [{ OAUTH_TIMEOUT_MS: S }, 'OAUTH_TIMEOUT_MS'],
    [{ SESSION_SECRET: `${S},,${S}` }, 'SESSION_SECRET'],
    [{ ...PRODUCTION, SESSION_SECRET: S }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: S }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: `<${S}>` }, 'TRUST_PROXY'],
    [{ REDIS_URL: `http://user:${S}@localhost:6379` }, 'REDIS_URL'],
    [{ REDIS_URL: `redis://user:${S}@localhost:6379/${S}` }, 'REDIS_URL'],
    [{ REDIS_URL: `${S}:${S}:${S}` }, 'REDIS_URL'],
    [{ RECEIPT_KEY: `${S}!` }, 'RECEIPT_KEY'],
    [{ STORE_KEY: S }, 'STORE_KEY'],
    [{ ALLOWED_HOSTS: `https://${S}.example` }, 'ALLOWED_HOSTS'],
    [{ SESSION_IDLE_MINUTES: S }, 'SESSION_IDLE_MINUTES'],
    [{ SESSION_MAX_HOURS: S }, 'SESSION_MAX_HOURS'],
    [{ LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: S }, 'LIMIT_SMS_PER_ACCOUNT_PER_MINUTE'],
    [{ LIMIT_SMS_PER_ADDRESS_PER_MINUTE: S }, 'LIMIT_SMS_PER_ADDRESS_PER_MINUTE'],
    [{ LIMIT_SMS_PER_NUMBER_PER_HOUR: S }, 'LIMIT_SMS_PER_NUMBER_PER_HOUR'],
    [{ LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: S }, 'LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY'],
    [{ LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: S }, 'LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE'],
    [{ SMS_ALLOWED_PREFIXES: S }, 'SMS_ALLOWED_PREFIXES'],
    [{ SMS_DEFAULT_COUNTRY: S }, 'SMS_DEFAULT_COUNTRY'],
    [{ NEXMO_SIGNATURE_SECRET: `${S}\u0007` }, 'NEXMO_SIGNATURE_SECRET'],
    [{ NEXMO_SIGNATURE_SECRET: S.slice(0, 7) }, 'NEXMO_SIGNATURE_SECRET'],
    [{ NEXMO_SIGNATURE_SECRET: S, NEXMO_SIGNATURE_METHOD: S }, 'NEXMO_SIGNATURE_METHOD'],
    [{ NEXMO_SIGNATURE_METHOD: 'sha256' }, 'NEXMO_SIGNATURE_SECRET'],
    [{ METRICS: S }, 'METRICS'],
    [{ METRICS_TOKEN: `${S}!` }, 'METRICS_TOKEN'],
  ];

  it.each(cases)('%j is refused naming %s, without the value', (env, named) => {
    const err = failure(env);
    expect(err.variable).toBe(named);
    expect(err.message.startsWith(`${named}: `)).toBe(true);
    expectNoSecretIn(err.message, S, 'hunter2', 'S3cr3t');
  });

  it('cover every variable that can be refused', () => {
    // Those that cannot: NODE_ENV and SANDBOX only compare with one value, and a SQLITE_PATH
    // that cannot be opened is refused when the store opens it (test/process/startup.test.ts).
    const neverRefused = ['NODE_ENV', 'SANDBOX', 'SQLITE_PATH'];
    const covered = new Set(cases.flatMap(([, named]) => [named]));
    expect([...covered].sort()).toEqual(CONFIG_VARIABLES.filter((name) => !neverRefused.includes(name)).sort());
  });

  it('is a ConfigError whose message leads with the variable', () => {
    const err = failure({ PORT: '70000' });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ConfigError');
    expect(err.message).toBe('PORT: must be between 0 and 65535');
  });
});

describe('.env file', () => {
  it('is read without overriding real environment variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envfile-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# comment\nPORT=4100\nexport NEXMO_AUTH_PAGE="authenticate"\nPUBLIC_URL=http://from-file\n');
    const env = withDotEnv({ PUBLIC_URL: 'http://from-env' }, file);
    expect(env.PORT).toBe('4100');
    expect(env.NEXMO_AUTH_PAGE).toBe('authenticate');
    expect(env.PUBLIC_URL).toBe('http://from-env');
    expect(loadConfig(env)).toMatchObject({ port: 4100, publicUrl: 'http://from-env', oauth: { authPage: 'authenticate' } });
    expect(withDotEnv({ A: '1' }, join(dir, 'missing.env'))).toEqual({ A: '1' });
  });
});
