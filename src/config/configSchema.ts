// The environment's variables, each on its own: its shape, its default and what it becomes in
// Config. The parsing is zod's; this file only declares it.

import { resolve } from 'node:path';
import * as z from 'zod';

import { LOG_LEVELS, SIGNATURE_METHODS, type Config, type Limits } from './configTypes.js';
import { commaList, countryPrefixes, defaultCountry, hostList, httpUrl, redisUrl, trustProxy, variable, wholeNumber } from './configValues.js';
import { projectRoot } from './paths.js';

/** The defaults, and why, are in README's Configuration table. */
export const DEFAULT_LIMITS: Limits = {
  smsPerAccountPerMinute: 5,
  smsPerAddressPerMinute: 20,
  smsPerNumberPerHour: 10,
  smsPartsPerAccountPerDay: 200,
  loginsPerAddressPerMinute: 10,
};

/** A LIMIT_* variable: a count from 0 (no limit) to 1000000, by default its field's in DEFAULT_LIMITS. */
const limit = (field: keyof Limits) => variable(wholeNumber(0, 1_000_000).default(DEFAULT_LIMITS[field]));

/**
 * Each variable on its own: its shape, its default and what it becomes. The first problem in
 * this order is the one reported. Rules that read several variables are in configRules.ts; the
 * provider's, which depend on sandbox or live mode, in provider.ts.
 */
