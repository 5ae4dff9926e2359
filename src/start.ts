import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox, SandboxOptions } from '@nexmo-oauth/sandbox';
import type session from 'express-session';

import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createOAuthConsumer } from './oauth/consumer.js';

export interface StartOptions {
  log: Logger;
  sandboxOptions?: SandboxOptions;
  sessionStore?: session.Store;
  now?: () => number;
}

export interface RunningApp {
  server: Server;
  /** The app's public base URL (PUBLIC_URL, or the bound address when PORT was 0). */
  url: string;
  sandbox: Sandbox | undefined;
  close(): Promise<void>;
}

/**
 * Listens first, then builds the app: in sandbox mode the consumer calls the sandbox mounted in
 * this very server, so its URLs depend on the port actually bound (PORT=0 in tests).
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningApp> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.port === 0 && config.publicUrlFromPort ? `http://127.0.0.1:${port}` : config.publicUrl;

  let sandbox: Sandbox | undefined;
  let consumerKey = config.oauth.consumerKey;
  let consumerSecret = config.oauth.consumerSecret;
  let oauthBase = config.oauth.baseUrl;
  let providerPagesUrl = config.oauth.baseUrl;
  let restUrl = config.restUrl;
  if (config.sandbox) {
    // Loaded only in sandbox mode: with credentials configured the app never touches it.
    const { createSandbox } = await import('@nexmo-oauth/sandbox');
    sandbox = createSandbox({ log: options.log, now: options.now, ...options.sandboxOptions });
    consumerKey = sandbox.consumerKey;
    consumerSecret = sandbox.consumerSecret;
    // Server-to-server calls stay on loopback; the browser is sent to the public address.
    const loopback = `http://127.0.0.1:${port}/sandbox`;
    oauthBase ??= `${loopback}/oauth/`;
    providerPagesUrl ??= `${publicUrl}/sandbox/oauth/`;
    restUrl ??= loopback;
  }
  if (!consumerKey || !consumerSecret || !oauthBase || !providerPagesUrl || !restUrl) {
    server.close();
    throw new Error('provider configuration is incomplete');
  }

  const consumer = createOAuthConsumer({
    requestTokenUrl: `${oauthBase}request_token`,
    accessTokenUrl: `${oauthBase}access_token`,
    consumerKey,
    consumerSecret,
    callbackUrl: `${publicUrl}/auth/callback`,
    signatureMethod: config.oauth.signatureMethod,
    timeoutMs: config.oauth.timeoutMs,
  });
  const app = createApp({
    config: { ...config, publicUrl },
    consumer,
    providerPagesUrl,
    restUrl,
    sandboxRouter: sandbox?.router,
    sessionStore: options.sessionStore,
    log: options.log,
    now: options.now,
  });
  server.on('request', app);

  return {
    server,
    url: publicUrl,
    sandbox,
    close: () =>
      new Promise<void>((resolve) => {
        consumer.close();
        sandbox?.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
