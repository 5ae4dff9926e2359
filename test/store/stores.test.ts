// One specification for every store backend: what the app relies on, including under real
// concurrency (many operations in flight at once).
import { randomBytes } from 'node:crypto';
import type session from 'express-session';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import type { Receipt } from '../../src/nexmo/receipts.js';
import type { AnsweredOutcome } from '../../src/nexmo/types.js';
import { MAX_PENDING_LOGINS, type PendingLogin } from '../../src/oauth/pendingLogin.js';
import { MAX_BALANCE_READS, createTimelineStore, type LoginStep } from '../../src/timeline/store.js';
import type { ExchangeFacts } from '../../src/timeline/facts.js';
import { fakeFacts } from '../helpers/fakeNexmo.js';
import type { AppStores, SendRecord } from '../../src/store/types.js';
import { TEST_SESSION_IDLE_MS, allBackends } from '../helpers/storeBackends.js';

const id = () => randomBytes(12).toString('base64url');
const login = (owner: string, createdAt = Date.now()): PendingLogin => ({ token: id(), secret: id(), owner, createdAt });

function sent(account: string, createdAt: number, messageIds: string[] = [id()]): Omit<SendRecord, 'receipts'> {
  const outcome: AnsweredOutcome = {
    kind: 'sent',
    messageCount: messageIds.length,
    totalPrice: '0.03330000',
    parts: messageIds.map((messageId, index) => ({ index, messageId, status: 0, price: '0.03330000' })),
  };
  return { id: id(), account, createdAt, request: { from: 'Demo', to: '447700900000', text: 'hi', type: 'text' }, outcome };
}

/** The facts of balance read number `n` (its time is `n`, so a spec can tell them apart). */
const balanceRead = (n: number): ExchangeFacts => ({ ...fakeFacts('GET', `https://rest.example/account/get-balance?n=${n}`, 200), at: n });
const readNumbers = (reads: readonly ExchangeFacts[]) => reads.map((facts) => facts.at);

const receipt = (messageId: string, status: Receipt['status'], errCode = 0): Receipt => ({ messageId, status, errCode, at: '2026-11-23T12:00:00.000Z' });

