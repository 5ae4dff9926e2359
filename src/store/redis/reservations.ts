import type { ReserveAnswer, SendReservation } from '../types.js';
import { PREFIX, defineScript, runScript, type Redis } from './client.js';

const LIMIT = `${PREFIX}limit:`;

// One script, so no command from any instance runs between the checks and the writes. KEYS:
// the record, the account's index, then one hash per counter (used, reset: the window's end by
// the app's clock; PEXPIRE only tidies up). ARGV: the record, now, the id, then amount, limit
// and window of each counter. A refusal writes nothing.
const RESERVE = defineScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {1, cjson.decode(redis.call('GET', KEYS[1])).account}
end
local now = tonumber(ARGV[2])
local live = {}
for i = 3, #KEYS do
  local j = 4 + (i - 3) * 3
  local amount, limit, window = tonumber(ARGV[j]), tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2])
  local kept = redis.call('HMGET', KEYS[i], 'used', 'reset')
  local used, reset = 0, now + window
  if kept[2] and tonumber(kept[2]) > now then
    used, reset = tonumber(kept[1]), tonumber(kept[2])
    live[i] = true
  end
  if used + amount > limit then return {2, i - 3, used, reset} end
end
for i = 3, #KEYS do
  local j = 4 + (i - 3) * 3
  if live[i] then
    redis.call('HINCRBY', KEYS[i], 'used', ARGV[j])
  else
    redis.call('HSET', KEYS[i], 'used', ARGV[j], 'reset', now + tonumber(ARGV[j + 2]))
    redis.call('PEXPIRE', KEYS[i], ARGV[j + 2])
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return {0}`);

export async function reserveInRedis(redis: Redis, keys: { record: string; account: string }, { record, counters }: SendReservation): Promise<ReserveAnswer> {
  const reply = (await runScript(redis, RESERVE, {
    keys: [keys.record, keys.account, ...counters.map((c) => LIMIT + c.key)],
    arguments: [
      JSON.stringify({ ...record, outcome: { kind: 'sending' } }),
      String(record.createdAt),
      record.id,
      ...counters.flatMap((c) => [String(c.amount), String(c.limit), String(c.windowMs)]),
    ],
  })) as [number, ...unknown[]];
  if (reply[0] === 1) return { kind: 'duplicate', account: String(reply[1]) };
  if (reply[0] === 2) return { kind: 'refused', index: Number(reply[1]), used: Number(reply[2]), resetAt: Number(reply[3]) };
  return { kind: 'reserved' };
}
