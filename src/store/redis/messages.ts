import { isFinalStatus, type Receipt } from '../../nexmo/receipts.js';
import { partMessageIds } from '../records.js';
import { ORPHAN_RECEIPT_TTL_MS, type CompletionExtras, type MessageStore, type SendRecord } from '../types.js';
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
// Storing a send (its completion, or a whole record at once): the record (with its signed
// call's facts), its place in the account's list, and its parts' message-ids. KEYS: the record,
// the account's index, then each part's receipt. ARGV: the record, its time, its id, then each
// part's key.
const COMPLETE = defineScript(`
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
for i = 4, #ARGV do
  redis.call('SET', ARGV[i], ARGV[3])
end
for i = 3, #KEYS do
  redis.call('PERSIST', KEYS[i])
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

export function createRedisMessages(redis: Redis): MessageStore {
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
      const { release } = extras;
      const messageIds = partMessageIds(record.outcome);
      await runScript(redis, COMPLETE, {
        keys: [RECORD + record.id, ACCOUNT + record.account, ...messageIds.map((id) => RECEIPT + id)],
        arguments: [JSON.stringify(record), String(record.createdAt), record.id, ...messageIds.map((id) => PART + id)],
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
