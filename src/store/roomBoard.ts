// The room board's records (GET /room): who connected in the last hour, the leg of OAuth 1.0a
// each is on, and their sends and deliveries, kept in the app's key-value records so that every
// instance sharing the store shows one board. Keyed by the connection's account key (a hash, no
// credential) and holding only the name the person chose in the sandbox, a leg, a time and two
// counts: never a token, a number or a message's text.
//
//   room:person:<account>     {"name","leg","at"}: the last event of the person, TTL an hour
//   room:sends:<account>      counter (incrBy), TTL an hour from the person's last event
//   room:deliveries:<account> counter, the same
//   room:index                capped list of account keys, newest first, each person at most
//                             once per LISTED_MS (room:listed:<account> claims it), so the board
//                             finds everyone without a scan
//   room:send:<send id>       the account a send belongs to, for its delivery receipt
//   room:delivered:<send id>  claimed by the first "delivered" receipt of the send: counted once

import type { AppRecords } from './types.js';

/** Where a person is in OAuth 1.0a, as the board shows it (present/room.ts says it in words). */
export const ROOM_LEGS = ['signing-in', 'connected', 'sending', 'disconnected'] as const;
export type RoomLeg = (typeof ROOM_LEGS)[number];

/** Someone connected: their account key and the sandbox account name they chose. */
export interface RoomPerson {
  account: string;
  name: string;
}

/** One row of the board. */
export interface RoomRow {
  name: string;
  leg: RoomLeg;
  /** The person's last event, by the app's clock. */
  at: number;
  sends: number;
  deliveries: number;
}

export interface RoomBoard {
  /** The person's login started (a browser that was connected), ended connected, or disconnected. */
  saw(person: RoomPerson, leg: Exclude<RoomLeg, 'sending'>): Promise<void>;
  /** The person made a signed send call (send `sendId`): leg 4, one more send. */
  sent(person: RoomPerson, sendId: string): Promise<void>;
  /** A "delivered" receipt for send `sendId` (its client-ref): one more delivery, once per send. */
  delivered(sendId: string): Promise<void>;
  /** Everyone seen in the last hour, the most recently seen first. */
  people(): Promise<RoomRow[]>;
}

/** How long a person stays on the board after their last event. */
export const ROOM_TTL_MS = 60 * 60 * 1000;
/** How often at most a person is added to the index again (each addition is a list entry). */
const LISTED_MS = 20 * 60 * 1000;
/**
 * Entries the index keeps: at most ROOM_TTL_MS / LISTED_MS + 1 per person an hour, so a room of
 * well over a hundred people fits.
 */
export const INDEX_ENTRIES = 500;

const person = (account: string) => `room:person:${account}`;
const sends = (account: string) => `room:sends:${account}`;
const deliveries = (account: string) => `room:deliveries:${account}`;
const listed = (account: string) => `room:listed:${account}`;
const INDEX = 'room:index';
const sendOwner = (sendId: string) => `room:send:${sendId}`;
const deliveredOnce = (sendId: string) => `room:delivered:${sendId}`;

const isLeg = (value: unknown): value is RoomLeg => typeof value === 'string' && (ROOM_LEGS as readonly string[]).includes(value);

/** A stored person as written, or undefined for anything else (damaged, another version). */
function parsePerson(value: string | undefined): { name: string; leg: RoomLeg; at: number } | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    if (typeof parsed.name === 'string' && isLeg(parsed.leg) && typeof parsed.at === 'number') return { name: parsed.name, leg: parsed.leg, at: parsed.at };
  } catch {
    // left out below
  }
  return undefined;
}

const count = (value: string | undefined): number => {
  const n = Number(value ?? '0');
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
};

export function createRoomBoard(records: AppRecords, now: () => number): RoomBoard {
  /**
   * The person's record, their counters' lifetimes renewed (by 0, or `sendsBy` for a send), and
   * their place in the index. Each write is atomic on its own; a lost race between two events of
   * one person leaves one of the two legs, both newer than anything before.
   */
  async function note(who: RoomPerson, leg: RoomLeg, sendsBy: number): Promise<void> {
    const at = now();
    await Promise.all([
      records.set(person(who.account), JSON.stringify({ name: who.name, leg, at }), ROOM_TTL_MS),
      records.incrBy(sends(who.account), sendsBy, ROOM_TTL_MS),
      records.incrBy(deliveries(who.account), 0, ROOM_TTL_MS),
    ]);
    // The index outlives every claim made before its last push, so a claimed person is in it.
    if (await records.setIfAbsent(listed(who.account), String(at), LISTED_MS)) {
      await records.pushCapped(INDEX, who.account, INDEX_ENTRIES, ROOM_TTL_MS + LISTED_MS);
    }
  }

  return {
    saw: (who, leg) => note(who, leg, 0),

    async sent(who, sendId) {
      await records.set(sendOwner(sendId), who.account, ROOM_TTL_MS);
      await note(who, 'sending', 1);
    },

    async delivered(sendId) {
      const account = await records.get(sendOwner(sendId));
      if (account === undefined) return;
      // Receipts are retried and each part has its own: the send counts once.
      if (!(await records.setIfAbsent(deliveredOnce(sendId), '1', ROOM_TTL_MS))) return;
      await records.incrBy(deliveries(account), 1, ROOM_TTL_MS);
    },

    async people() {
      const accounts = [...new Set(await records.range(INDEX, INDEX_ENTRIES))];
      const rows = await Promise.all(
        accounts.map(async (account): Promise<RoomRow | undefined> => {
          const [stored, sent, delivered] = await Promise.all([records.get(person(account)), records.get(sends(account)), records.get(deliveries(account))]);
          const seen = parsePerson(stored);
          return seen && { ...seen, sends: count(sent), deliveries: count(delivered) };
        }),
      );
      return rows.filter((row): row is RoomRow => row !== undefined).sort((a, b) => b.at - a.at || a.name.localeCompare(b.name));
    },
  };
}
