import { Router } from 'express';
import { describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { LIVE_OAUTH_URL, LIVE_REST_URL, resolveProviderPlan, sandboxProvider, type Provider, type ProviderPlan, type SandboxPlan } from '../../src/config/provider.js';

// The one decision about the provider: sandbox or live, at which URLs, and the rules that
// depend on which. Config only reports what was configured (config.test.ts).

const KEY = 'live-consumer-key';
const SECRET = 'live-consumer-secret-never-shown';
const LIVE = { NEXMO_CONSUMER_KEY: KEY, NEXMO_CONSUMER_SECRET: SECRET };
const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://sms.example.com', SESSION_SECRET: 'x'.repeat(40), STORE_KEY: 'k'.repeat(32) };

const planFor = (env: Record<string, string>): ProviderPlan => resolveProviderPlan(loadConfig(env));

function refusal(env: Record<string, string>): ConfigError {
  const config = loadConfig(env);
  try {
    resolveProviderPlan(config);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected the provider plan to be refused');
}

function sandboxPlan(plan: ProviderPlan): SandboxPlan {
  if (plan.mode !== 'sandbox') throw new Error(`expected sandbox mode, got ${plan.mode}`);
  return plan;
}

function liveProvider(plan: ProviderPlan): Provider {
  if (plan.mode !== 'live') throw new Error(`expected live mode, got ${plan.mode}`);
  return plan.provider;
}

/** What the mounted sandbox brings once it is built: its own credentials and router. */
const mounted = { consumerKey: 'sandbox-key', consumerSecret: 'sandbox-secret', router: Router(), testNumbers: ['447700900999'], switchesFor: async () => [], press: async () => {} };
const where = { publicUrl: 'http://192.168.1.20:3000', boundPort: 3000, mount: '/sandbox' };

describe('sandbox or live', () => {
  it('without credentials is the built-in sandbox, mounted in this server', () => {
    const plan = sandboxPlan(planFor({}));
    expect(plan).toEqual({ mode: 'sandbox', oauthUrl: undefined, restUrl: undefined });
    const provider = sandboxProvider(plan, mounted, where);
    expect(provider).toEqual<Provider>({
      mode: 'sandbox',
      consumerKey: 'sandbox-key',
      consumerSecret: 'sandbox-secret',
      // Server-to-server calls stay on loopback, at the port actually bound.
      requestTokenUrl: 'http://127.0.0.1:3000/sandbox/oauth/request_token',
      accessTokenUrl: 'http://127.0.0.1:3000/sandbox/oauth/access_token',
      // The browser is sent to the address it used.
      pagesUrl: 'http://192.168.1.20:3000/sandbox/oauth/',
      pagesFollowAppOrigin: true,
      restUrl: 'http://127.0.0.1:3000/sandbox',
      sandboxRouter: mounted.router,
      // The banner's switches come from the sandbox itself.
      sandboxSwitches: expect.any(Function),
      // The lab's break-it buttons press the mounted sandbox's switches.
      sandboxPress: expect.any(Function),
      testNumbers: new Set(['447700900999']),
    });
  });

  it('with credentials is live, at Nexmo’s own URLs by default, and needs no sandbox', () => {
    const plan = planFor(LIVE);
    expect(plan.mode).toBe('live');
    expect(liveProvider(plan)).toEqual<Provider>({
      mode: 'live',
      consumerKey: KEY,
      consumerSecret: SECRET,
      requestTokenUrl: `${LIVE_OAUTH_URL}request_token`,
      accessTokenUrl: `${LIVE_OAUTH_URL}access_token`,
      pagesUrl: LIVE_OAUTH_URL,
      pagesFollowAppOrigin: false,
      restUrl: LIVE_REST_URL,
      testNumbers: new Set(),
    });
    expect([LIVE_OAUTH_URL, LIVE_REST_URL]).toEqual(['https://dashboard.nexmo.com/oauth/', 'https://rest.nexmo.com']);
    expect(liveProvider(plan).sandboxRouter).toBeUndefined();
  });

  it('live: NEXMO_OAUTH_URL and NEXMO_REST_URL replace Nexmo’s, each on its own', () => {
    const both = liveProvider(planFor({ ...LIVE, NEXMO_OAUTH_URL: 'http://127.0.0.1:4000/oauth', NEXMO_REST_URL: 'http://127.0.0.1:4000/' }));
    expect(both).toMatchObject({
      requestTokenUrl: 'http://127.0.0.1:4000/oauth/request_token',
      accessTokenUrl: 'http://127.0.0.1:4000/oauth/access_token',
      pagesUrl: 'http://127.0.0.1:4000/oauth/',
      restUrl: 'http://127.0.0.1:4000',
    });
    expect(liveProvider(planFor({ ...LIVE, NEXMO_OAUTH_URL: 'https://oauth.example/' }))).toMatchObject({ pagesUrl: 'https://oauth.example/', restUrl: LIVE_REST_URL });
    expect(liveProvider(planFor({ ...LIVE, NEXMO_REST_URL: 'https://rest.example' }))).toMatchObject({ pagesUrl: LIVE_OAUTH_URL, restUrl: 'https://rest.example' });
  });

  it('sandbox: NEXMO_OAUTH_URL and NEXMO_REST_URL win over the mounted sandbox’s own, signed with its credentials', () => {
    const plan = sandboxPlan(planFor({ NEXMO_OAUTH_URL: 'http://127.0.0.1:4000/oauth/', NEXMO_REST_URL: 'http://127.0.0.1:4000' }));
    expect(plan).toEqual({ mode: 'sandbox', oauthUrl: 'http://127.0.0.1:4000/oauth/', restUrl: 'http://127.0.0.1:4000' });
    expect(sandboxProvider(plan, mounted, where)).toMatchObject({
      consumerKey: 'sandbox-key',
      consumerSecret: 'sandbox-secret',
      requestTokenUrl: 'http://127.0.0.1:4000/oauth/request_token',
      pagesUrl: 'http://127.0.0.1:4000/oauth/',
      pagesFollowAppOrigin: false,
      restUrl: 'http://127.0.0.1:4000',
    });
    // The lab's break-it buttons would press switches of a sandbox the app does not call.
    expect(sandboxProvider(plan, mounted, where).sandboxPress).toBeUndefined();
    expect(sandboxProvider(sandboxPlan(planFor({ NEXMO_REST_URL: 'http://127.0.0.1:4000' })), mounted, where).sandboxPress).toBeUndefined();
    // Only one given: the other stays the mounted sandbox's.
    expect(sandboxProvider(sandboxPlan(planFor({ NEXMO_REST_URL: 'http://127.0.0.1:4000' })), mounted, where)).toMatchObject({
      pagesUrl: 'http://192.168.1.20:3000/sandbox/oauth/',
      pagesFollowAppOrigin: true,
      restUrl: 'http://127.0.0.1:4000',
    });
  });
});

describe('production', () => {
  it('refuses the sandbox unless SANDBOX=1 opts in, naming NEXMO_CONSUMER_KEY', () => {
    const err = refusal(PRODUCTION);
    expect(err.variable).toBe('NEXMO_CONSUMER_KEY');
    expect(err.message).toBe(
      'NEXMO_CONSUMER_KEY: is not set, so the app would run against the built-in sandbox; in production set SANDBOX=1 to allow that, or configure NEXMO_CONSUMER_KEY and NEXMO_CONSUMER_SECRET',
    );
    for (const notOne of ['true', 'yes', '0']) expect(refusal({ ...PRODUCTION, SANDBOX: notOne }).variable).toBe('NEXMO_CONSUMER_KEY');
    expect(planFor({ ...PRODUCTION, SANDBOX: '1' }).mode).toBe('sandbox');
  });

  it('runs live with credentials, whether or not SANDBOX is set', () => {
    expect(planFor({ ...PRODUCTION, ...LIVE }).mode).toBe('live');
    expect(planFor({ ...PRODUCTION, ...LIVE, SANDBOX: '1' }).mode).toBe('live');
  });

  it('outside production, runs the sandbox without SANDBOX=1', () => {
    expect(planFor({ NODE_ENV: 'development' }).mode).toBe('sandbox');
  });
});

describe('PLAINTEXT signatures', () => {
  const PLAINTEXT = { OAUTH_SIGNATURE_METHOD: 'PLAINTEXT' };

  it('are allowed live over Nexmo’s https URLs, and over https URLs configured', () => {
    expect(planFor({ ...LIVE, ...PLAINTEXT }).mode).toBe('live');
    expect(planFor({ ...LIVE, ...PLAINTEXT, NEXMO_OAUTH_URL: 'https://oauth.example/', NEXMO_REST_URL: 'https://rest.example' }).mode).toBe('live');
  });

  it('are refused live when a URL that will be used is http, naming it', () => {
    const oauth = refusal({ ...LIVE, ...PLAINTEXT, NEXMO_OAUTH_URL: 'http://provider.example/oauth/' });
    expect(oauth.variable).toBe('OAUTH_SIGNATURE_METHOD');
    expect(oauth.message).toBe('OAUTH_SIGNATURE_METHOD: PLAINTEXT sends the consumer secret in clear, so it needs https, but NEXMO_OAUTH_URL uses http; use HMAC-SHA1');
    const rest = refusal({ ...LIVE, ...PLAINTEXT, NEXMO_REST_URL: 'http://rest.example' });
    expect(rest.message).toBe('OAUTH_SIGNATURE_METHOD: PLAINTEXT sends the consumer secret in clear, so it needs https, but NEXMO_REST_URL uses http; use HMAC-SHA1');
  });

  it('are refused in sandbox mode over the mounted sandbox’s own http URLs', () => {
    expect(refusal(PLAINTEXT).message).toBe('OAUTH_SIGNATURE_METHOD: PLAINTEXT sends the consumer secret in clear, so it needs https, but NEXMO_OAUTH_URL is the built-in sandbox (http); use HMAC-SHA1');
    expect(refusal({ ...PLAINTEXT, NEXMO_OAUTH_URL: 'https://oauth.example/' }).message).toContain('but NEXMO_REST_URL is the built-in sandbox (http)');
    // Both configured https: the mounted sandbox's http URLs are not used.
    expect(planFor({ ...PLAINTEXT, NEXMO_OAUTH_URL: 'https://oauth.example/', NEXMO_REST_URL: 'https://rest.example' }).mode).toBe('sandbox');
  });

  it('are not refused for HMAC-SHA1 over http', () => {
    expect(planFor({ ...LIVE, NEXMO_OAUTH_URL: 'http://provider.example/oauth/', NEXMO_REST_URL: 'http://rest.example' }).mode).toBe('live');
  });
});

describe('a refusal', () => {
  it('names its variable and carries no value: not the secret, not the URLs, not SANDBOX’s', () => {
    const S = 'hunter2-S3cr3t';
    const refusals = [
      refusal({ ...LIVE, NEXMO_CONSUMER_SECRET: S, OAUTH_SIGNATURE_METHOD: 'PLAINTEXT', NEXMO_OAUTH_URL: `http://provider.example/${S}/` }),
      refusal({ ...LIVE, NEXMO_CONSUMER_SECRET: S, OAUTH_SIGNATURE_METHOD: 'PLAINTEXT', NEXMO_REST_URL: `http://rest.example/${S}` }),
      refusal({ OAUTH_SIGNATURE_METHOD: 'PLAINTEXT', NEXMO_OAUTH_URL: `https://oauth.example/${S}/` }),
      refusal({ ...PRODUCTION, SANDBOX: S, SESSION_SECRET: `${S}-${'x'.repeat(32)}` }),
    ];
    expect(refusals.map((err) => err.variable)).toEqual(['OAUTH_SIGNATURE_METHOD', 'OAUTH_SIGNATURE_METHOD', 'OAUTH_SIGNATURE_METHOD', 'NEXMO_CONSUMER_KEY']);
    for (const err of refusals) {
      expect(err.message.startsWith(`${err.variable}: `)).toBe(true);
      expectNoSecretIn(err.message, S, 'hunter2', 'provider.example', 'rest.example', 'oauth.example');
    }
  });
});