const sessionGet = (store: session.Store, sid: string) =>
  new Promise<session.SessionData | null | undefined>((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
const sessionSet = (store: session.Store, sid: string, data: session.SessionData) =>
  new Promise<void>((resolve, reject) => store.set(sid, data, (err) => (err ? reject(err) : resolve())));
const sessionDestroy = (store: session.Store, sid: string) =>
  new Promise<void>((resolve, reject) => store.destroy(sid, (err) => (err ? reject(err) : resolve())));

const backends = allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

describe.each(backends)('the $name store', (backend) => {
  let stores: AppStores;
  beforeEach(async () => {
    stores = await backend.open();
    return () => stores.close();
  });

  describe('pending logins', () => {
    it('gives a login to its owner once, and to nobody else', async () => {
      const pending = login('owner-a');
      await stores.pendingLogins.add(pending);
      expect(await stores.pendingLogins.take(pending.token, 'owner-b')).toBeUndefined();
      expect(await stores.pendingLogins.peek(pending.token, 'owner-a')).toEqual(pending);
      expect(await stores.pendingLogins.take(pending.token, 'owner-a')).toEqual(pending);
      expect(await stores.pendingLogins.take(pending.token, 'owner-a')).toBeUndefined();
    });

    it('hands one login to exactly one of twenty concurrent takes', async () => {
      const pending = login('owner-a');
      await stores.pendingLogins.add(pending);
      const taken = await Promise.all(Array.from({ length: 20 }, () => stores.pendingLogins.take(pending.token, 'owner-a')));
      expect(taken.filter((t) => t !== undefined)).toEqual([pending]);
    });

    it('keeps every login of concurrent starts by one owner', async () => {
      const logins = Array.from({ length: MAX_PENDING_LOGINS }, (_, i) => login('owner-a', Date.now() + i));
      await Promise.all(logins.map((l) => stores.pendingLogins.add(l)));
      for (const l of logins) expect(await stores.pendingLogins.take(l.token, 'owner-a')).toEqual(l);
    });

    it(`keeps at most ${MAX_PENDING_LOGINS} per owner, dropping the oldest, and leaves other owners alone`, async () => {
      const now = Date.now();
      const other = login('owner-b', now);
      await stores.pendingLogins.add(other);
      const mine = Array.from({ length: MAX_PENDING_LOGINS + 2 }, (_, i) => login('owner-a', now + i));
      for (const l of mine) await stores.pendingLogins.add(l);
      expect(await stores.pendingLogins.peek(mine[0]!.token, 'owner-a')).toBeUndefined();
      expect(await stores.pendingLogins.peek(mine[1]!.token, 'owner-a')).toBeUndefined();
      for (const l of mine.slice(2)) expect(await stores.pendingLogins.peek(l.token, 'owner-a')).toEqual(l);
      expect(await stores.pendingLogins.peek(other.token, 'owner-b')).toEqual(other);
    });
  });

  describe('messages', () => {
    it('lists an account’s messages newest first, paged, and none of another account’s', async () => {
      const account = id();
      const records = [sent(account, 1000), sent(account, 3000), sent(account, 2000), sent(id(), 4000)];
      for (const r of records) await stores.messages.add(r);
      const first = await stores.messages.list(account, { offset: 0, limit: 2 });
      expect(first.total).toBe(3);
      expect(first.records.map((r) => r.createdAt)).toEqual([3000, 2000]);
      const second = await stores.messages.list(account, { offset: 2, limit: 2 });
      expect(second.records.map((r) => r.createdAt)).toEqual([1000]);
      expect(second.records[0]).toEqual({ ...records[0], receipts: {} });
    });

    it('shows a message only to the account that sent it', async () => {
      const record = sent('account-a', 1000);
      await stores.messages.add(record);
      expect(await stores.messages.get(record.id, 'account-a')).toEqual({ ...record, receipts: {} });
      expect(await stores.messages.get(record.id, 'account-b')).toBeUndefined();
      expect(await stores.messages.get(id(), 'account-a')).toBeUndefined();
    });

    it('attaches receipts per part, the same receipt twice changing nothing', async () => {
      const [m1, m2] = [id(), id()];
      const record = sent('account-a', 1000, [m1, m2]);
      await stores.messages.add(record);
      expect(await stores.messages.applyReceipt(receipt(m1, 'delivered'))).toEqual({ known: true });
      expect(await stores.messages.applyReceipt(receipt(m1, 'delivered'))).toEqual({ known: true });
      expect((await stores.messages.get(record.id, 'account-a'))!.receipts).toEqual({ [m1]: receipt(m1, 'delivered') });
    });

    it('never lets a late non-final receipt replace a final one', async () => {
      const m1 = id();
      const record = sent('account-a', 1000, [m1]);
      await stores.messages.add(record);
      await stores.messages.applyReceipt(receipt(m1, 'buffered'));
      await stores.messages.applyReceipt(receipt(m1, 'failed', 2));
      await stores.messages.applyReceipt(receipt(m1, 'accepted'));
      expect((await stores.messages.get(record.id, 'account-a'))!.receipts[m1]).toEqual(receipt(m1, 'failed', 2));
    });

    it('keeps a receipt that overtakes its send and applies it when the send is stored', async () => {
      const m1 = id();
      expect(await stores.messages.applyReceipt(receipt(m1, 'delivered'))).toEqual({ known: false });
      const record = sent('account-a', 1000, [m1]);
      await stores.messages.add(record);
      expect((await stores.messages.get(record.id, 'account-a'))!.receipts).toEqual({ [m1]: receipt(m1, 'delivered') });
    });

    it('applies concurrent receipts for every part of one message', async () => {
      const ids = Array.from({ length: 6 }, id);
      const record = sent('account-a', 1000, ids);
      await stores.messages.add(record);
      await Promise.all(ids.map((m) => stores.messages.applyReceipt(receipt(m, 'delivered'))));
      expect(Object.keys((await stores.messages.get(record.id, 'account-a'))!.receipts).sort()).toEqual([...ids].sort());
    });
  });

  describe('limit counters', () => {
    it('count each request atomically under concurrency, and take one back', async () => {
      const store = stores.rateLimitStore(`test-${id()}:`);
      await store.init?.({ windowMs: 60_000 } as never);
      const hits = await Promise.all(Array.from({ length: 50 }, () => store.increment('client')));
      // Each caller sees its own count (express-rate-limit's MemoryStore hands back its live
      // record instead, read once the caller's turn comes: only the total can be checked there).
      if (backend.name !== 'memory') expect(hits.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect((await store.get!('client'))?.totalHits).toBe(50);
      const resetTime = (await store.get!('client'))!.resetTime!.getTime();
      expect(resetTime).toBeGreaterThan(Date.now() + 55_000);
      expect(resetTime).toBeLessThanOrEqual(Date.now() + 60_000);
      await store.decrement('client');
      expect((await store.increment('client')).totalHits).toBe(50);
      expect((await store.increment('other')).totalHits).toBe(1);
    });

    it('keep the counters of two limiters apart, and share one limiter’s between its stores', async () => {
      const prefix = `test-${id()}:`;
      const [a, b, other] = [stores.rateLimitStore(prefix), stores.rateLimitStore(prefix), stores.rateLimitStore(`${prefix}x:`)];
      for (const store of [a, b, other]) await store.init?.({ windowMs: 60_000 } as never);
      await a.increment('client');
      expect((await other.increment('client')).totalHits).toBe(1);
      // In memory each store counts alone; SQLite and Redis count for every instance on them.
      expect((await b.increment('client')).totalHits).toBe(backend.name === 'memory' ? 1 : 2);
    });

    it('count a send quota (parts) within its limit in the send reservation, atomically under concurrency', async () => {
      const key = `parts:${id()}`;
      const counter = { key, amount: 3, limit: 20, windowMs: 86_400_000 };
      const reserve = (c = counter) =>
        stores.messages.reserve({ record: { id: id().padEnd(22, '0'), account: `quota-${key}`, createdAt: Date.now(), request: { from: 'Demo', to: '447700900000', text: 'Hi', type: 'text' } }, counters: [c] });
      const answers = await Promise.all(Array.from({ length: 30 }, () => reserve()));
      expect(answers.filter((a) => a.kind === 'reserved')).toHaveLength(6);
      const refused = answers.find((a) => a.kind === 'refused');
      expect(refused).toMatchObject({ kind: 'refused', index: 0, used: 18 });
      expect((refused as { resetAt: number }).resetAt).toBeGreaterThan(Date.now() + 86_000_000);
      expect(await reserve({ ...counter, amount: 2 })).toEqual({ kind: 'reserved' });
      expect(await reserve({ ...counter, amount: 1 })).toMatchObject({ kind: 'refused', used: 20 });
    });
  });

  describe('settings', () => {
    it('creates a value once, and every concurrent caller gets the same one', async () => {
      const name = `key-${id()}`;
      const values = await Promise.all(Array.from({ length: 10 }, (_, i) => stores.settings.getOrCreate(name, () => `value-${i}`)));
      expect(new Set(values).size).toBe(1);
      expect(await stores.settings.getOrCreate(name, () => 'another')).toBe(values[0]);
    });
  });

  describe('connection timelines', () => {
    const loginSteps: LoginStep[] = [
      { kind: 'request-token', facts: fakeFacts('POST', 'https://rest.example/oauth/request_token', 200) },
      { kind: 'authorize', at: 1, url: 'https://rest.example/oauth/authorize?oauth_token=abcd… (24 characters)' },
    ];

    it(`keep the login's steps and the last ${MAX_BALANCE_READS} balance reads in order, deleting the older ones`, async () => {
      const timeline = createTimelineStore(stores.records, 60_000);
      const timelineId = id();
      await timeline.start(timelineId, loginSteps);
      for (let n = 1; n <= MAX_BALANCE_READS + 5; n++) await timeline.addBalanceRead(timelineId, balanceRead(n));
      const { login, balanceReads } = await timeline.read(timelineId);
      expect(login).toEqual(loginSteps);
      expect(readNumbers(balanceReads)).toEqual(Array.from({ length: MAX_BALANCE_READS }, (_, i) => i + 6));
      // Not only hidden: the reads that fell off are gone from the store.
      expect(await stores.records.range(`trace:${timelineId}:balance`, 100)).toHaveLength(MAX_BALANCE_READS);
    });

    it('keep every one of concurrent balance reads, each once', async () => {
      const timeline = createTimelineStore(stores.records, 60_000);
      const timelineId = id();
      await Promise.all(Array.from({ length: 12 }, (_, i) => timeline.addBalanceRead(timelineId, balanceRead(i + 1))));
      expect(readNumbers((await timeline.read(timelineId)).balanceReads).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    it('leave out a stored entry that is not one (damaged, or written by another version), keeping the rest', async () => {
      const timeline = createTimelineStore(stores.records, 60_000);
      const timelineId = id();
      await timeline.start(timelineId, loginSteps);
      await timeline.addBalanceRead(timelineId, balanceRead(1));
      await stores.records.pushCapped(`trace:${timelineId}:balance`, '{not json', MAX_BALANCE_READS, 60_000);
      await stores.records.pushCapped(`trace:${timelineId}:balance`, '[1,2]', MAX_BALANCE_READS, 60_000);
      await timeline.addBalanceRead(timelineId, balanceRead(2));
      expect(readNumbers((await timeline.read(timelineId)).balanceReads)).toEqual([1, 2]);
      await stores.records.set(`trace:${timelineId}:login`, JSON.stringify([{ kind: 'authorize' }, loginSteps[1], { kind: 'request-token', facts: 'x' }]), 60_000);
      expect((await timeline.read(timelineId)).login).toEqual([loginSteps[1]]);
    });

    it('forget a timeline whole, and read one never started as empty', async () => {
      const timeline = createTimelineStore(stores.records, 60_000);
      const timelineId = id();
      await timeline.start(timelineId, loginSteps);
      await timeline.addBalanceRead(timelineId, balanceRead(1));
      await timeline.forget(timelineId);
      expect(await timeline.read(timelineId)).toEqual({ login: [], balanceReads: [] });
      expect(await stores.records.range(`trace:${timelineId}:balance`, 100)).toEqual([]);
      expect(await timeline.read(id())).toEqual({ login: [], balanceReads: [] });
    });
  });

  describe('sessions', () => {
    it('stores, reads back and destroys a session', async () => {
      const sid = id();
      const data = { cookie: { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) }, loginOwner: 'owner-a' } as unknown as session.SessionData;
      await sessionSet(stores.sessions, sid, data);
      expect(await sessionGet(stores.sessions, sid)).toMatchObject({ loginOwner: 'owner-a' });
      await sessionDestroy(stores.sessions, sid);
      expect(await sessionGet(stores.sessions, sid)).toBeFalsy();
    });

    it('forgets a session unused for its idle time', async () => {
      const sid = id();
      if (backend.name === 'sqlite') {
        // SQLite keeps its own expiries, by its own clock: the idle time from the last use.
        let at = Date.UTC(2030, 0, 1);
        const own = await backend.open(() => at);
        try {
          const data = { cookie: { originalMaxAge: TEST_SESSION_IDLE_MS }, loginOwner: 'owner-a' } as unknown as session.SessionData;
          await sessionSet(own.sessions, sid, data);
          at += TEST_SESSION_IDLE_MS - 1;
          expect(await sessionGet(own.sessions, sid)).toBeTruthy();
          at += 1;
          expect(await sessionGet(own.sessions, sid)).toBeFalsy();
        } finally {
          await own.close();
        }
        return;
      }
      // Memory and Redis go by the cookie's expiry, on the real clock as express-session sets it.
      const data = { cookie: { originalMaxAge: 1, expires: new Date(Date.now() - 1000) }, loginOwner: 'owner-a' } as unknown as session.SessionData;
      await sessionSet(stores.sessions, sid, data);
      expect(await sessionGet(stores.sessions, sid)).toBeFalsy();
    });
  });
});
