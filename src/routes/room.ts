import { Router } from 'express';

import { roomJson, roomRowView, roomSummary } from '../present/room.js';
import type { RoomBoard } from '../store/roomBoard.js';
import { ROOM_JSON_PATH, ROOM_PATH } from './paths.js';

/** How often the page asks for the board again. */
export const ROOM_POLL_MS = 3000;

/**
 * Mounted at / in sandbox mode only (a live deployment has no room: 404). Open to every browser
 * that reaches the app, connected or not: the presenter projects it, and it shows only what the
 * room sees on that screen (the names people chose in the sandbox, a leg, two counts, a time).
 */
export function roomRouter(board: RoomBoard): Router {
  const router = Router();

  router.get(ROOM_PATH, async (_req, res) => {
    const json = roomJson(await board.people());
    res.render('room', {
      rows: json.people.map(roomRowView),
      summary: roomSummary(json.people.length),
      jsonUrl: ROOM_JSON_PATH,
      pollMs: ROOM_POLL_MS,
    });
  });

  router.get(ROOM_JSON_PATH, async (_req, res) => {
    res.json(roomJson(await board.people()));
  });

  return router;
}
