import type { ReserveAnswer, SendRelease, SendReservation } from '../types.js';
import { PREFIX, defineScript, runScript, type Redis } from './client.js';

const LIMIT = `${PREFIX}limit:`;
const RECENT = `${PREFIX}recent:`;

// One script, so no command from any instance runs between the checks and the writes. KEYS:
// the record, the account's index, the repeat key (the record's own key when there is no
// guard), then one hash per counter (used, reset: the window's end by the app's clock; PEXPIRE
// only tidies up). ARGV: the record, now, the id, the repeat window ('' for no guard), the send
// a form deliberately repeats, then amount, limit and window of each counter. The repeat key
// holds "<id> <created at> <until>". A refusal writes nothing.
const RESERVE = defineScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {1, cjson.decode(redis.call('GET', KEYS[1])).account}
end
local now = tonumber(ARGV[2])
if ARGV[4] ~= '' then
  local kept = redis.call('GET', KEYS[3])
  if kept then
    local id, at, till = string.match(kept, '^(%S+) (%d+) (%d+)$')
    if id and tonumber(till) > now and id ~= ARGV[5] then return {3, id, at} end
  end
end
local live = {}
for i = 4, #KEYS do
  local j = 6 + (i - 4) * 3
  local amount, limit, window = tonumber(ARGV[j]), tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2])
  local kept = redis.call('HMGET', KEYS[i], 'used', 'reset')
  local used, reset = 0, now + window
  if kept[2] and tonumber(kept[2]) > now then
    used, reset = tonumber(kept[1]), tonumber(kept[2])
    live[i] = true
  end
  if used + amount > limit then return {2, i - 4, used, reset} end
end
for i = 4, #KEYS do
  local j = 6 + (i - 4) * 3
  if live[i] then
    redis.call('HINCRBY', KEYS[i], 'used', ARGV[j])
  else
    redis.call('HSET', KEYS[i], 'used', ARGV[j], 'reset', now + tonumber(ARGV[j + 2]))
    redis.call('PEXPIRE', KEYS[i], ARGV[j + 2])
  end
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[3], ARGV[3] .. ' ' .. ARGV[2] .. ' ' .. (now + tonumber(ARGV[4])), 'PX', ARGV[4])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return {0}`);

// Gives back what a send that reached nobody took. KEYS: the repeat key (or the record's, with
// ARGV[3] ''), then each counter's hash. ARGV: the id, its created-at, whether there is a
// repeat key, then amount and window of each counter. A count comes back only from the window
// it was counted in, and never below zero.
const RELEASE = defineScript(`
local at = tonumber(ARGV[2])
if ARGV[3] == '1' then
  local kept = redis.call('GET', KEYS[1])
  if kept and string.match(kept, '^(%S+) ') == ARGV[1] then redis.call('DEL', KEYS[1]) end
end
for i = 2, #KEYS do
  local j = 4 + (i - 2) * 2
  local kept = redis.call('HMGET', KEYS[i], 'used', 'reset')
  if kept[2] and tonumber(kept[2]) > at and tonumber(kept[2]) - tonumber(ARGV[j + 1]) <= at then
    local used = tonumber(kept[1]) - tonumber(ARGV[j])
    if used < 0 then used = 0 end
    redis.call('HSET', KEYS[i], 'used', used)
  end
end
return 1`);

export async function reserveInRedis(redis: Redis, keys: { record: string; account: string }, { record, counters, repeat }: SendReservation): Promise<ReserveAnswer> {
  const reply = (await runScript(redis, RESERVE, {
    keys: [keys.record, keys.account, repeat ? RECENT + repeat.key : keys.record, ...counters.map((c) => LIMIT + c.key)],
    arguments: [
      JSON.stringify({ ...record, outcome: { kind: 'sending' } }),
      String(record.createdAt),
      record.id,
      repeat ? String(Math.max(1, Math.ceil(repeat.windowMs))) : '',
      repeat?.again ?? '',
      ...counters.flatMap((c) => [String(c.amount), String(c.limit), String(c.windowMs)]),
    ],
  })) as [number, ...unknown[]];
  if (reply[0] === 1) return { kind: 'duplicate', account: String(reply[1]) };
  if (reply[0] === 2) return { kind: 'refused', index: Number(reply[1]), used: Number(reply[2]), resetAt: Number(reply[3]) };
  if (reply[0] === 3) return { kind: 'repeat', of: String(reply[1]), at: Number(reply[2]) };
  return { kind: 'reserved' };
}

export async function releaseInRedis(redis: Redis, recordKey: string, record: { id: string; createdAt: number }, { counters, repeatKey }: SendRelease): Promise<void> {
  await runScript(redis, RELEASE, {
    keys: [repeatKey === undefined ? recordKey : RECENT + repeatKey, ...counters.map((c) => LIMIT + c.key)],
    arguments: [record.id, String(record.createdAt), repeatKey === undefined ? '0' : '1', ...counters.flatMap((c) => [String(c.amount), String(c.windowMs)])],
  });
}
