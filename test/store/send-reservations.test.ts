// A send's reservation is one atomic step of the store: the id unused, every limit checked and
// counted, the record stored as `sending`. On every backend: a refusal (by any counter) counts
// nothing and stores nothing; concurrent reservations of one id give one `reserved`; concurrent
// sends never pass a limit, also through two connections to one SQLite file or one Redis.
import { afterAll, describe, expect, it } from 'vitest';

import type { AppStores, SendCounter, SendReservation } from '../../src/store/types.js';
import { allBackends } from '../helpers/storeBackends.js';

const backends = allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const MINUTE = 60_000;

let n = 0;
function reservation(counters: SendCounter[], at = NOW, id = `send-${String(++n).padStart(17, '0')}`): SendReservation {
  return { record: { id, account: 'acct-1', createdAt: at, request: { from: 'Demo', to: '447700900000', text: 'Hi', type: 'text' } }, counters };
}

const perAccount = (limit: number): SendCounter => ({ key: 'sends-per-account:acct-1', amount: 1, limit, windowMs: MINUTE });
const perAddress = (limit: number): SendCounter => ({ key: 'sends-per-address:127.0.0.1', amount: 1, limit, windowMs: MINUTE });
const perNumber = (limit: number): SendCounter => ({ key: 'sends-per-number:447700900000', amount: 1, limit, windowMs: 60 * MINUTE });
const parts = (amount: number, limit: number): SendCounter => ({ key: 'parts:acct-1', amount, limit, windowMs: 24 * 60 * MINUTE });

/** How much room each counter has left, found by reserving 1 at a time until refused (then nothing is left behind: new ids only). */
async function used(stores: AppStores, counter: SendCounter, at = NOW): Promise<number> {
  const answer = await stores.messages.reserve(reservation([{ ...counter, amount: counter.limit + 1 }], at));
  if (answer.kind !== 'refused') throw new Error(`a reservation over any limit was ${answer.kind}`);
  return answer.used;
}

async function total(stores: AppStores): Promise<number> {
  return (await stores.messages.list('acct-1', { offset: 0, limit: 1000 })).total;
}