export const environmentSchema = z
  .object({
    NODE_ENV: variable(z.string().optional()),
    PORT: variable(wholeNumber(0, 65535).default(3000)),
    PUBLIC_URL: variable(httpUrl.transform(withoutTrailingSlash).optional()),
    NEXMO_CONSUMER_KEY: variable(z.string().optional()),
    NEXMO_CONSUMER_SECRET: variable(z.string().optional()),
    NEXMO_OAUTH_URL: variable(httpUrl.transform(withTrailingSlash).optional()),
    NEXMO_REST_URL: variable(httpUrl.transform(withoutTrailingSlash).optional()),
    SANDBOX: variable(z.string().optional()),
    NEXMO_AUTH_PAGE: variable(z.enum(['authorize', 'authenticate'], { error: 'must be "authorize" or "authenticate"' }).default('authorize')),
    OAUTH_SIGNATURE_METHOD: variable(z.enum(['HMAC-SHA1', 'PLAINTEXT'], { error: 'must be "HMAC-SHA1" or "PLAINTEXT"' }).default('HMAC-SHA1')),
    OAUTH_TIMEOUT_MS: variable(wholeNumber(100, 120_000).default(10_000)),
    SESSION_SECRET: variable(commaList.refine((secrets) => !secrets.includes(''), 'contains an empty entry').optional()),
    LOG_LEVEL: variable(z.string().transform((level) => level.toLowerCase()).pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })).default('info')),
    TRUST_PROXY: variable(trustProxy.optional()),
    REDIS_URL: variable(redisUrl.optional()),
    SQLITE_PATH: variable(z.string().default('data/app.db')),
    RECEIPT_KEY: variable(z.string().regex(/^[A-Za-z0-9_-]{24,128}$/, 'must be 24 to 128 letters, digits, "-" or "_" (it becomes part of a URL)').optional()),
    STORE_KEY: variable(commaList.refine((keys) => keys.every((key) => key.length >= 32), 'each key must be at least 32 characters (e.g. 32 random bytes in base64)').optional()),
    ALLOWED_HOSTS: variable(hostList.default([])),
    SESSION_IDLE_MINUTES: variable(wholeNumber(1, 7 * 24 * 60).default(120)),
    SESSION_MAX_HOURS: variable(wholeNumber(1, 30 * 24).default(24)),
    LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: limit('smsPerAccountPerMinute'),
    LIMIT_SMS_PER_ADDRESS_PER_MINUTE: limit('smsPerAddressPerMinute'),
    LIMIT_SMS_PER_NUMBER_PER_HOUR: limit('smsPerNumberPerHour'),
    LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: limit('smsPartsPerAccountPerDay'),
    LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: limit('loginsPerAddressPerMinute'),
    SMS_ALLOWED_PREFIXES: variable(countryPrefixes.default([])),
    SMS_DEFAULT_COUNTRY: variable(defaultCountry.default('GB')),
    // Messages about the secret describe it, never quote it.
    NEXMO_SIGNATURE_SECRET: variable(
      z
        .string()
        .refine((secret) => secret.length >= 8 && secret.length <= 256, 'must be 8 to 256 characters: the signature secret from the Nexmo dashboard')
        .refine((secret) => !/[\u0000-\u001f\u007f]/.test(secret), 'contains a control character')
        .optional(),
    ),
    NEXMO_SIGNATURE_METHOD: variable(
      z.string().transform((method) => method.toLowerCase()).pipe(z.enum(SIGNATURE_METHODS, { error: `must be one of ${SIGNATURE_METHODS.join(', ')}` })).optional(),
    ),
    METRICS: variable(z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on')),
    // A bearer token: long enough not to be guessed, and never quoted in a message.
    METRICS_TOKEN: variable(z.string().regex(/^[A-Za-z0-9._~+/=-]{24,256}$/, 'must be 24 to 256 characters of a bearer token (letters, digits and -._~+/=)').optional()),
  })
  .superRefine((env, ctx) => {
    // A method alone would look like signing is on while every receipt goes unchecked.
    if (env.NEXMO_SIGNATURE_METHOD !== undefined && env.NEXMO_SIGNATURE_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['NEXMO_SIGNATURE_SECRET'], message: 'is required when NEXMO_SIGNATURE_METHOD is set (receipts are checked with both)' });
    }
  })
  .transform(
    (env): Config => ({
      production: env.NODE_ENV === 'production',
      log: { level: env.LOG_LEVEL, format: env.NODE_ENV === 'production' ? 'json' : 'pretty' },
      port: env.PORT,
      publicUrl: env.PUBLIC_URL,
      sessionSecrets: env.SESSION_SECRET,
      provider: {
        consumerKey: env.NEXMO_CONSUMER_KEY,
        consumerSecret: env.NEXMO_CONSUMER_SECRET,
        oauthUrl: env.NEXMO_OAUTH_URL,
        restUrl: env.NEXMO_REST_URL,
        sandboxAllowed: env.SANDBOX === '1',
      },
      oauth: { authPage: env.NEXMO_AUTH_PAGE, signatureMethod: env.OAUTH_SIGNATURE_METHOD, timeoutMs: env.OAUTH_TIMEOUT_MS },
      trustProxy: env.TRUST_PROXY,
      // REDIS_URL wins: set, the instances share Redis; otherwise the embedded SQLite file.
      store: env.REDIS_URL !== undefined ? { kind: 'redis', url: env.REDIS_URL } : { kind: 'sqlite', path: resolve(projectRoot, env.SQLITE_PATH) },
      receiptKey: env.RECEIPT_KEY,
      storeKeys: env.STORE_KEY,
      allowedHosts: env.ALLOWED_HOSTS,
      session: { idleMs: env.SESSION_IDLE_MINUTES * 60_000, maxMs: env.SESSION_MAX_HOURS * 3_600_000 },
      limits: {
        smsPerAccountPerMinute: env.LIMIT_SMS_PER_ACCOUNT_PER_MINUTE,
        smsPerAddressPerMinute: env.LIMIT_SMS_PER_ADDRESS_PER_MINUTE,
        smsPerNumberPerHour: env.LIMIT_SMS_PER_NUMBER_PER_HOUR,
        smsPartsPerAccountPerDay: env.LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY,
        loginsPerAddressPerMinute: env.LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE,
      },
      smsAllowedPrefixes: env.SMS_ALLOWED_PREFIXES,
      smsDefaultCountry: env.SMS_DEFAULT_COUNTRY ?? undefined,
      // md5hash is the dashboard's default method; configRules refuses a method without a secret.
      receiptSigning: env.NEXMO_SIGNATURE_SECRET === undefined ? undefined : { secret: env.NEXMO_SIGNATURE_SECRET, method: env.NEXMO_SIGNATURE_METHOD ?? 'md5hash' },
      metrics: { enabled: env.METRICS === 'on', token: env.METRICS_TOKEN },
    }),
  );

/** Every variable the app reads. */
export const CONFIG_VARIABLES = Object.keys(environmentSchema.in.shape);

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
