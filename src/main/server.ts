import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

import { ConfigError, loadConfig, type StoreConfig } from '../config/config.js';
import { withDotEnv } from '../config/dotEnv.js';
import { createLogger, type RootLogger } from '../logging/logger.js';
import { projectRoot } from '../config/paths.js';
import { resolveProviderPlan, SANDBOX_MODE_WARNING, type ProviderPlan } from '../config/provider.js';
import { startServer, type RunningApp } from './compose.js';
import { answersEveryAddress } from '../lib/hostNames.js';
import { loopbackPublicUrlWarning } from '../present/addressPages.js';
import { reachableUrls } from './addresses.js';
import { roomUrl, terminalQr } from '../present/roomQr.js';
import { describeRedisUrl } from '../store/redis/client.js';

// The process entry: read configuration, decide the provider, listen, and shut down cleanly on
// SIGTERM/SIGINT.
async function main(): Promise<void> {
  let config;
  let plan: ProviderPlan;
  // Notices found while reading the configuration wait for the logger it configures.
  const warnings: string[] = [];
  try {
    config = loadConfig(withDotEnv(process.env, resolve(projectRoot, '.env')), (line) => warnings.push(line));
    // Sandbox or live, and the rules that depend on it, fail here: before any log line or port.
    plan = resolveProviderPlan(config);
    if (plan.mode === 'sandbox') warnings.push(SANDBOX_MODE_WARNING);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.log);
  // Handlers first: a signal that arrives while starting still closes cleanly.
  let running: RunningApp | undefined;
  const stop = (signal: string) => {
    log.info(`${signal} received, closing`);
    void (running ? running.close() : Promise.resolve()).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  for (const line of warnings) log.warn(line);
  running = await startServer(config, plan, { log });
  log.info(`storage: ${describeStore(config.store)}`);
  log.info(`listening on ${running.url}${plan.mode === 'sandbox' ? ' (sandbox mode: open it and click "Connect with Nexmo")' : ''}`);
  // Without PUBLIC_URL (or with a loopback one) the app answers at every address of this
  // machine: say which, so a presenter can tell the room one that works from their laptops.
  if (answersEveryAddress(config.publicUrl)) {
    const port = (running.server.address() as AddressInfo).port;
    const { local, network } = reachableUrls(port);
    const warning = loopbackPublicUrlWarning(config.publicUrl, network);
    if (warning) log.warn(warning);
    log.info(`  Local:   ${local}/`);
    for (const url of network) log.info(`  Network: ${url}/`);
    if (network.length === 0) log.info('  Network: none (this machine has no network address other than loopback)');
    const scanned = roomUrl(network);
    const qr = scanned === undefined ? undefined : await terminalQr(`${scanned}/`, { format: config.log.format, isTTY: process.stdout.isTTY === true });
    // Straight to the terminal, not a log line: it is a picture for phones, not a record. The
    // readable logger writes synchronously, and gathered JSON lines are written first, so it
    // lands right below the lines above.
    await logWritten(log);
    if (qr) process.stdout.write(`\n  Scan to open ${scanned}/ on a phone:\n${qr}\n`);
  }
  // JSON lines are gathered into larger writes: the startup lines go out now, since what watches
  // the process waits for "listening on".
  await logWritten(log);
}

function logWritten(log: RootLogger): Promise<void> {
  return new Promise((resolve) => log.flush(() => resolve()));
}

main().catch((err: unknown) => {
  // A store that cannot be opened is a configuration problem too, and is named the same way.
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error(`Could not start: ${err instanceof Error ? err.message : 'unknown error'}`);
  process.exit(1);
});

function describeStore(store: StoreConfig): string {
  return store.kind === 'sqlite' ? `SQLite file ${store.path}` : `Redis at ${describeRedisUrl(store.url)} (shared)`;
}
