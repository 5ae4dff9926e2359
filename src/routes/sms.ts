import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';

import { csrfToken, requireCsrf } from '../csrf.js';
import type { Logger } from '../logger.js';
import { countSegments, describeCount, needsWarning } from '../nexmo/segments.js';
import type { NexmoClient } from '../nexmo/smsClient.js';
import { validateSmsForm, type SmsField } from '../nexmo/smsFormValidation.js';
import type { BalanceOutcome } from '../nexmo/types.js';
import { formatEuro } from '../present/money.js';
import { saveSession } from '../session.js';
import type { MessageStore } from '../store/types.js';
import { connectionOf, requireConnection } from './requireConnection.js';

export interface SmsDeps {
  nexmo: NexmoClient;
  messages: MessageStore;
  /** Where Nexmo should send delivery receipts for this app. */
  receiptUrl: string;
  log: Logger;
  now?: () => number;
}

/** Mounted at /sms: the form and the send. Each send is then shown under /messages. */
export function smsRouter(deps: SmsDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();

  // Where sends used to be shown; old links and bookmarks go to the same message's new address.
  router.get('/sent/:id', (req, res) => res.redirect(301, `/messages/${encodeURIComponent(req.params.id)}`));
  router.get('/sent/:id/receipts.json', (req, res) => res.redirect(308, `/messages/${encodeURIComponent(req.params.id)}/status.json`));

  router.use(requireConnection);

  router.get('/', async (req, res) => {
    await renderForm(req, res, 200, { from: '', to: prefilledTo(req.query.to), text: '' }, {});
  });

  router.post('/', requireCsrf, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const checked = validateSmsForm({ from: body.from, to: body.to, text: body.text });
    if (!checked.ok) return renderForm(req, res, 400, checked.values, checked.errors);

    const connection = connectionOf(req);
    const id = randomBytes(16).toString('base64url');
    const outcome = await deps.nexmo.sendSms(connection, { ...checked.value, clientRef: id, callback: deps.receiptUrl });
    if (outcome.kind === 'unauthorized') return disconnect(req, res);

    await deps.messages.add({ id, account: connection.account, createdAt: now(), request: checked.value, outcome });
    deps.log(`sms ${id}: ${outcome.kind}${'parts' in outcome ? ` (${outcome.parts.length} parts)` : ''}`);
    // Post/redirect/get: refreshing the message page never sends again.
    res.redirect(303, `/messages/${id}`);
  });

  /** Shows the form; the balance is fetched each time, and its absence never blocks the form. */
  async function renderForm(req: Request, res: Response, status: number, values: Record<SmsField, string>, errors: Partial<Record<SmsField, string>>): Promise<void> {
    const balance = await deps.nexmo.getBalance(connectionOf(req));
    if (balance.kind === 'unauthorized') return disconnect(req, res);
    const count = countSegments(values.text);
    res.status(status).render('sms', {
      values,
      errors,
      balance: balanceText(balance),
      counter: { text: describeCount(count), warning: needsWarning(count) },
      csrfToken: csrfToken(req),
    });
  }

  return router;
}

/**
 * `/sms?to=447700900999` (the sandbox's test numbers link here) fills in the recipient. Only a
 * plain international number is taken; anything else is ignored, never echoed.
 */
function prefilledTo(value: unknown): string {
  return typeof value === 'string' && /^[1-9]\d{6,14}$/.test(value) ? `+${value}` : '';
}

/** The balance at a glance, or nothing when it could not be fetched (the page says so). */
function balanceText(balance: BalanceOutcome): string | undefined {
  return balance.kind === 'ok' ? formatEuro(balance.value, { cents: true }) : undefined;
}

/** Nexmo no longer accepts the access token: forget it and ask the user to connect again. */
async function disconnect(req: Request, res: Response): Promise<void> {
  delete req.session.connection;
  await saveSession(req);
  res.redirect(303, '/?notice=token-revoked');
}
