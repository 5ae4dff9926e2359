import { isFinalStatus, type Receipt } from '../../nexmo/receipts.js';
import { partMessageIds } from '../records.js';
import { ORPHAN_RECEIPT_TTL_MS, type CompletionExtras, type ListPush, type MessageStore, type SendRecord } from '../types.js';
import { PREFIX, defineScript, guarded, runScript, type Redis } from './client.js';
import { releaseInRedis, reserveInRedis } from './reservations.js';

const RECORD = `${PREFIX}msg:`;
const ACCOUNT = `${PREFIX}acct:`;
const PART = `${PREFIX}part:`;
const RECEIPT = `${PREFIX}rcpt:`;
/** The message-ids receipts tied to a send by its client-ref (a send with no reply stored). */
const RECORD_PARTS = `${PREFIX}msgparts:`;

type StoredRecord = Omit<SendRecord, 'receipts'>;

// Storing a send and applying a receipt are scripts, so a receipt that arrives on another
// instance while its send is being stored is either attached to it or kept for it, never lost.
// Storing a send (its completion, or a whole record at once): the record, its place in the
// account's list, its parts' message-ids, and the signed call's timeline entry (KEYS[3], a
// capped list with a TTL, as the records' pushCapped keeps it) when ARGV[4] holds one.
const COMPLETE = defineScript(`
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
for i = 7, #ARGV do
  redis.call('SET', ARGV[i], ARGV[3])
end
for i = 4, #KEYS do
  redis.call('PERSIST', KEYS[i])
end
if ARGV[4] ~= '' then
  redis.call('LPUSH', KEYS[3], ARGV[4])
  redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[5]) - 1)
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
end
return 1`);

// A final receipt is never replaced by a later non-final one; the same receipt twice is a no-op.
// One whose send is not stored yet expires unless the send arrives in time. One whose
// client-ref (KEYS[3], the send's record) names a stored send belongs to it from now on.
const APPLY = defineScript(`
if ARGV[4] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('SET', KEYS[2], ARGV[4])
  redis.call('RPUSH', KEYS[4], ARGV[5])
end
if redis.call('HGET', KEYS[1], 'final') == '1' and ARGV[2] == '0' then
  return redis.call('EXISTS', KEYS[2])
end
redis.call('HSET', KEYS[1], 'receipt', ARGV[1], 'final', ARGV[2])
local known = redis.call('EXISTS', KEYS[2])
if known == 1 then redis.call('PERSIST', KEYS[1]) end
if known == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return known`);

/** `listEntry`: a timeline entry as the records keep it (its key and sealed value). */
export function createRedisMessages(redis: Redis, listEntry: (push: ListPush) => { key: string; value: string } = (push) => ({ key: PREFIX + push.name, value: push.value })): MessageStore {
  const withReceipts = async (json: string): Promise<SendRecord> => {
    const record = JSON.parse(json) as StoredRecord;
    const receipts: Record<string, Receipt> = {};
    const messageIds = record.outcome.kind === 'sending' ? [...new Set(await redis.lRange(RECORD_PARTS + record.id, 0, -1))] : partMessageIds(record.outcome);
    for (const messageId of messageIds) {
      const value = await redis.hGet(RECEIPT + messageId, 'receipt');
      if (value) receipts[messageId] = JSON.parse(value) as Receipt;
    }
    return { ...record, receipts };
  };

  const store = (what: string) => (record: Omit<SendRecord, 'receipts'>, extras: CompletionExtras = {}) =>
    guarded(what, async () => {
      const { timeline, release } = extras;
      const messageIds = partMessageIds(record.outcome);
      const entry = timeline && listEntry(timeline);
      await runScript(redis, COMPLETE, {
        keys: [RECORD + record.id, ACCOUNT + record.account, entry?.key ?? RECORD + record.id, ...messageIds.map((id) => RECEIPT + id)],
        arguments: [
          JSON.stringify(record),
          String(record.createdAt),
          record.id,
          entry?.value ?? '',
          String(Math.max(1, timeline?.max ?? 1)),
          String(Math.max(1, Math.ceil(timeline?.ttlMs ?? 1))),
          ...messageIds.map((id) => PART + id),
        ],
      });
      // Only for a send that reached nobody; a crash before it leaves the counts counted, which
      // errs on the side of sending less.
      if (release) await releaseInRedis(redis, RECORD + record.id, record, release);
    });

  return {
    add: store('storing a message'),
    complete: store('completing a message'),
    reserve: (reservation) =>
      guarded('reserving a send', () => reserveInRedis(redis, { record: RECORD + reservation.record.id, account: ACCOUNT + reservation.record.account }, reservation)),
    get: (id, account) =>
      guarded('reading a message', async () => {
        const json = await redis.get(RECORD + id);
        if (!json) return undefined;
        const record = await withReceipts(json);
        return record.account === account ? record : undefined;
      }),
    list: (account, page) =>
      guarded('listing messages', async () => {
        const key = ACCOUNT + account;
        const [total, ids] = await Promise.all([redis.zCard(key), redis.zRange(key, page.offset, page.offset + page.limit - 1, { REV: true })]);
        const jsons = ids.length === 0 ? [] : await redis.mGet(ids.map((id) => RECORD + id));
        const records = await Promise.all(jsons.filter((json): json is string => typeof json === 'string').map(withReceipts));
        return { total, records };
      }),
    applyReceipt: (receipt) =>
      guarded('storing a receipt', async () => {
        const ref = receipt.clientRef ?? '';
        const known = await runScript(redis, APPLY, {
          keys: [RECEIPT + receipt.messageId, PART + receipt.messageId, RECORD + ref, RECORD_PARTS + ref],
          arguments: [JSON.stringify(receipt), isFinalStatus(receipt.status) ? '1' : '0', String(ORPHAN_RECEIPT_TTL_MS), ref, receipt.messageId],
        });
        return { known: known === 1 };
      }),
  };
}
