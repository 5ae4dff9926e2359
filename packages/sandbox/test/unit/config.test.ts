import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';

describe('standalone configuration', () => {
  it('reads its port, host and optional fixed credentials from the environment', () => {
    expect(readConfig({})).toEqual({ port: 4000, host: '127.0.0.1', consumerKey: undefined, consumerSecret: undefined });
    expect(readConfig({ SANDBOX_PORT: '0', SANDBOX_HOST: '0.0.0.0', SANDBOX_CONSUMER_KEY: 'k', SANDBOX_CONSUMER_SECRET: 's' })).toEqual({
      port: 0,
      host: '0.0.0.0',
      consumerKey: 'k',
      consumerSecret: 's',
    });
  });

  it('reads an optional receipt signature secret and method, md5hash by default', () => {
    expect(readConfig({}).receiptSignature).toBeUndefined();
    expect(readConfig({ SANDBOX_SIGNATURE_SECRET: 'secret-of-the-app' }).receiptSignature).toEqual({ secret: 'secret-of-the-app', method: 'md5hash' });
    expect(readConfig({ SANDBOX_SIGNATURE_SECRET: 'secret-of-the-app', SANDBOX_SIGNATURE_METHOD: 'sha512' }).receiptSignature).toEqual({ secret: 'secret-of-the-app', method: 'sha512' });
    expect(() => readConfig({ SANDBOX_SIGNATURE_SECRET: 'secret-of-the-app', SANDBOX_SIGNATURE_METHOD: 'sha384' })).toThrow('SANDBOX_SIGNATURE_METHOD must be one of md5hash, md5, sha1, sha256, sha512');
    expect(() => readConfig({ SANDBOX_SIGNATURE_METHOD: 'sha1' })).toThrow('SANDBOX_SIGNATURE_METHOD needs SANDBOX_SIGNATURE_SECRET');
  });

  it('names the variable at fault', () => {
    expect(() => readConfig({ SANDBOX_PORT: 'http' })).toThrow(/SANDBOX_PORT/);
    expect(() => readConfig({ SANDBOX_PORT: '70000' })).toThrow(/SANDBOX_PORT/);
    expect(() => readConfig({ SANDBOX_PORT: '-1' })).toThrow(/SANDBOX_PORT/);
    expect(() => readConfig({ SANDBOX_CONSUMER_KEY: 'k' })).toThrow(/SANDBOX_CONSUMER_SECRET/);
    expect(() => readConfig({ SANDBOX_CONSUMER_SECRET: 's' })).toThrow(/SANDBOX_CONSUMER_KEY/);
  });
});
