// What the room board (GET /room) says: each leg of OAuth 1.0a in words, the board's rows, and
// the line that counts the room. The page's script (src/browser/room-board.ts) draws the rows
// it polls from /room.json with these same words, so a row reads alike before and after an update.
// No module of Node's here: the browser build imports this file.

import { formatMoment, type Moment } from './dates.js';
import { plural } from './plural.js';

/** The legs as the board's JSON names them (store/roomBoard.ts keeps them). */
export type RoomLegCode = 'signing-in' | 'connected' | 'sending' | 'disconnected';

/** Each leg in words, and a longer sentence for who wants to know what it means. */
export const LEG_WORDS: Readonly<Record<RoomLegCode, { text: string; hint: string }>> = {
  'signing-in': { text: 'Signing in', hint: 'Legs 1 and 2: a request token, then the consent page' },
  connected: { text: 'Connected', hint: 'Leg 3 done: the access token is held by the app' },
  sending: { text: 'Sending', hint: 'Signed calls: SMS sent with the access token' },
  disconnected: { text: 'Disconnected', hint: 'The app no longer holds a token for this account' },
};

/** A leg the board does not know (a newer version's, a damaged record) is said as it is. */
export function legText(leg: string): string {
  return Object.hasOwn(LEG_WORDS, leg) ? LEG_WORDS[leg as RoomLegCode].text : leg;
}

/** One person as /room.json gives them: their chosen name, where they are, two counts, a time. */
export interface RoomPersonJson {
  name: string;
  leg: RoomLegCode;
  sends: number;
  deliveries: number;
  /** ISO 8601, UTC: the person's last event. */
  lastSeen: string;
}

export interface RoomJson {
  people: RoomPersonJson[];
}

/** One row of the board as the page draws it. */
export interface RoomRowView {
  name: string;
  leg: string;
  legHint: string;
  sends: number;
  deliveries: number;
  lastSeen: Moment;
}

export function roomJson(rows: ReadonlyArray<{ name: string; leg: RoomLegCode; at: number; sends: number; deliveries: number }>): RoomJson {
  return { people: rows.map(({ name, leg, sends, deliveries, at }) => ({ name, leg, sends, deliveries, lastSeen: new Date(at).toISOString() })) };
}

export function roomRowView(person: RoomPersonJson): RoomRowView {
  const words = Object.hasOwn(LEG_WORDS, person.leg) ? LEG_WORDS[person.leg] : undefined;
  return {
    name: person.name,
    leg: words?.text ?? legText(person.leg),
    legHint: words?.hint ?? '',
    sends: person.sends,
    deliveries: person.deliveries,
    lastSeen: formatMoment(Date.parse(person.lastSeen)),
  };
}

/** The line above the board: how many people it shows. */
export function roomSummary(people: number): string {
  return people === 0 ? 'Nobody has connected in the last hour yet.' : `${plural(people, 'person', 'people')} connected in the last hour.`;
}
