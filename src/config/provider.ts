// The one decision about which OAuth provider the app talks to: the built-in sandbox (no
// credentials configured) or a live provider (Nexmo's URLs, or those configured), with the
// rules that depend on it. Config only reports what was configured; everything downstream
// receives the resolved Provider and never asks again.

import type { ActiveSwitch, PressableControl } from '@nexmo-oauth/sandbox';
import type { Router } from 'express';

import { ConfigError, type Config } from './config.js';

export interface Provider {
  mode: 'sandbox' | 'live';
  consumerKey: string;
  consumerSecret: string;
  /** Server-to-server token endpoints. */
  requestTokenUrl: string;
  accessTokenUrl: string;
  /** Browser-facing base of the authorize/authenticate pages, with a trailing slash. */
  pagesUrl: string;
  /**
   * The pages are the sandbox mounted in this app, so a browser is sent to them at the address
   * it used for the app (`<app origin>/sandbox/oauth/`) rather than at `pagesUrl`.
   */
  pagesFollowAppOrigin: boolean;
  /** Base of the REST API (/sms/json, /account/get-balance), without a trailing slash. */
  restUrl: string;
  /** Sandbox mode only: the provider itself, for the app to mount (routes/paths.ts: SANDBOX_MOUNT). */
  sandboxRouter?: Router;
  /** Sandbox mode only: the demo switches on for a sandbox account, for the pages' banner. */
  sandboxSwitches?: (account: string) => Promise<ActiveSwitch[]>;
  /**
   * Sandbox mode, with the mounted sandbox as the provider the app calls: presses a break-it
   * switch for a sandbox account (the lab's buttons). Absent when NEXMO_OAUTH_URL or
   * NEXMO_REST_URL name another provider, whose calls no switch here could break.
   */
  sandboxPress?: (account: string, action: PressableControl) => Promise<void>;
  /**
   * Destinations that reach no phone (E.164 digits): in sandbox mode, the numbers the sandbox
   * answers by script. The per-number limit protects people's phones, so it does not count these;
   * empty in live mode, where every number is someone's.
   */
  testNumbers: ReadonlySet<string>;
}

/**
 * The app's external base URL: PUBLIC_URL, or the address it listens on. With PORT=0 (tests)
 * the bound port is only known after listening, and loopback is named by address.
 */
export function publicUrlFor(config: Config, boundPort: number): string {
  if (config.publicUrl !== undefined) return config.publicUrl;
  return `http://${config.port === 0 ? '127.0.0.1' : 'localhost'}:${boundPort}`;
}

/** Nexmo's own endpoints: a live provider's URLs unless NEXMO_OAUTH_URL / NEXMO_REST_URL say otherwise. */
export const LIVE_OAUTH_URL = 'https://dashboard.nexmo.com/oauth/';
export const LIVE_REST_URL = 'https://rest.nexmo.com';

/** Said once at start in sandbox mode, loudly: no real SMS leaves the app. */
export const SANDBOX_MODE_WARNING = 'SANDBOX MODE: no NEXMO_CONSUMER_KEY configured, using the built-in sandbox provider. No real SMS is sent.';

/**
 * The decision, made before anything listens. A live provider is known in full; the sandbox's
 * is completed by sandboxProvider once the sandbox is built and the port bound, since its key,
 * secret, router and loopback URLs only exist then.
 */
export type ProviderPlan =
  | { mode: 'live'; provider: Provider }
  | {
      mode: 'sandbox';
      /** NEXMO_OAUTH_URL / NEXMO_REST_URL when set (they win over the mounted sandbox's own). */
      oauthUrl: string | undefined;
      restUrl: string | undefined;
    };

export type SandboxPlan = Extract<ProviderPlan, { mode: 'sandbox' }>;

/**
 * Sandbox without credentials, live with them; and the rules that depend on which: production
 * runs the sandbox only with SANDBOX=1, and PLAINTEXT only over https for the URLs actually
 * used. A broken rule is a ConfigError naming the variable, never carrying a value.
 */
