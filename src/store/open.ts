import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { ConfigError, type StoreConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { projectRoot } from '../config/paths.js';
import { prepareDataFolder } from './dataFiles.js';
import { SchemaTooNewError } from './schemaVersion.js';
import { createSealer, newStoreKey } from './sealing.js';
import { createSqliteStores } from './sqlite/index.js';
import type { AppStores } from './types.js';

export interface OpenOptions {
  log: Logger;
  now?: () => number;
  /** STORE_KEY; without it (development only) a key file is made once and reused. */
  storeKeys?: string[];
  /** SESSION_IDLE_MINUTES, in ms (a store that keeps its own expiries needs it). */
  sessionIdleMs?: number;
}

/** Opens the configured backend; a path or URL that cannot be used stops the start, named. */
export async function openStores(config: StoreConfig, options: OpenOptions): Promise<AppStores> {
  // The key file sits beside the database: a folder that cannot be made is SQLITE_PATH's problem.
  if (config.kind === 'sqlite') {
    let warning: string | undefined;
    try {
      warning = prepareDataFolder(dirname(config.path));
    } catch (err) {
      throw sqlitePathError(config.path, err);
    }
    if (warning) options.log.warn(warning);
  }
  const sealer = createSealer(options.storeKeys ?? [keyFromFile(keyFileFor(config), options.log)]);
  if (config.kind === 'sqlite') {
    try {
      return createSqliteStores(config.path, { now: options.now, sealer, sessionIdleMs: options.sessionIdleMs });
    } catch (err) {
      // Said as it is: the file is fine, the app is too old for it.
      if (err instanceof SchemaTooNewError) throw err;
      throw sqlitePathError(config.path, err);
    }
  }
  const { connectRedisStores } = await import('./redis/index.js');
  return connectRedisStores(config.url, { log: options.log, sealer, sessionIdleMs: options.sessionIdleMs });
}

function sqlitePathError(path: string, err: unknown): ConfigError {
  const code = (err as { code?: unknown }).code;
  return new ConfigError('SQLITE_PATH', `cannot create or open ${path}${typeof code === 'string' ? ` (${code})` : ''}`);
}

/**
 * Beside the SQLite file, not inside it: a copy of the database alone opens no token. With
 * Redis, in the project's data/ folder (instances on other machines need STORE_KEY).
 */
function keyFileFor(config: StoreConfig): string {
  return config.kind === 'sqlite' ? `${config.path}.key` : resolve(projectRoot, 'data/store.key');
}

function keyFromFile(file: string, log: Logger): string {
  try {
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    prepareDataFolder(dirname(file));
    writeFileSync(file, `${newStoreKey()}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    log.warn(`STORE_KEY is not set: made a key for tokens at rest in ${file} (keep it with the data; set STORE_KEY in production)`);
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new ConfigError('STORE_KEY', `is not set, and the key file ${file} cannot be read or made${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}
