import { Router, type NextFunction, type Request, type Response } from 'express';

import { noteOnAccessLine } from '../http/accessLog.js';
import { csrfToken, requireCsrf } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import { SEND_KEY_FIELD, newSendKey, sendKeyOf } from '../sending/sendKey.js';
import { SEND_ID } from '../lib/sendId.js';
import type { Sender } from '../sending/send.js';
import { addressOf } from '../http/clientAddress.js';
import { counterView } from '../present/smsCounter.js';
import type { BalanceCache } from '../nexmo/balanceCache.js';
import type { NexmoClient } from '../nexmo/smsClient.js';
import { DEFAULT_SENDER, type SmsField, type SmsFormRules } from '../nexmo/smsFormValidation.js';
import { checkSmsForm, destinationPreview, prefillSmsForm, recipientHint } from '../present/smsForm.js';
import type { BalanceOutcome } from '../nexmo/types.js';
import { limitNotice } from '../present/limits.js';
import { formatBalance } from '../present/money.js';
import { accountName } from '../present/accountName.js';
import { repeatNotice, repeatRefusal, type RepeatNotice } from '../present/formNotices.js';
import { SMS_FORM_EXPIRED } from '../present/errorPages.js';
import { formatNumber } from '../present/phoneNumbers.js';
import { unbrokenNumbers } from '../present/unbrokenNumbers.js';
import type { Connection } from '../oauth/loginFlow.js';
import type { ExchangeFacts } from '../timeline/facts.js';
import type { Recorder } from '../timeline/recorder.js';
import type { TimelineStore } from '../timeline/store.js';
import { PRICE_LOOKBACK, lastPartPrice } from '../present/partPrice.js';
import { forgetConnection } from '../http/session.js';
import { withParams } from '../lib/localPath.js';
import type { MessageStore } from '../store/types.js';
import type { RoomBoard } from '../store/roomBoard.js';
import { retryAfter, tooManyRequests } from './limitReached.js';
import { noteInRoom } from './roomEvents.js';
import { apiRefusal } from './providerRefusal.js';
import { connectionOf, requireConnection } from './requireConnection.js';
import type { SendRecord } from '../store/types.js';

export interface SmsDeps {
  /** For the form's balance (the send itself goes through `sender`). */
  nexmo: NexmoClient;
  /** The send as one unit of work: reservation, provider call, completion. */
  sender: Sender;
  /** This deployment's own rules for the form (allowed prefixes, parts a day, how numbers are read). */
  rules: SmsFormRules;
  messages: MessageStore;
  /** The balance the form shows: from the last send or a call made at most once a minute. */
  balances: BalanceCache;
  /** The consumer's recorder, and where a balance read's facts join the connection's timeline. */
  recorder: Recorder;
  timeline: TimelineStore;
  /** Sandbox mode: the room board, told of each signed send and of a connection Nexmo refused. */
  room?: RoomBoard;
}

