import express, { Router, type Request, type Response } from 'express';

import { checkReceiptSignature, type ReceiptSigning } from '../nexmo/receiptSignature.js';
import { parseReceipt } from '../nexmo/receipts.js';
import { RECEIPT_ROUTE } from './paths.js';
import { safeEqual } from '../lib/safeEqual.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RoomBoard } from '../store/roomBoard.js';
import type { MessageStore } from '../store/types.js';
import { noteDeliveryInRoom } from './roomEvents.js';

export interface WebhookDeps {
  messages: MessageStore;
  /** The secret part of the receipt URL (see nexmo/receiptKey.ts). */
  receiptKey: string;
  /** When set, a receipt must be signed with it (and recent), or it is refused with 401. */
  signing?: ReceiptSigning;
  /** Counts each receipt kept, by status. */
  metrics?: Metrics;
  /** Sandbox mode: the room board, told of each send delivered. */
  room?: RoomBoard;
  now?: () => number;
}

/** Mounted at /webhooks. Receipts arrive as GET query, POST form or POST JSON; each gets a short plain-text answer. */
export function webhooksRouter(deps: WebhookDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  const parsers = [express.urlencoded({ extended: false, limit: '8kb' }), express.json({ limit: '8kb' })];

  const receive = async (req: Request, res: Response) => {
    if (!safeEqual(String(req.params.key ?? ''), deps.receiptKey)) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    const fields: unknown = req.method === 'GET' ? req.query : req.body;
    if (deps.signing) {
      // Before anything is read from it: an unsigned or stale receipt changes nothing.
      const check = checkReceiptSignature(fields, deps.signing, now());
      if (!check.ok) {
        req.log.warn(`delivery receipt refused (401): ${check.problem}`);
        res.status(401).type('text/plain').send(`Receipt refused: ${check.problem}`);
        return;
      }
    }
    const parsed = parseReceipt(fields, new Date(now()));
    if (!parsed.ok) {
      req.log.warn(`delivery receipt refused: ${parsed.problem}`);
      res.status(400).type('text/plain').send(`Receipt refused: ${parsed.problem}`);
      return;
    }
    // An unknown message-id is kept too and still answered 2xx: a non-2xx makes Nexmo retry for
    // hours, and the receipt may simply have overtaken the recording of its own send.
    const { known } = await deps.messages.applyReceipt(parsed.receipt);
    deps.metrics?.receipt(parsed.receipt.status);
    // The receipt names its send by the client-ref the app gave it (the send's id).
    if (parsed.receipt.status === 'delivered') await noteDeliveryInRoom(req, deps.room, parsed.receipt.clientRef);
    req.log.info(`delivery receipt: ${parsed.receipt.status} err-code=${parsed.receipt.errCode}${known ? '' : ' (send not stored yet: kept)'}`);
    res.status(204).end();
  };

  router.get(`${RECEIPT_ROUTE}/:key`, receive);
  router.post(`${RECEIPT_ROUTE}/:key`, ...parsers, receive);
  return router;
}
