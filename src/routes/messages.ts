import { Router, type Request } from 'express';

import { csrfToken } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import { SEND_ID } from '../lib/sendId.js';
import { MESSAGE_NOT_FOUND, NO_SUCH_HISTORY_PAGE, unreadableStatusRequest } from '../present/errorPages.js';
import { formatNumber } from '../present/phoneNumbers.js';
import { historyView, pageCount, pageHref, HISTORY_PAGE_SIZE } from '../present/history.js';
import { statusLine } from '../present/messageStatus.js';
import { resultView, statusView } from '../present/sendResult.js';
import { settleRecord } from '../present/settle.js';
import type { MessageStore, SendRecord } from '../store/types.js';
import { connectionOf, requireConnection } from './requireConnection.js';

export interface MessagesDeps {
  messages: MessageStore;
  /** How long after its reservation a send's reply can still arrive (the call timeout and a margin). */
  replyDueMs: number;
  /** The app's clock: 72 hours after sending, a message with no final receipt shows as expired. */
  now?: () => number;
}

/** How many messages one status poll of the history may ask about (more than a page holds). */
const MAX_STATUS_IDS = 50;

const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

/**
 * Mounted at /messages: the connected account's history, one message, and the JSON both poll
 * while receipts are due. Everything is read from the store, so any instance can answer.
 */
export function messagesRouter(deps: MessagesDeps): Router {
  const now = deps.now ?? Date.now;
  const settle = (record: SendRecord) => settleRecord(record, { now: now(), replyDueMs: deps.replyDueMs });
  const router = Router();
  router.use(requireConnection);

  router.get('/', async (req, res) => {
    const pageNumber = parsePageNumber(req.query.page);
    const account = connectionOf(req).account;
    const page = await deps.messages.list(account, { offset: (pageNumber - 1) * HISTORY_PAGE_SIZE, limit: HISTORY_PAGE_SIZE });
    const last = pageCount(page.total);
    // Past the end (messages can only be added, but a bookmark can be old): the last page there is.
    if (pageNumber > last) return res.redirect(303, pageHref(last));
    res.render('messages', historyView({ ...page, records: page.records.map(settle) }, pageNumber, now()));
  });

  router.get('/status.json', async (req, res) => {
    const ids = parseIds(req.query.ids);
    const account = connectionOf(req).account;
    const records = await Promise.all(ids.map((id) => deps.messages.get(id, account)));
    // Ids that are not this account's are left out, exactly like ids that do not exist.
    const found = records.filter((record): record is SendRecord => record !== undefined);
    res.json({ messages: Object.fromEntries(found.map((record) => [record.id, statusLine(settle(record), now())])) });
  });

  router.get('/:id', async (req, res) => {
    const record = settle(await findRecord(req, deps.messages));
    res.render('sent-message', { ...resultView(record, now()), toNumber: formatNumber(record.request.to), csrfToken: csrfToken(req) });
  });

  router.get('/:id/status.json', async (req, res) => {
    res.json(statusView(settle(await findRecord(req, deps.messages)), now()));
  });

  return router;
}

async function findRecord(req: Request, messages: MessageStore): Promise<SendRecord> {
  const id = req.params.id;
  const record = typeof id === 'string' && SEND_ID.test(id) ? await messages.get(id, connectionOf(req).account) : undefined;
  if (!record) {
    throw new HttpError(404, MESSAGE_NOT_FOUND);
  }
  return record;
}

function parsePageNumber(raw: unknown): number {
  if (raw === undefined) return 1;
  if (typeof raw === 'string' && PAGE_NUMBER.test(raw)) return Number(raw);
  throw new HttpError(400, NO_SUCH_HISTORY_PAGE);
}

function parseIds(raw: unknown): string[] {
  const ids = typeof raw === 'string' && raw !== '' ? [...new Set(raw.split(','))] : [];
  if (ids.length === 0 || ids.length > MAX_STATUS_IDS || !ids.every((id) => SEND_ID.test(id))) {
    throw new HttpError(400, unreadableStatusRequest(MAX_STATUS_IDS));
  }
  return ids;
}