/** Mounted at /sms: the form and the send. Each send is then shown under /messages. */
export function smsRouter(deps: SmsDeps): Router {
  const router = Router();
  // International format, and national numbers in the default country when there is one: the
  // same for every form this deployment draws.
  const toHint = unbrokenNumbers(recipientHint(deps.rules));

  // Where sends used to be shown; old links and bookmarks go to the same message's new address.
  router.get('/sent/:id', (req, res) => res.redirect(301, `/messages/${encodeURIComponent(req.params.id)}`));
  router.get('/sent/:id/receipts.json', (req, res) => res.redirect(308, `/messages/${encodeURIComponent(req.params.id)}/status.json`));

  router.use(requireConnection);

  router.get('/', async (req, res) => {
    // "Send it again" after a repeat: the earlier send's fields, in a form whose key names it.
    const earlier = await sendToRepeat(req);
    if (earlier) {
      const values = { from: earlier.request.from, to: formatNumber(earlier.request.to).international, text: earlier.request.text };
      const again = repeatNotice(earlier.id, earlier.createdAt, destinationPreview(values.to, deps.rules) ?? values.to);
      return renderForm(req, res, 200, values, {}, 'fetch', { again: { id: earlier.id, notice: again } });
    }
    // "Send another" links here with the last message's From and To; invalid values are ignored.
    const values = prefillSmsForm(req.query, deps.rules);
    // A link naming only the recipient (the sandbox's "Use this number"), or none, still gets a
    // sender: the one this account used last, else the app's default.
    if (values.from === '') values.from = (await lastSender(connectionOf(req).account)) ?? DEFAULT_SENDER;
    await renderForm(req, res, 200, values, {}, 'fetch');
  });

  /** The account's send named by `?again=`, when there is one. */
  async function sendToRepeat(req: Request): Promise<SendRecord | undefined> {
    const id = req.query.again;
    if (typeof id !== 'string' || !SEND_ID.test(id)) return undefined;
    return deps.messages.get(id, connectionOf(req).account);
  }

  async function lastSender(account: string): Promise<string | undefined> {
    const { records } = await deps.messages.list(account, { offset: 0, limit: 1 });
    return records[0]?.request.from;
  }

  // The account first (a page drawn before another tab connected elsewhere says so), then CSRF
  // and the send key, then the fields (invalid input counts against no limit), then the send as
  // one unit of work (sending/send.ts), whose every ending is answered here.
  router.post('/', formOfThisAccount, requireCsrf, async (req: Request, res: Response, next: NextFunction) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const key = sendKeyOf(req.session.csrfToken, body[SEND_KEY_FIELD]);
    if (key === undefined) return next(FORM_EXPIRED);
    const again = key.again === undefined ? undefined : { id: key.again };
    const checked = checkSmsForm({ from: body.from, to: body.to, text: body.text }, deps.rules);
    // Invalid input asks the provider for nothing, not even the balance: it shows what is known.
    if (!checked.ok) return renderForm(req, res, 400, checked.values, checked.errors, 'known', { again });

    // The browser is the login owner: it outlives the session id, which changes at each login.
    const result = await deps.sender.send({ connection: connectionOf(req), key, sms: checked.value, browser: req.session.loginOwner ?? req.sessionID, address: addressOf(req) });
    // Every signed send call counts on the room board, whatever Nexmo answered.
    if (result.kind === 'done' || result.kind === 'refused' || result.kind === 'unauthorized') {
      await noteInRoom(req, deps.room, connectionOf(req), (board, person) => board.sent(person, result.id));
    }
    const wantsJson = () => req.accepts(['html', 'json']) === 'json';
    switch (result.kind) {
      case 'duplicate':
        // This form was sent already (a double click, a retry): that send's page, which says
        // "Sending…" until its first press has Nexmo's answer.
        req.log.info({ messageId: result.id }, `sms ${result.id}: sent again from the same form; not sent twice`);
        return res.redirect(303, `/messages/${result.id}`);
      case 'repeat':
        // The same text to the same number from this browser a moment ago: most likely a form
        // the browser refilled after Back. The earlier send, and a deliberate "Send it again".
        req.log.info({ messageId: result.of }, `sms: the same text to the same number as ${result.of}; not sent again`);
        if (wantsJson()) return next(repeatRefused(result.of, result.at));
        return res.redirect(303, `/sms?again=${result.of}`);
      case 'limited': {
        // A script gets the error as JSON; a person gets the form back as typed, saying when to retry.
        if (wantsJson()) return next(tooManyRequests(result.refusal));
        res.set(retryAfter(result.refusal));
        const typed = { from: String(body.from), to: String(body.to), text: String(body.text) };
        return renderForm(req, res, 429, typed, {}, 'none', { limited: limitNotice(result.refusal), again });
      }
      case 'unauthorized':
        return disconnect(req, res, result.problem, deps.room);
      case 'refused':
        return next(apiRefusal(req, 'send', result.outcome));
      case 'done': {
        const { id, outcome } = result;
        noteOnAccessLine(res, { messageId: id, outcome: outcome.kind }, `sms ${id}: ${outcome.kind}${'parts' in outcome ? ` (${outcome.parts.length} parts)` : ''}`);
        // Post/redirect/get: refreshing the message page never sends again.
        return res.redirect(303, `/messages/${id}`);
      }
    }
  });

  /**
   * A form drawn while another account was connected (another tab connected since): nothing is
   * sent, and the person is told which account is connected now, with the form as they typed it
   * to send from that account if they mean to. Checked before the CSRF token, which the other
   * login replaced, so the answer names what happened instead of a generic expiry.
   */
  async function formOfThisAccount(req: Request, res: Response, next: NextFunction): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const drawnFor = body[FORM_ACCOUNT_FIELD];
    const connection = connectionOf(req);
    if (typeof drawnFor !== 'string' || drawnFor === connection.account) return next();
    req.log.info('sms: form drawn for another account than the one connected now; not sent');
    const typed = { from: asText(body.from), to: asText(body.to), text: asText(body.text) };
    const name = accountName(connection.extra) ?? 'another account';
    await renderForm(req, res, 409, typed, {}, 'known', { accountChanged: name });
  }

  /**
   * Shows the form; its balance never blocks it. `fetch`: the newest known figure, refreshed by
   * a provider call at most once a minute per account (see balanceCache.ts) · `known`: the
   * newest known figure or none, with no call · `none`: no balance, as under a limit.
   */
  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    values: Record<SmsField, string>,
    errors: Partial<Record<SmsField, string>>,
    balanceFrom: 'fetch' | 'known' | 'none',
    shown: FormOccasion = {},
  ): Promise<void> {
    const connection = connectionOf(req);
    // The cost estimate uses the price of the last part sent; without one, the form shows none.
    // The same sends carry the balance Nexmo reported after the last one.
    const recent = await deps.messages.list(connection.account, { offset: 0, limit: PRICE_LOOKBACK });
    let balance: BalanceOutcome | undefined;
    if (balanceFrom === 'fetch') {
      balance = await deps.balances.forForm(connection.account, recent.records, async () => {
        const { value: outcome, recorded } = await deps.recorder.collect(() => deps.nexmo.getBalance(connection));
        await timelineBalanceRead(deps.timeline, req, connection, recorded);
        return outcome;
      });
      if (balance?.kind === 'unauthorized') return disconnect(req, res, balance.problem, deps.room);
      // Every signed call would be refused the same way: the form says why instead.
      if (balance?.kind === 'refused') throw apiRefusal(req, 'balance', balance);
    } else if (balanceFrom === 'known') {
      balance = await deps.balances.known(connection.account, recent.records);
    }
    const partPrice = lastPartPrice(recent.records);
    // Every form drawn (again) gets its own key: sending it twice sends once. "Send it again"
    // names the send it repeats, also when drawn again under a limit.
    const sendKey = newSendKey(csrfToken(req), shown.again?.id);
    res.status(status).render('sms', {
      values,
      errors,
      toHint,
      toPreview: errors.to === undefined ? destinationPreview(values.to, deps.rules) : undefined,
      limited: shown.limited,
      again: shown.again?.notice,
      repeating: shown.again !== undefined,
      accountChanged: shown.accountChanged,
      showBalance: balance !== undefined,
      balance: balance && balanceText(balance),
      counter: counterView(values.text, partPrice),
      partPrice,
      csrfToken: csrfToken(req),
      sendKey: sendKey.value,
      sendId: sendKey.id,
      formAccount: connection.account,
    });
  }

  return router;
}