export function resolveProviderPlan(config: Config): ProviderPlan {
  const { consumerKey, consumerSecret, oauthUrl, restUrl, sandboxAllowed } = config.provider;
  if (consumerKey === undefined || consumerSecret === undefined) {
    if (config.production && !sandboxAllowed) {
      throw new ConfigError(
        'NEXMO_CONSUMER_KEY',
        'is not set, so the app would run against the built-in sandbox; in production set SANDBOX=1 to allow that, or configure NEXMO_CONSUMER_KEY and NEXMO_CONSUMER_SECRET',
      );
    }
    refusePlaintextOverHttp(config, oauthUrl, restUrl);
    return { mode: 'sandbox', oauthUrl, restUrl };
  }
  const oauthBase = oauthUrl ?? LIVE_OAUTH_URL;
  const restBase = restUrl ?? LIVE_REST_URL;
  refusePlaintextOverHttp(config, oauthBase, restBase);
  return {
    mode: 'live',
    provider: {
      mode: 'live',
      consumerKey,
      consumerSecret,
      requestTokenUrl: `${oauthBase}request_token`,
      accessTokenUrl: `${oauthBase}access_token`,
      pagesUrl: oauthBase,
      pagesFollowAppOrigin: false,
      restUrl: restBase,
      // Only the sandbox has test numbers: live, every number is someone's phone.
      testNumbers: new Set(),
    },
  };
}

/**
 * PLAINTEXT sends the consumer secret itself in every request: only over TLS (RFC 5849 §3.4.4).
 * An undefined URL is the mounted sandbox's, which is plain http.
 */
function refusePlaintextOverHttp(config: Config, oauthUrl: string | undefined, restUrl: string | undefined): void {
  if (config.oauth.signatureMethod !== 'PLAINTEXT') return;
  for (const [name, url] of [['NEXMO_OAUTH_URL', oauthUrl], ['NEXMO_REST_URL', restUrl]] as const) {
    if (url === undefined || !url.startsWith('https:')) {
      throw new ConfigError('OAUTH_SIGNATURE_METHOD', `PLAINTEXT sends the consumer secret in clear, so it needs https, but ${name} ${url === undefined ? 'is the built-in sandbox (http)' : 'uses http'}; use HMAC-SHA1`);
    }
  }
}

export interface MountedSandbox {
  consumerKey: string;
  consumerSecret: string;
  router: Router;
  testNumbers: readonly string[];
  switchesFor(account: string): Promise<ActiveSwitch[]>;
  press(account: string, action: PressableControl): Promise<void>;
}

/**
 * The sandbox mounted in this server. Server-to-server calls stay on loopback; the browser is
 * sent to the public address. NEXMO_OAUTH_URL / NEXMO_REST_URL still win when set.
 */
export function sandboxProvider(plan: SandboxPlan, sandbox: MountedSandbox, where: { publicUrl: string; boundPort: number; mount: string }): Provider {
  const loopback = `http://127.0.0.1:${where.boundPort}${where.mount}`;
  const oauthBase = plan.oauthUrl ?? `${loopback}/oauth/`;
  return {
    mode: 'sandbox',
    consumerKey: sandbox.consumerKey,
    consumerSecret: sandbox.consumerSecret,
    requestTokenUrl: `${oauthBase}request_token`,
    accessTokenUrl: `${oauthBase}access_token`,
    pagesUrl: plan.oauthUrl ?? `${where.publicUrl}${where.mount}/oauth/`,
    pagesFollowAppOrigin: plan.oauthUrl === undefined,
    restUrl: plan.restUrl ?? loopback,
    sandboxRouter: sandbox.router,
    sandboxSwitches: (account) => sandbox.switchesFor(account),
    ...(plan.oauthUrl === undefined && plan.restUrl === undefined ? { sandboxPress: (account: string, action: PressableControl) => sandbox.press(account, action) } : {}),
    testNumbers: new Set(sandbox.testNumbers),
  };
}
