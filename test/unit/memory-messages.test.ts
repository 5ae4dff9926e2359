import { describe, expect, it } from 'vitest';

import type { Receipt } from '../../src/nexmo/receipts.js';
import { createMemoryMessages } from '../../src/store/memory.js';
import type { SendRecord } from '../../src/store/types.js';

type NewRecord = Omit<SendRecord, 'receipts'>;

let next = 0;
function send(account: string, createdAt: number, messageIds: string[] = [`M${(next += 1)}`]): NewRecord {
  return {
    id: `id${String(next += 1).padStart(20, '0')}`,
    account,
    createdAt,
    request: { from: 'Demo', to: '447700900000', text: `text ${createdAt}`, type: 'text' },
    outcome: { kind: 'sent', parts: messageIds.map((messageId, index) => ({ index, status: 0, messageId })), totalPrice: '0', messageCount: messageIds.length },
  };
}

const receipt = (messageId: string, status: Receipt['status'] = 'delivered'): Receipt => ({ messageId, status, errCode: 0, at: '2026-11-23T12:00:00.000Z' });

describe('the message store keeps each account’s history to itself', () => {
  it('gives a message only to the account that sent it', async () => {
    const messages = createMemoryMessages();
    const alices = send('alice', 1000);
    await messages.add(alices);
    expect((await messages.get(alices.id, 'alice'))?.request.text).toBe('text 1000');
    expect(await messages.get(alices.id, 'bob')).toBeUndefined();
  });

  it('lists only the account’s own messages, newest first, a page at a time', async () => {
    const messages = createMemoryMessages();
    const alices = [send('alice', 1000), send('alice', 3000), send('alice', 2000)];
    for (const record of alices) await messages.add(record);
    await messages.add(send('bob', 2500));

    const first = await messages.list('alice', { offset: 0, limit: 2 });
    expect(first.total).toBe(3);
    expect(first.records.map((r) => r.createdAt)).toEqual([3000, 2000]);
    const second = await messages.list('alice', { offset: 2, limit: 2 });
    expect(second.records.map((r) => r.createdAt)).toEqual([1000]);
    expect((await messages.list('bob', { offset: 0, limit: 20 })).records.map((r) => r.account)).toEqual(['bob']);
    expect(await messages.list('carol', { offset: 0, limit: 20 })).toEqual({ total: 0, records: [] });
  });

  it('lists the later of two sends in the same millisecond first', async () => {
    const messages = createMemoryMessages();
    const earlier = send('alice', 1000);
    const later = send('alice', 1000);
    await messages.add(earlier);
    await messages.add(later);
    expect((await messages.list('alice', { offset: 0, limit: 20 })).records.map((r) => r.id)).toEqual([later.id, earlier.id]);
  });
});

describe('receipts in the message store', () => {
  it('shows a receipt that arrived before its send once the send is stored', async () => {
    const messages = createMemoryMessages();
    expect(await messages.applyReceipt(receipt('EARLY1'))).toEqual({ known: false });
    const record = send('alice', 1000, ['EARLY1', 'LATE2']);
    await messages.add(record);
    expect((await messages.get(record.id, 'alice'))?.receipts).toEqual({ EARLY1: receipt('EARLY1') });
    expect((await messages.list('alice', { offset: 0, limit: 1 })).records[0]!.receipts).toEqual({ EARLY1: receipt('EARLY1') });
    expect(await messages.applyReceipt(receipt('LATE2'))).toEqual({ known: true });
    expect(Object.keys((await messages.get(record.id, 'alice'))!.receipts).sort()).toEqual(['EARLY1', 'LATE2']);
  });

  it('never replaces a final receipt with a later non-final one', async () => {
    const messages = createMemoryMessages();
    const record = send('alice', 1000, ['ORDER1']);
    await messages.add(record);
    await messages.applyReceipt(receipt('ORDER1', 'delivered'));
    await messages.applyReceipt(receipt('ORDER1', 'accepted'));
    expect((await messages.get(record.id, 'alice'))!.receipts.ORDER1!.status).toBe('delivered');
  });
});
