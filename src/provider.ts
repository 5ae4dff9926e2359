// The one decision about which OAuth provider the app talks to: the built-in sandbox (no
// credentials configured) or a live provider (Nexmo's URLs, or those configured). Everything
// downstream receives the resolved Provider and never asks again.

import type { Router } from 'express';

import type { Config } from './config.js';

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
  /** Sandbox mode only: the provider itself, for the app to mount at SANDBOX_MOUNT. */
  sandboxRouter?: Router;
  /**
   * Destinations that reach no phone (E.164 digits): in sandbox mode, the numbers the sandbox
   * answers by script. The per-number limit protects people's phones, so it does not count these;
   * empty in live mode, where every number is someone's.
   */
  testNumbers: ReadonlySet<string>;
}

/** Where the app mounts the built-in sandbox. */
export const SANDBOX_MOUNT = '/sandbox';

/**
 * The app's external base URL: PUBLIC_URL, or the address it listens on. With PORT=0 (tests)
 * the bound port is only known after listening, and loopback is named by address.
 */
export function publicUrlFor(config: Config, boundPort: number): string {
  if (config.publicUrl !== undefined) return config.publicUrl;
  return `http://${config.port === 0 ? '127.0.0.1' : 'localhost'}:${boundPort}`;
}

export function liveProvider(config: Config): Provider {
  const { consumerKey, consumerSecret, baseUrl } = config.oauth;
  if (config.sandbox || !consumerKey || !consumerSecret || !baseUrl || !config.restUrl) {
    throw new Error('live provider configuration is incomplete');
  }
  return {
    mode: 'live',
    consumerKey,
    consumerSecret,
    requestTokenUrl: `${baseUrl}request_token`,
    accessTokenUrl: `${baseUrl}access_token`,
    pagesUrl: baseUrl,
    pagesFollowAppOrigin: false,
    restUrl: config.restUrl,
    testNumbers: new Set(),
  };
}

export interface MountedSandbox {
  consumerKey: string;
  consumerSecret: string;
  router: Router;
  testNumbers: readonly string[];
}

/**
 * The sandbox mounted in this server. Server-to-server calls stay on loopback; the browser is
 * sent to the public address. NEXMO_OAUTH_URL / NEXMO_REST_URL still win when set.
 */
export function sandboxProvider(config: Config, sandbox: MountedSandbox, where: { publicUrl: string; boundPort: number }): Provider {
  const loopback = `http://127.0.0.1:${where.boundPort}${SANDBOX_MOUNT}`;
  const oauthBase = config.oauth.baseUrl ?? `${loopback}/oauth/`;
  return {
    mode: 'sandbox',
    consumerKey: sandbox.consumerKey,
    consumerSecret: sandbox.consumerSecret,
    requestTokenUrl: `${oauthBase}request_token`,
    accessTokenUrl: `${oauthBase}access_token`,
    pagesUrl: config.oauth.baseUrl ?? `${where.publicUrl}${SANDBOX_MOUNT}/oauth/`,
    pagesFollowAppOrigin: config.oauth.baseUrl === undefined,
    restUrl: config.restUrl ?? loopback,
    sandboxRouter: sandbox.router,
    testNumbers: new Set(sandbox.testNumbers),
  };
}
