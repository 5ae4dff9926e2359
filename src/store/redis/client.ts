import { createHash } from 'node:crypto';

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
 * connection is down (no offline queue), and every store operation is given up after
 * COMMAND_TIMEOUT_MS (withinDeadline), so a request that needs the store gets a 503 within
 * seconds. It reconnects by itself, forever, so service returns when Redis does.
 */
export function createRedis(url: string, log: Logger): Redis {
  const where = describeRedisUrl(url);
  let down = false;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: 1000,
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

/**
 * `operation`, or a rejection once COMMAND_TIMEOUT_MS have passed without its answer (a Redis
 * that stalls with its connection open). One timer per store operation, cleared when it answers:
 * the client's own per-command timeout (commandOptions.timeout) makes an AbortSignal.timeout for
 * every command, which fires after the deadline even when the command answered long before, and
 * cost about 3% of a send's CPU.
 */
export function withinDeadline<T>(operation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
  });
  return Promise.race([operation, deadline]).finally(() => clearTimeout(timer));
}

/** Runs a store operation within the deadline, turning any Redis failure into a StoreUnavailableError. */
export async function guarded<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await withinDeadline(operation());
  } catch (err) {
    throw new StoreUnavailableError(`Redis failed during ${what}`, { cause: err });
  }
}

type EvalOptions = Parameters<Redis['eval']>[1];

/** A Lua script and its SHA1, by which Redis runs it without being sent its text. */
export interface Script {
  text: string;
  sha: string;
}

/** Every script the stores define, loaded into Redis when they connect (loadScripts). */
const scripts: Script[] = [];

export function defineScript(text: string): Script {
  const script = { text, sha: createHash('sha1').update(text).digest('hex') };
  scripts.push(script);
  return script;
}

/** SCRIPT LOAD of every defined script, so that even the first call of each is an EVALSHA. */
export async function loadScripts(redis: Redis): Promise<void> {
  await Promise.all(scripts.map((script) => redis.scriptLoad(script.text)));
}

/**
 * Runs a script by its SHA1 (EVALSHA), sending its text (EVAL) only when this Redis does not
 * have it (NOSCRIPT: a server restarted or flushed since the app connected). EVAL alone sends
 * the whole script with every call, and Redis hashes it each time.
 */
export async function runScript(redis: Redis, script: Script, options: EvalOptions): Promise<unknown> {
  try {
    return await redis.evalSha(script.sha, options);
  } catch (err) {
    if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
    return redis.eval(script.text, options);
  }
}
