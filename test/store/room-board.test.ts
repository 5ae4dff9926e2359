// The room board's records (store/roomBoard.ts) over the app's key-value records, on every
// backend: one row per person with the leg of their last event, sends and deliveries counted
// once each even when instances race, and nothing kept longer than an hour after a person's
// last event. Times are the test's own clock (the board's, and the store's where it takes one);
// Redis keeps its own TTLs, so there the spec reads them instead of waiting an hour.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import { createRedis } from '../../src/store/redis/client.js';
import { connectRedisStores } from '../../src/store/redis/index.js';
import { silentLogger } from '../../src/logging/logger.js';
import { INDEX_ENTRIES, ROOM_TTL_MS, createRoomBoard, type RoomBoard } from '../../src/store/roomBoard.js';
import type { AppStores } from '../../src/store/types.js';
import { startRedisServer } from '../helpers/redisServer.js';
import { TEST_SESSION_IDLE_MS, allBackends, testSealer } from '../helpers/storeBackends.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const MINUTE = 60_000;
const alice = { account: 'acct-alice-0000000000000000000000', name: 'amber-otter' };
const bob = { account: 'acct-bob-00000000000000000000000000', name: 'rapid-salmon' };

const backends = allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.tearDown();
});

describe.each(backends)('the room board on the $name store', (backend) => {
  let clock: number;
  const now = () => clock;
  let stores: AppStores;
  let board: RoomBoard;
  beforeEach(async () => {
    clock = T0;
    stores = await backend.open(now);
    board = createRoomBoard(stores.records, now);
    return () => stores.close();
  });

  it('is empty before anyone connects', async () => {
    expect(await board.people()).toEqual([]);
  });

  it('shows each person once, at the leg of their last event, the most recently seen first', async () => {
    await board.saw(alice, 'connected');
    clock += 1000;
    await board.saw(bob, 'signing-in');
    clock += 1000;
    await board.sent(alice, 'send-a1');
    clock += 1000;
    await board.saw(bob, 'connected');
    expect(await board.people()).toEqual([
      { name: 'rapid-salmon', leg: 'connected', at: T0 + 3000, sends: 0, deliveries: 0 },
      { name: 'amber-otter', leg: 'sending', at: T0 + 2000, sends: 1, deliveries: 0 },
    ]);
    clock += 1000;
    await board.saw(alice, 'disconnected');
    expect((await board.people()).map((row) => [row.name, row.leg, row.sends])).toEqual([
      ['amber-otter', 'disconnected', 1],
      ['rapid-salmon', 'connected', 0],
    ]);
  });

  it('counts a send’s delivery once however many receipts name it, and nothing for a send it never saw', async () => {
    await board.sent(alice, 'send-a1');
    await board.sent(alice, 'send-a2');
    await board.sent(bob, 'send-b1');
    // Each part is reported, and receipts are retried: the send counts once.
    await board.delivered('send-a1');
    await board.delivered('send-a1');
    await board.delivered('send-b1');
    await board.delivered('send-of-nobody');
    expect((await board.people()).map(({ name, sends, deliveries }) => ({ name, sends, deliveries }))).toEqual([
      { name: 'amber-otter', sends: 2, deliveries: 1 },
      { name: 'rapid-salmon', sends: 1, deliveries: 1 },
    ]);
  });

  it('counts every one of many sends and receipts made at once, from two instances on one store', async () => {
    const [a, b] = backend.openTwice ? await backend.openTwice(now) : [stores, stores];
    try {
      const boards = [createRoomBoard(a.records, now), createRoomBoard(b.records, now)];
      const ids = Array.from({ length: 20 }, (_, i) => `send-${i}`);
      await Promise.all(ids.map((id, i) => boards[i % 2]!.sent(alice, id)));
      // Every send's receipt, twice over, on both instances at once.
      await Promise.all([...ids, ...ids].map((id, i) => boards[(i + 1) % 2]!.delivered(id)));
      expect(await boards[0]!.people()).toEqual([{ name: 'amber-otter', leg: 'sending', at: T0, sends: 20, deliveries: 20 }]);
      expect(await boards[1]!.people()).toEqual(await boards[0]!.people());
    } finally {
      if (a !== stores) await Promise.all([a.close(), b.close()]);
    }
  });

  it('leaves out a record it cannot read, and shows the others', async () => {
    await board.saw(alice, 'connected');
    await board.saw(bob, 'connected');
    await stores.records.set(`room:person:${bob.account}`, '{"name":"rapid-salmon","leg":"dancing"}');
    expect((await board.people()).map((row) => row.name)).toEqual(['amber-otter']);
  });

  // Memory and SQLite expire by the clock they are given; Redis by its own (see below).
  it.skipIf(backend.name === 'redis')('keeps a person an hour after their last event, counts and all, then forgets them', async () => {
    await board.saw(alice, 'connected');
    await board.sent(alice, 'send-a1');
    await board.delivered('send-a1');
    await board.saw(bob, 'connected');
    // Alice is back 50 minutes later (added to the board's index again), Bob is not.
    clock += 50 * MINUTE;
    await board.saw(alice, 'signing-in');
    clock += 15 * MINUTE;
    expect((await board.people()).map(({ name, leg, sends, deliveries }) => ({ name, leg, sends, deliveries }))).toEqual([
      { name: 'amber-otter', leg: 'signing-in', sends: 1, deliveries: 1 },
    ]);
    // 40 more minutes: within the hour since her last event, past the first index entry's life.
    clock += 40 * MINUTE;
    expect((await board.people()).map((row) => row.name)).toEqual(['amber-otter']);
    clock += 10 * MINUTE;
    expect(await board.people()).toEqual([]);
    // Coming back after that starts afresh.
    await board.saw(alice, 'connected');
    expect(await board.people()).toEqual([{ name: 'amber-otter', leg: 'connected', at: clock, sends: 0, deliveries: 0 }]);
  });

  it('shows the most recent arrivals when more people came than its index holds', async () => {
    const many = Array.from({ length: INDEX_ENTRIES + 5 }, (_, i) => ({ account: `acct-${i}`, name: `person-${i}` }));
    for (const person of many) {
      clock += 1;
      await board.saw(person, 'connected');
    }
    const rows = await board.people();
    expect(rows).toHaveLength(INDEX_ENTRIES);
    expect(rows[0]!.name).toBe(`person-${INDEX_ENTRIES + 4}`);
    expect(rows.map((row) => row.name)).not.toContain('person-0');
  });
});

describe('the room board on Redis', () => {
  it('gives every key it writes a TTL of at most an hour and twenty minutes, renewed by each event', async () => {
    const server = await startRedisServer();
    const stores = await connectRedisStores(server.url, { log: silentLogger, sealer: testSealer, sessionIdleMs: TEST_SESSION_IDLE_MS });
    const raw = createRedis(server.url, silentLogger);
    await raw.connect();
    try {
      const board = createRoomBoard(stores.records, () => T0);
      await board.saw(alice, 'connected');
      await board.sent(alice, 'send-a1');
      await board.delivered('send-a1');
      const keys = await raw.keys('nexmo:sealed:*');
      // The person, two counters, the index and its claim, the send's owner and its delivery.
      expect(keys).toHaveLength(7);
      const ttls = await Promise.all(keys.map((key) => raw.pTTL(key)));
      for (const ttl of ttls) {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(ROOM_TTL_MS + 20 * MINUTE);
      }
      expect(ttls.filter((ttl) => ttl > 50 * MINUTE)).toHaveLength(6);
    } finally {
      raw.destroy();
      await stores.close();
      await server.close();
    }
  });
});
