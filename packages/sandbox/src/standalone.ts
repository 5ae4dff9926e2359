#!/usr/bin/env node
/**
 * Runs the sandbox on its own, for clients other than the app (Nexmo's PHP sample with PECL
 * OAuth, requests-oauthlib, curl). Started by `npm run sandbox` or the package's `nexmo-sandbox`
 * command; importing it does nothing. Its settings come from the environment (config.ts).
 */
import type { Server } from 'node:http';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { readConfig } from './config.js';
import type { StandaloneConfig } from './config.js';
import { createSandbox } from './index.js';
import type { Sandbox } from './index.js';

export type { StandaloneConfig } from './config.js';

export interface RunningSandbox {
  baseUrl: string;
  /** The sandbox itself, for a caller that wants its outbox or stats without going over HTTP. */
  sandbox: Sandbox;
  close(): Promise<void>;
}

export async function startStandalone(config: StandaloneConfig, print: (line: string) => void): Promise<RunningSandbox> {
  const sandbox = await createSandbox({
    ...(config.consumerKey === undefined ? {} : { consumerKey: config.consumerKey }),
    ...(config.consumerSecret === undefined ? {} : { consumerSecret: config.consumerSecret }),
    ...(config.receiptSignature === undefined ? {} : { receiptSignature: config.receiptSignature }),
    log: print,
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(sandbox.router);

  const server: Server = await new Promise((resolveServer, reject) => {
    const s = app.listen(config.port, config.host, () => resolveServer(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
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
  print(`  outbox:           GET  ${baseUrl}/outbox (after signing in to a sandbox account)`);
  print(`  demo controls:    GET  ${baseUrl}/controls`);
  // The signature secret is the receiving app's to keep: only the method is printed.
  if (config.receiptSignature) print(`  receipts:         signed (${config.receiptSignature.method})`);
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
  // Listening for signals before starting: a SIGTERM that arrives while the credentials are
  // being printed must still close the sandbox gracefully, not kill it mid-start.
  let running: RunningSandbox | undefined;
  let stopping: string | undefined;
  const close = (sandbox: RunningSandbox): void => {
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  const stop = (signal: string): void => {
    if (stopping !== undefined) return;
    stopping = signal;
    console.log(`${signal} received, closing the sandbox`);
    // Still starting: closed as soon as it has started.
    if (running !== undefined) close(running);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  running = await startStandalone(readConfig(process.env), (line) => console.log(line));
  if (stopping !== undefined) close(running);
}

/**
 * True when this file is the program node runs, also when started through the npm bin symlink
 * (node_modules/.bin/nexmo-sandbox): node resolves the symlink for import.meta.url, so the
 * path in argv is resolved the same way before comparing.
 */
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