describe.each(backends)('send reservations in the $name store', (backend) => {
  it.each([
    ['per account', 0],
    ['per address', 1],
    ['per number', 2],
    ['parts per day', 3],
  ] as const)('a send refused by the %s limit counts nothing against any limit and stores nothing', async (_name, full) => {
    const stores = await backend.open(() => NOW);
    try {
      const limits = [perAccount(5), perAddress(5), perNumber(5), parts(2, 10)];
      // Fill the one limit up, through reservations of its own counter only.
      const filler = limits[full]!;
      for (let used = 0; used + filler.amount <= filler.limit; used += filler.amount) {
        expect((await stores.messages.reserve(reservation([filler]))).kind).toBe('reserved');
      }
      const before = await Promise.all(limits.map((c) => used(stores, c)));
      const storedBefore = await total(stores);

      const refused = reservation(limits);
      const answer = await stores.messages.reserve(refused);
      expect(answer).toEqual({ kind: 'refused', index: full, used: before[full], resetAt: expect.any(Number) });

      expect(await Promise.all(limits.map((c) => used(stores, c)))).toEqual(before);
      expect(await total(stores)).toBe(storedBefore);
      expect(await stores.messages.get(refused.record.id, 'acct-1')).toBeUndefined();
    } finally {
      await stores.close();
    }
  });

  it('a reserved send is stored as sending and counted once against each limit; its completion replaces the outcome', async () => {
    const stores = await backend.open(() => NOW);
    try {
      const r = reservation([perAccount(5), parts(3, 10)]);
      expect(await stores.messages.reserve(r)).toEqual({ kind: 'reserved' });
      expect(await used(stores, perAccount(5))).toBe(1);
      expect(await used(stores, parts(3, 10))).toBe(3);
      expect((await stores.messages.get(r.record.id, 'acct-1'))?.outcome).toEqual({ kind: 'sending' });

      await stores.messages.complete({ ...r.record, outcome: { kind: 'unknown' } });
      expect((await stores.messages.get(r.record.id, 'acct-1'))?.outcome).toEqual({ kind: 'unknown' });
      expect(await total(stores)).toBe(1);
      // The same id again is the same send, whoever asks: nothing more is counted.
      expect(await stores.messages.reserve(reservation([perAccount(5)], NOW, r.record.id))).toEqual({ kind: 'duplicate', account: 'acct-1' });
      expect(await used(stores, perAccount(5))).toBe(1);
    } finally {
      await stores.close();
    }
  });

  it('a counter starts again once its window is over, by the clock the reservation is made with', async () => {
    const stores = await backend.open(() => NOW);
    try {
      expect((await stores.messages.reserve(reservation([perAccount(1)]))).kind).toBe('reserved');
      const refused = await stores.messages.reserve(reservation([perAccount(1)], NOW + MINUTE - 1));
      expect(refused).toEqual({ kind: 'refused', index: 0, used: 1, resetAt: NOW + MINUTE });
      expect((await stores.messages.reserve(reservation([perAccount(1)], NOW + MINUTE))).kind).toBe('reserved');
    } finally {
      await stores.close();
    }
  });

  it('a receipt whose client-ref names a send still sending is that send\'s receipt; one naming no send is kept unattached', async () => {
    const stores = await backend.open(() => NOW);
    try {
      const r = reservation([]);
      await stores.messages.reserve(r);
      const receipt = { messageId: '0B00000000000001', status: 'delivered' as const, errCode: 0, clientRef: r.record.id, price: '0.03', at: new Date(NOW).toISOString() };
      expect(await stores.messages.applyReceipt(receipt)).toEqual({ known: true });
      const read = await stores.messages.get(r.record.id, 'acct-1');
      expect(read?.outcome).toEqual({ kind: 'sending' });
      expect(read?.receipts).toEqual({ '0B00000000000001': receipt });
      expect(await stores.messages.applyReceipt({ ...receipt, messageId: '0B00000000000002', clientRef: 'no-such-send-000000001' })).toEqual({ known: false });
      expect((await stores.messages.get(r.record.id, 'acct-1'))?.receipts).toEqual({ '0B00000000000001': receipt });
    } finally {
      await stores.close();
    }
  });

  it('a repeat of a recent send (same repeat key) is refused with that send, counting and storing nothing, until its window ends', async () => {
    const stores = await backend.open(() => NOW);
    try {
      const guard = { key: 'browser-1:to-and-text', windowMs: 10 * MINUTE };
      const first = { ...reservation([perAccount(5)]), repeat: guard };
      expect(await stores.messages.reserve(first)).toEqual({ kind: 'reserved' });
      const again = { ...reservation([perAccount(5)], NOW + 1000), repeat: guard };
      expect(await stores.messages.reserve(again)).toEqual({ kind: 'repeat', of: first.record.id, at: NOW });
      expect(await used(stores, perAccount(5), NOW + 1000)).toBe(1);
      expect(await stores.messages.get(again.record.id, 'acct-1')).toBeUndefined();
      // Another key (another text, browser or account) is no repeat.
      expect((await stores.messages.reserve({ ...reservation([]), repeat: { ...guard, key: 'browser-2:to-and-text' } })).kind).toBe('reserved');
      // Once the window is over, the same text is a new send.
      expect((await stores.messages.reserve({ ...reservation([], NOW + 10 * MINUTE), repeat: guard })).kind).toBe('reserved');
    } finally {
      await stores.close();
    }
  });

  it('"Send it again" names the send it repeats: that one is let through once, and it becomes the recent send', async () => {
    const stores = await backend.open(() => NOW);
    try {
      const guard = { key: 'browser-1:to-and-text', windowMs: 10 * MINUTE };
      const first = { ...reservation([]), repeat: guard };
      await stores.messages.reserve(first);
      const deliberate = { ...reservation([], NOW + 1000), repeat: { ...guard, again: first.record.id } };
      expect(await stores.messages.reserve(deliberate)).toEqual({ kind: 'reserved' });
      // The same "again" form drawn afresh (Back) names the first send, which is no longer the latest.
      const redrawn = { ...reservation([], NOW + 2000), repeat: { ...guard, again: first.record.id } };
      expect(await stores.messages.reserve(redrawn)).toEqual({ kind: 'repeat', of: deliberate.record.id, at: NOW + 1000 });
    } finally {
      await stores.close();
    }
  });

  it('a completion that releases gives back each count from the window it was counted in, and frees the repeat key', async () => {
    const stores = await backend.open(() => NOW);
    try {
      const guard = { key: 'browser-1:to-and-text', windowMs: 10 * MINUTE };
      const counters = [perAccount(2), parts(3, 10)];
      const kept = reservation(counters);
      await stores.messages.reserve(kept);
      const refusedByProvider = { ...reservation(counters, NOW + 1000), repeat: guard };
      expect(await stores.messages.reserve(refusedByProvider)).toEqual({ kind: 'reserved' });
      expect(await used(stores, perAccount(2), NOW + 1000)).toBe(2);

      await stores.messages.complete({ ...refusedByProvider.record, outcome: { kind: 'throttled' } }, { release: { counters, repeatKey: guard.key } });
      expect((await stores.messages.get(refusedByProvider.record.id, 'acct-1'))?.outcome).toEqual({ kind: 'throttled' });
      expect(await used(stores, perAccount(2), NOW + 2000)).toBe(1);
      expect(await used(stores, parts(3, 10), NOW + 2000)).toBe(3);
      // The same text may go at once: it never went anywhere.
      expect((await stores.messages.reserve({ ...reservation([], NOW + 3000), repeat: guard })).kind).toBe('reserved');
      // Released twice (a retried completion) takes nothing more back, and never below zero.
      await stores.messages.complete({ ...refusedByProvider.record, outcome: { kind: 'throttled' } }, { release: { counters, repeatKey: guard.key } });
      expect(await used(stores, perAccount(2), NOW + 4000)).toBe(0);
      await stores.messages.complete({ ...refusedByProvider.record, outcome: { kind: 'throttled' } }, { release: { counters } });
      expect(await used(stores, perAccount(2), NOW + 4000)).toBe(0);
    } finally {
      await stores.close();
    }
  });

  it('a release after the counter’s window started again takes nothing from the new window', async () => {
    const stores = await backend.open(() => NOW);
    try {
      const counters = [perAccount(5)];
      const old = reservation(counters);
      await stores.messages.reserve(old);
      // A new window opens a minute later, with its own count.
      await stores.messages.reserve(reservation(counters, NOW + MINUTE));
      await stores.messages.complete({ ...old.record, outcome: { kind: 'throttled' } }, { release: { counters } });
      expect(await used(stores, perAccount(5), NOW + MINUTE)).toBe(1);
    } finally {
      await stores.close();
    }
  });

  it('twenty concurrent reservations of one id: one is reserved, nineteen find it', async () => {
    const stores = await backend.open(() => NOW);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => stores.messages.reserve(reservation([perAccount(100)], NOW, 'the-same-send-id-00001'))));
      expect(answers.filter((a) => a.kind === 'reserved')).toHaveLength(1);
      expect(answers.filter((a) => a.kind === 'duplicate')).toHaveLength(19);
      expect(await used(stores, perAccount(100))).toBe(1);
    } finally {
      await stores.close();
    }
  });
});

