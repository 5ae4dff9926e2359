import { MAX_PENDING_LOGINS, PENDING_LOGIN_TTL_MS, type PendingLogin, type PendingLoginStore } from '../../oauth/pendingLogin.js';
import type { Sealer } from '../sealing.js';
import { PREFIX, defineScript, guarded, runScript, type Redis } from './client.js';
import { safeEqual } from '../../lib/safeEqual.js';

const LOGIN = `${PREFIX}pl:`;
const OWNER = `${PREFIX}plo:`;
/** Kept one TTL longer than usable, so a late callback still reads "expired", not "unknown". */
const KEEP_MS = 2 * PENDING_LOGIN_TTL_MS;

// Each script runs atomically in Redis: no other command, from any instance, runs in between.
const ADD = defineScript(`
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[4]))
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if extra > 0 then
  for _, token in ipairs(redis.call('ZRANGE', KEYS[2], 0, extra - 1)) do
    redis.call('DEL', ARGV[6] .. token)
    redis.call('ZREM', KEYS[2], token)
  end
end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`);

const TAKE = defineScript(`
local value = redis.call('GET', KEYS[1])
if not value then return false end
if cjson.decode(value).owner ~= ARGV[1] then return false end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[2] .. ARGV[1], ARGV[3])
return value`);

/**
 * Pending logins as keys with a TTL, taken by a script that checks the owner and deletes at once.
 * The request-token secret is sealed at rest (the owner stays readable for the script).
 */
export function createRedisPendingLogins(redis: Redis, sealer: Sealer): PendingLoginStore {
  const parse = (value: unknown): PendingLogin | undefined => {
    if (typeof value !== 'string') return undefined;
    try {
      const stored = JSON.parse(value) as PendingLogin;
      return { ...stored, secret: sealer.open(stored.secret) };
    } catch {
      return undefined;
    }
  };
  return {
    add: (login) =>
      guarded('storing a pending login', async () => {
        await runScript(redis, ADD, {
          keys: [LOGIN + login.token, OWNER + login.owner],
          arguments: [login.token, JSON.stringify({ ...login, secret: sealer.seal(login.secret) }), String(login.createdAt), String(KEEP_MS), String(MAX_PENDING_LOGINS), LOGIN],
        });
      }),
    take: (token, owner) =>
      guarded('taking a pending login', async () => parse(await runScript(redis, TAKE, { keys: [LOGIN + token], arguments: [owner, OWNER, token] }))),
    peek: (token, owner) =>
      guarded('reading a pending login', async () => {
        const login = parse(await redis.get(LOGIN + token));
        return login && safeEqual(login.owner, owner) ? login : undefined;
      }),
  };
}
