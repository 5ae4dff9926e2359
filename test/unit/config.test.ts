import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { ConfigError, DEFAULT_LIMITS, LIVE_OAUTH_URL, LIVE_REST_URL, loadConfig, withDotEnv } from '../../src/config.js';

const SECRET = 'a-consumer-secret-that-must-never-be-printed';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults to sandbox mode on port 3000 with a generated session secret and says so', () => {
    const warnings: string[] = [];
    const config = loadConfig({}, (w) => warnings.push(w));
    expect(config.sandbox).toBe(true);
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBeUndefined();
    expect(config.oauth.baseUrl).toBeUndefined();
    expect(config.restUrl).toBeUndefined();
    expect(config.oauth.authPage).toBe('authorize');
    expect(config.oauth.timeoutMs).toBe(10000);
    expect(config.sessionSecrets).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/SESSION_SECRET is not set/);
    expect(warnings.join('\n')).toMatch(/SANDBOX MODE/);
  });

  it('uses the live Nexmo URLs when credentials are configured', () => {
    const config = loadConfig({ NEXMO_CONSUMER_KEY: 'key', NEXMO_CONSUMER_SECRET: SECRET, PORT: '8080' });
    expect(config.sandbox).toBe(false);
    expect(config.oauth.baseUrl).toBe(LIVE_OAUTH_URL);
    expect(config.restUrl).toBe(LIVE_REST_URL);
    expect(config.publicUrl).toBeUndefined();
  });

  it('normalises base URLs: OAuth base gets a trailing slash, REST and public URLs lose it', () => {
    const config = loadConfig({
      NEXMO_CONSUMER_KEY: 'key',
      NEXMO_CONSUMER_SECRET: SECRET,
      NEXMO_OAUTH_URL: 'http://127.0.0.1:4000/oauth',
      NEXMO_REST_URL: 'http://127.0.0.1:4000/',
      PUBLIC_URL: 'https://sms.example.com/',
    });
    expect(config.oauth.baseUrl).toBe('http://127.0.0.1:4000/oauth/');
    expect(config.restUrl).toBe('http://127.0.0.1:4000');
    expect(config.publicUrl).toBe('https://sms.example.com');
  });

  it('reads TRUST_PROXY as a boolean, a hop count or Express addresses', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('splits SESSION_SECRET on commas for rotation, first one signing', () => {
    const config = loadConfig({ SESSION_SECRET: 'new-secret, old-secret' });
    expect(config.sessionSecrets).toEqual(['new-secret', 'old-secret']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://example.com' }, 'PUBLIC_URL'],
    [{ NEXMO_CONSUMER_KEY: 'key' }, 'NEXMO_CONSUMER_SECRET'],
    [{ NEXMO_CONSUMER_SECRET: SECRET }, 'NEXMO_CONSUMER_KEY'],
    [{ NEXMO_AUTH_PAGE: 'login' }, 'NEXMO_AUTH_PAGE'],
    [{ OAUTH_TIMEOUT_MS: '-5' }, 'OAUTH_TIMEOUT_MS'],
    [{ OAUTH_TIMEOUT_MS: '10' }, 'OAUTH_TIMEOUT_MS'],
    [{ NEXMO_OAUTH_URL: 'https://user:pw@example.com/oauth/' }, 'NEXMO_OAUTH_URL'],
    [{ NEXMO_REST_URL: 'rest.nexmo.com' }, 'NEXMO_REST_URL'],
    [{ SESSION_SECRET: 'a,,b' }, 'SESSION_SECRET'],
    [{ TRUST_PROXY: 'any<proxy>' }, 'TRUST_PROXY'],
  ])('rejects %j naming %s', (env, variable) => {
    const err = failure(env);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}:`)).toBe(true);
  });

  it('in production requires SESSION_SECRET, and a long one', () => {
    const base = { NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', STORE_KEY: 'k'.repeat(32), NEXMO_CONSUMER_KEY: 'k', NEXMO_CONSUMER_SECRET: SECRET };
    expect(failure(base).variable).toBe('SESSION_SECRET');
    expect(failure({ ...base, SESSION_SECRET: 'short' }).variable).toBe('SESSION_SECRET');
    expect(loadConfig({ ...base, SESSION_SECRET: 'x'.repeat(32) }).production).toBe(true);
  });

  it('in production refuses sandbox mode unless SANDBOX=1 opts in', () => {
    const base = { NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', STORE_KEY: 'k'.repeat(32), SESSION_SECRET: 'x'.repeat(40) };
    const err = failure(base);
    expect(err.variable).toBe('NEXMO_CONSUMER_KEY');
    expect(err.message).toMatch(/SANDBOX=1/);
    expect(loadConfig({ ...base, SANDBOX: '1' }).sandbox).toBe(true);
  });

  it('never puts a secret value into an error message', () => {
    const err = failure({ NEXMO_CONSUMER_SECRET: SECRET, NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', STORE_KEY: 'k'.repeat(32), SESSION_SECRET: 'too-short-secret' });
    expect(err.variable).toBe('NEXMO_CONSUMER_KEY');
    expectNoSecretIn(err.message, SECRET);
    const err2 = failure({ NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', STORE_KEY: 'k'.repeat(32), SESSION_SECRET: 'too-short-secret', NEXMO_CONSUMER_KEY: 'k', NEXMO_CONSUMER_SECRET: SECRET });
    expect(err2.variable).toBe('SESSION_SECRET');
    expectNoSecretIn(err2.message, 'too-short-secret', SECRET);
  });

  it('reads a .env file without overriding real environment variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envfile-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# comment\nPORT=4100\nexport NEXMO_AUTH_PAGE="authenticate"\nPUBLIC_URL=http://from-file\n');
    const env = withDotEnv({ PUBLIC_URL: 'http://from-env' }, file);
    expect(env.PORT).toBe('4100');
    expect(env.NEXMO_AUTH_PAGE).toBe('authenticate');
    expect(env.PUBLIC_URL).toBe('http://from-env');
    expect(withDotEnv({ A: '1' }, join(dir, 'missing.env'))).toEqual({ A: '1' });
  });

  it('refuses PLAINTEXT signatures unless both provider URLs are https, naming the http one', () => {
    const live = { NEXMO_CONSUMER_KEY: 'k', NEXMO_CONSUMER_SECRET: SECRET, OAUTH_SIGNATURE_METHOD: 'PLAINTEXT' };
    const err = failure({ ...live, NEXMO_OAUTH_URL: 'http://provider.example/oauth/' });
    expect(err.variable).toBe('OAUTH_SIGNATURE_METHOD');
    expect(err.message).toContain('NEXMO_OAUTH_URL uses http');
    expect(err.message).not.toContain(SECRET);
    expect(failure({ ...live, NEXMO_REST_URL: 'http://rest.example' }).message).toContain('NEXMO_REST_URL uses http');
    expect(failure({ OAUTH_SIGNATURE_METHOD: 'PLAINTEXT' }).message).toContain('built-in sandbox');
    expect(loadConfig(live).oauth.signatureMethod).toBe('PLAINTEXT');
  });

  it('in production requires an https PUBLIC_URL', () => {
    const base = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), STORE_KEY: 'k'.repeat(32), NEXMO_CONSUMER_KEY: 'k', NEXMO_CONSUMER_SECRET: SECRET };
    expect(failure(base).variable).toBe('PUBLIC_URL');
    expect(failure({ ...base, PUBLIC_URL: 'http://sms.example.com' }).message).toBe('PUBLIC_URL: must be https when NODE_ENV=production');
    expect(loadConfig({ ...base, PUBLIC_URL: 'https://sms.example.com' }).publicUrl).toBe('https://sms.example.com');
  });

  it('in production requires STORE_KEY, long enough, and takes a list for rotation', () => {
    const base = { NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', SESSION_SECRET: 'x'.repeat(40), NEXMO_CONSUMER_KEY: 'k', NEXMO_CONSUMER_SECRET: SECRET };
    expect(failure(base).variable).toBe('STORE_KEY');
    const short = failure({ ...base, STORE_KEY: 'short-store-key' });
    expect(short.variable).toBe('STORE_KEY');
    expect(short.message).not.toContain('short-store-key');
    expect(loadConfig({ ...base, STORE_KEY: `${'n'.repeat(32)},${'o'.repeat(32)}` }).storeKeys).toEqual(['n'.repeat(32), 'o'.repeat(32)]);
    expect(loadConfig({}).storeKeys).toBeUndefined();
  });

  it('logs at info by default, as JSON lines in production and readable text otherwise; LOG_LEVEL picks the level', () => {
    expect(loadConfig({}).log).toEqual({ level: 'info', format: 'pretty' });
    const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', SESSION_SECRET: 'x'.repeat(40), STORE_KEY: 'k'.repeat(32), SANDBOX: '1' };
    expect(loadConfig(production).log).toEqual({ level: 'info', format: 'json' });
    expect(loadConfig({ LOG_LEVEL: 'debug' }).log.level).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'WARN' }).log.level).toBe('warn');
    expect(loadConfig({ LOG_LEVEL: 'silent' }).log.level).toBe('silent');
    expect(failure({ LOG_LEVEL: 'verbose' }).message).toBe('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
  });

  it('has abuse limits a person never meets, each settable, 0 turning one off', () => {
    expect(loadConfig({}).limits).toEqual({ smsPerAccountPerMinute: 5, smsPerAddressPerMinute: 20, smsPerNumberPerHour: 10, smsPartsPerAccountPerDay: 200, loginsPerAddressPerMinute: 10 });
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    const config = loadConfig({
      LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '2',
      LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '0',
      LIMIT_SMS_PER_NUMBER_PER_HOUR: '7',
      LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: '1000',
      LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: '3',
    });
    expect(config.limits).toEqual({ smsPerAccountPerMinute: 2, smsPerAddressPerMinute: 0, smsPerNumberPerHour: 7, smsPartsPerAccountPerDay: 1000, loginsPerAddressPerMinute: 3 });
    for (const bad of ['-1', 'ten', '1.5', '1000001']) {
      expect(failure({ LIMIT_SMS_PER_NUMBER_PER_HOUR: bad }).variable).toBe('LIMIT_SMS_PER_NUMBER_PER_HOUR');
    }
  });

  it('reads SMS_ALLOWED_PREFIXES as country prefixes of 1 to 4 digits, and refuses anything else', () => {
    expect(loadConfig({}).smsAllowedPrefixes).toEqual([]);
    expect(loadConfig({ SMS_ALLOWED_PREFIXES: '44, +353,1,1684' }).smsAllowedPrefixes).toEqual(['44', '353', '1', '1684']);
    for (const bad of ['44,', 'uk', '12345', '044', '44;353', '+']) {
      const err = failure({ SMS_ALLOWED_PREFIXES: bad });
      expect(err.variable).toBe('SMS_ALLOWED_PREFIXES');
      expect(err.message).toMatch(/1 to 4 digits/);
    }
  });
});
