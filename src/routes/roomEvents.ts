import type { Request } from 'express';

import type { Connection } from '../oauth/loginFlow.js';
import { accountName } from '../present/accountName.js';
import type { RoomBoard, RoomPerson } from '../store/roomBoard.js';

/** A connection as the room board knows it: its account key and the name the person chose. */
export function roomPersonOf(connection: Connection): RoomPerson | undefined {
  const name = accountName(connection.extra);
  return name === undefined ? undefined : { account: connection.account, name };
}

/**
 * Notes what a connected person did on the room board (sandbox mode; `room` is undefined in
 * live mode). The board is a view of the room: a store that cannot take the line costs the
 * board that line, never the login, the send or the receipt it is about.
 */
export async function noteInRoom(req: Request, room: RoomBoard | undefined, connection: Connection | undefined, write: (board: RoomBoard, person: RoomPerson) => Promise<void>): Promise<void> {
  const person = connection && roomPersonOf(connection);
  if (room === undefined || person === undefined) return;
  await write(room, person).catch((err: unknown) => warn(req, err));
}

/** A "delivered" receipt for send `sendId` (its client-ref), counted once per send. */
export async function noteDeliveryInRoom(req: Request, room: RoomBoard | undefined, sendId: string | undefined): Promise<void> {
  if (room === undefined || sendId === undefined) return;
  await room.delivered(sendId).catch((err: unknown) => warn(req, err));
}

function warn(req: Request, err: unknown): void {
  req.log.warn(`could not note an event on the room board: ${err instanceof Error ? err.message : 'error'}`);
}
