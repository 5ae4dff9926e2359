import { SchemaTooNewError, SchemaUnreadableError } from '../schemaVersion.js';
import { PREFIX, defineScript, runScript, type Redis } from './client.js';

/** Where the layout's version is kept, beside the app's other keys. */
export const SCHEMA_KEY = `${PREFIX}schema-version`;

/**
 * The layout of the app's keys, as ordered steps: step N turns a version N-1 Redis into version
 * N. Instances starting together may each run a step, so every step must be safe to run twice.
 */
export const REDIS_MIGRATIONS: ReadonlyArray<(redis: Redis) => Promise<void>> = [
  // 1: the keys as they were before a version was kept; a Redis without the version key (new,
  // or written before versions) is this, and nothing in it changes.
  async () => {},
];

export const LATEST_REDIS_VERSION = REDIS_MIGRATIONS.length;

// Raises the version, never lowers it: an older instance finishing after a newer one started
// cannot take the number back. Returns the version now kept.
const RAISE = defineScript(`
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[1])
if current >= wanted then return current end
redis.call('SET', KEYS[1], ARGV[1])
return wanted
`);

/**
 * Brings the Redis to LATEST_REDIS_VERSION, or throws SchemaTooNewError (writing nothing) when a
 * newer version of the app wrote it. `where` names the Redis without its credentials.
 */
export async function migrateRedis(redis: Redis, where: string): Promise<void> {
  const raw = await redis.get(SCHEMA_KEY);
  if (raw !== null && !/^\d{1,9}$/.test(raw)) throw new SchemaUnreadableError(where, raw, 'REDIS_URL');
  const current = raw === null ? 0 : Number(raw);
  if (current > LATEST_REDIS_VERSION) throw new SchemaTooNewError(where, current, LATEST_REDIS_VERSION, 'REDIS_URL');
  for (let version = current + 1; version <= LATEST_REDIS_VERSION; version++) await REDIS_MIGRATIONS[version - 1]!(redis);
  if (current === LATEST_REDIS_VERSION) return;
  const kept = Number(await runScript(redis, RAISE, { keys: [SCHEMA_KEY], arguments: [String(LATEST_REDIS_VERSION)] }));
  if (kept > LATEST_REDIS_VERSION) throw new SchemaTooNewError(where, kept, LATEST_REDIS_VERSION, 'REDIS_URL');
}
