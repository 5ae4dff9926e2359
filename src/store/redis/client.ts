import { createClient } from 'redis';

import type { Logger } from '../../logging/logger.js';
import { StoreUnavailableError } from '../types.js';

export type Redis = ReturnType<typeof createClient>;

/** Every key the app writes starts with this, so it can share a Redis with other programs. */
export const PREFIX = 'nexmo:';

/** How long a command may take before the request that needs it gets a 503. */
const COMMAND_TIMEOUT_MS = 2000;
/** How long `npm start` waits for Redis before giving up, naming REDIS_URL. */
export const START_WAIT_MS = 20_000;

/** host:port of a Redis URL, for log lines: never its user name or password. */
export function describeRedisUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
}

/**
 * A client that fails fast instead of hanging: commands are refused at once while the
 * connection is down (no offline queue) and time out after COMMAND_TIMEOUT_MS, so a request
 * that needs the store gets a 503 within seconds. It reconnects by itself, forever, so service
 * returns when Redis does.
 */
export function createRedis(url: string, log: Logger): Redis {
  const where = describeRedisUrl(url);
  let down = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: 1000,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: { connectTimeout: COMMAND_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 1000) },
  });
  // One line when the connection is lost and one when it is back, not one per retry.
  client.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    log.error(`Redis at ${where} is unreachable (${err instanceof Error ? err.message.split('\n')[0] : 'error'}); retrying, requests that need it get a 503 meanwhile`);
  });
  client.on('ready', () => {
    if (down) log.info(`Redis at ${where} is reachable again`);
    down = false;
  });
  return client;
}

/** Runs a store operation, turning any Redis failure into a StoreUnavailableError. */
export async function guarded<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw new StoreUnavailableError(`Redis failed during ${what}`, { cause: err });
  }
}
