import { createHmac } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';

import type { Logger } from '../logger.js';
import { parseReceipt } from '../nexmo/receipts.js';
import { safeEqual } from '../safeEqual.js';
import type { MessageLog } from '../store/messageLog.js';

export interface WebhookDeps {
  messages: MessageLog;
  /** The secret part of the receipt URL (see receiptPathKey). */
  receiptKey: string;
  log: Logger;
  now?: () => number;
}

/** Where the webhooks router is mounted, and the receipt route below it. */
export const WEBHOOKS_PREFIX = '/webhooks';
const RECEIPT_ROUTE = '/delivery-receipt';
export const RECEIPT_PATH = `${WEBHOOKS_PREFIX}${RECEIPT_ROUTE}`;

/**
 * Nexmo does not sign delivery receipts, so the URL handed to it carries a key derived from the
 * session secret: only Nexmo (who was given the URL) can post receipts the app will believe.
 */
export function receiptPathKey(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('delivery-receipts').digest('base64url').slice(0, 32);
}

/** Mounted at /webhooks. Receipts arrive as GET query, POST form or POST JSON; each gets a short plain-text answer. */
export function webhooksRouter(deps: WebhookDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  const parsers = [express.urlencoded({ extended: false, limit: '8kb' }), express.json({ limit: '8kb' })];

  const receive = (req: Request, res: Response) => {
    if (!safeEqual(String(req.params.key ?? ''), deps.receiptKey)) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    const fields = req.method === 'GET' ? req.query : req.body;
    const parsed = parseReceipt(fields, new Date(now()));
    if (!parsed.ok) {
      deps.log(`delivery receipt refused: ${parsed.problem}`);
      res.status(400).type('text/plain').send(`Receipt refused: ${parsed.problem}`);
      return;
    }
    if (!deps.messages.applyReceipt(parsed.receipt)) {
      // Unknown message-id: answering non-2xx makes Nexmo retry later, which also covers a
      // receipt that overtakes the recording of its own send.
      res.status(404).type('text/plain').send('Unknown message');
      return;
    }
    deps.log(`delivery receipt: ${parsed.receipt.status} err-code=${parsed.receipt.errCode}`);
    res.status(204).end();
  };

  router.get(`${RECEIPT_ROUTE}/:key`, receive);
  router.post(`${RECEIPT_ROUTE}/:key`, ...parsers, receive);
  return router;
}