/**
 * A balance read joins the connection's timeline ("How it works") on its own: it has no commit
 * of its own to ride with. A timeline that cannot be written loses a line, never the form.
 */
async function timelineBalanceRead(timeline: TimelineStore, req: Request, connection: Connection, recorded: readonly ExchangeFacts[]): Promise<void> {
  const id = connection.timelineId;
  const facts = recorded[0];
  if (id === undefined || facts === undefined) return;
  await timeline.addBalanceRead(id, facts).catch((err: unknown) => {
    req.log.warn(`could not add a balance read to the timeline: ${err instanceof Error ? err.message : 'error'}`);
  });
}

/** Why the form is shown (again), besides its fields. */
interface FormOccasion {
  /** Under a limit: no balance, and when to try again. */
  limited?: { title: string; message: string };
  /** The deliberate "Send it again" of send `id` (its notice when first drawn for it). */
  again?: { id: string; notice?: RepeatNotice };
  /** Another tab connected to this account (its name) since the form was drawn. */
  accountChanged?: string;
}

/** Names the account a form was drawn for (its key, not a secret), to tell when it changed since. */
const FORM_ACCOUNT_FIELD = 'formAccount';

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A script sent the same text to the same number again within REPEAT_WINDOW_MS: 409, nothing sent. */
function repeatRefused(of: string, at: number): HttpError {
  return new HttpError(409, repeatRefusal(of, at));
}

/** A send key that this session was not given (another session's, made up, or none): nothing is sent. */
const FORM_EXPIRED = new HttpError(403, SMS_FORM_EXPIRED);

/** The balance at a glance, or nothing when it could not be fetched (the page says so). */
function balanceText(balance: BalanceOutcome): string | undefined {
  return balance.kind === 'ok' ? formatBalance(balance.value) : undefined;
}

/**
 * Nexmo no longer accepts the access token: forget it and ask the user to connect again, coming
 * back to the form (whose text the page keeps in the tab, see browser/sms-draft.ts).
 */
async function disconnect(req: Request, res: Response, problem: string | undefined, room: RoomBoard | undefined): Promise<void> {
  req.log.info({ oauthProblem: problem }, `disconnected: Nexmo refused the access token${problem ? ` (oauth_problem=${problem})` : ''}`);
  await noteInRoom(req, room, req.session.connection, (board, person) => board.saw(person, 'disconnected'));
  await forgetConnection(req);
  res.redirect(303, withParams('/', { notice: 'token-revoked', return: '/sms' }));
}
