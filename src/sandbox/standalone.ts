/**
 * Runs the sandbox on its own, for clients other than the app (Nexmo's PHP sample with PECL
 * OAuth, requests-oauthlib, curl). Started by `npm run sandbox`; importing it does nothing.
 *
 * Environment: SANDBOX_PORT (default 4000), SANDBOX_HOST (default 127.0.0.1), and optionally
 * SANDBOX_CONSUMER_KEY + SANDBOX_CONSUMER_SECRET to keep the same credentials across restarts.
 */
import type { Server } from 'node:http';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { createSandbox } from './index.js';
import type { Sandbox } from './index.js';

export interface StandaloneSettings {
  port: number;
  host: string;
  consumerKey: string | undefined;
  consumerSecret: string | undefined;
}

export function readSettings(env: NodeJS.ProcessEnv): StandaloneSettings {
  const rawPort = env['SANDBOX_PORT'] ?? '4000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new Error(`SANDBOX_PORT must be a port number (0-65535), got "${rawPort}"`);
  }
  const consumerKey = env['SANDBOX_CONSUMER_KEY'] || undefined;
  const consumerSecret = env['SANDBOX_CONSUMER_SECRET'] || undefined;
  if ((consumerKey === undefined) !== (consumerSecret === undefined)) {
    throw new Error('set both SANDBOX_CONSUMER_KEY and SANDBOX_CONSUMER_SECRET, or neither');
  }
  return { port, host: env['SANDBOX_HOST'] || '127.0.0.1', consumerKey, consumerSecret };
}

export interface RunningSandbox {
  baseUrl: string;
  /** The sandbox itself, for a caller that wants its outbox or stats without going over HTTP. */
  sandbox: Sandbox;
  close(): Promise<void>;
}

export async function startStandalone(settings: StandaloneSettings, print: (line: string) => void): Promise<RunningSandbox> {
  const sandbox = createSandbox({
    ...(settings.consumerKey === undefined ? {} : { consumerKey: settings.consumerKey }),
    ...(settings.consumerSecret === undefined ? {} : { consumerSecret: settings.consumerSecret }),
    log: print,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(sandbox.router);

  const server: Server = await new Promise((resolveServer, reject) => {
    const s = app.listen(settings.port, settings.host, () => resolveServer(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const baseUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;

  // Printing the secret is deliberate: these are the sandbox's own demo credentials, and a
  // client cannot be configured without them.
  print(`Nexmo sandbox listening on ${baseUrl}`);
  print(`  consumer key:     ${sandbox.consumerKey}`);
  print(`  consumer secret:  ${sandbox.consumerSecret}`);
  print(`  request token:    POST ${baseUrl}/oauth/request_token`);
  print(`  authorize:        GET  ${baseUrl}/oauth/authorize?oauth_token=...`);
  print(`  access token:     POST ${baseUrl}/oauth/access_token`);
  print(`  send SMS:         POST ${baseUrl}/sms/json`);
  print(`  balance:          GET  ${baseUrl}/account/get-balance`);
  print(`  outbox:           GET  ${baseUrl}/outbox`);
  print('Sign requests for the host name you actually connect to: it is part of the signature.');

  return {
    baseUrl,
    sandbox,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        sandbox.close();
        server.close((err) => (err ? reject(err) : resolveClose()));
        // Keep-alive connections would hold close() open; idle ones can go at once.
        server.closeIdleConnections();
      }),
  };
}

async function main(): Promise<void> {
  const running = await startStandalone(readSettings(process.env), (line) => console.log(line));
  const stop = (signal: string): void => {
    console.log(`${signal} received, closing the sandbox`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
