import { ConfigError, type StoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { createSqliteStores } from './sqlite/index.js';
import type { AppStores } from './types.js';

/** Opens the configured backend; a path or URL that cannot be used stops the start, named. */
export async function openStores(config: StoreConfig, options: { log: Logger; now?: () => number }): Promise<AppStores> {
  if (config.kind === 'sqlite') {
    try {
      return createSqliteStores(config.path, options.now);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new ConfigError('SQLITE_PATH', `cannot create or open ${config.path}${typeof code === 'string' ? ` (${code})` : ''}`);
    }
  }
  const { connectRedisStores } = await import('./redis/index.js');
  return connectRedisStores(config.url, options);
}