describe.each(backends.filter((b) => b.name !== 'memory'))('two connections to one $name store', (backend) => {
  it('twenty concurrent sends of one text from one browser, through both: one reserved, nineteen repeats of it', async () => {
    const [first, second] = await backend.openTwice!(() => NOW);
    try {
      const repeat = { key: 'browser-1:to-and-text', windowMs: 10 * 60_000 };
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).messages.reserve({ ...reservation([perAccount(100)]), repeat })));
      const reserved = answers.filter((a) => a.kind === 'reserved');
      expect(reserved).toHaveLength(1);
      const repeats = answers.filter((a): a is Extract<typeof a, { kind: 'repeat' }> => a.kind === 'repeat');
      expect(repeats).toHaveLength(19);
      expect(new Set(repeats.map((a) => a.of)).size).toBe(1);
      expect(await total(first)).toBe(1);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('forty concurrent sends through both, under a limit of 7 parts of 1: exactly seven reserved', async () => {
    // The same file, or the same Redis database, opened twice.
    const [first, second] = await backend.openTwice!(() => NOW);
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? first : second).messages.reserve(reservation([perAccount(100), parts(1, 7)]))));
      expect(answers.filter((a) => a.kind === 'reserved')).toHaveLength(7);
      expect(await total(first)).toBe(7);
      expect(await used(second, perAccount(100))).toBe(7);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
