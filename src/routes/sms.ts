import { Router, type NextFunction, type Request, type Response } from 'express';

import { noteOnAccessLine } from '../http/accessLog.js';
import { csrfToken, requireCsrf } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import { SEND_KEY_FIELD, newSendKey, sendKeyOf } from '../http/sendKey.js';
import { SEND_ID } from '../lib/sendId.js';
import type { SendLimits } from '../limits/sendLimits.js';
import { countSegments } from '../nexmo/segments.js';
import { counterView } from '../present/smsCounter.js';
import type { BalanceCache } from '../nexmo/balanceCache.js';
import type { NexmoClient } from '../nexmo/smsClient.js';
import {
  DEFAULT_SENDER,
  destinationPreview,
  prefillSmsForm,
  recipientHint,
  validateSmsForm,
  type SmsField,
  type SmsFormRules,
} from '../nexmo/smsFormValidation.js';
import type { BalanceOutcome } from '../nexmo/types.js';
import { limitNotice } from '../limits/refusal.js';
import { formatBalance } from '../present/money.js';
import { accountName } from '../present/accountName.js';
import { repeatNotice, repeatRefusal, type RepeatNotice } from '../present/formNotices.js';
import { formatNumber } from '../nexmo/phoneNumbers.js';
import { REPEAT_WINDOW_MS, reachedNobody, repeatKeyOf } from '../nexmo/repeatSends.js';
import { unbrokenNumbers } from '../present/unbrokenNumbers.js';
import type { ApiCall, TraceStore } from '../oauth/trace.js';
import type { ProtocolExchange } from '../oauth/exchangeTrace.js';
import { PRICE_LOOKBACK, lastPartPrice } from '../present/partPrice.js';
import { forgetConnection } from '../http/session.js';
import { withParams } from '../lib/localPath.js';
import type { MessageStore } from '../store/types.js';
import { retryAfter, tooManyRequests } from '../limits/limitReached.js';
import { apiRefusal } from './providerRefusal.js';
import { connectionOf, requireConnection } from './requireConnection.js';
import type { SendRecord } from '../store/types.js';

export interface SmsDeps {
  nexmo: NexmoClient;
  /** Counted after validation, with the send's reservation, before the provider is called. */
  limits: SendLimits;
  /** This deployment's own rules for the form (allowed prefixes, parts a day, how numbers are read). */
  rules: SmsFormRules;
  messages: MessageStore;
  /** The balance the form shows: from the last send or a call made at most once a minute. */
  balances: BalanceCache;
  /** Where each signed call is added to the connection's timeline ("How it works"). */
  traces: TraceStore;
  /** Where Nexmo should send delivery receipts for this app. */
  receiptUrl: string;
  now?: () => number;
}

/** Mounted at /sms: the form and the send. Each send is then shown under /messages. */
export function smsRouter(deps: SmsDeps): Router {
  const now = deps.now ?? Date.now;

  /**
   * Adds a signed call, as the client returned it, to the connection's timeline (the "How it
   * works" page). A timeline that cannot be written loses a line, never a send.
   */
  async function recordApiCall(req: Request, call: ApiCall, exchange: ProtocolExchange): Promise<void> {
    const traceId = req.session.traceId;
    if (!traceId) return;
    await deps.traces.addApiCall(traceId, { kind: 'api', call, exchange }).catch((err: unknown) => {
      req.log.warn(`could not add a ${call} call to the timeline: ${err instanceof Error ? err.message : 'error'}`);
    });
  }
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
  // and the send key, then the fields (invalid input counts against no limit), then one atomic
  // reservation (the key unused, no repeat of a recent send, every limit, the record as
  // `sending`), then the send.
  router.post('/', formOfThisAccount, requireCsrf, async (req: Request, res: Response, next: NextFunction) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const key = sendKeyOf(req, body[SEND_KEY_FIELD]);
    if (key === undefined) return next(FORM_EXPIRED);
    const { id } = key;
    const checked = validateSmsForm({ from: body.from, to: body.to, text: body.text }, deps.rules);
    // Invalid input asks the provider for nothing, not even the balance: it shows what is known.
    if (!checked.ok) return renderForm(req, res, 400, checked.values, checked.errors, 'known', { again: key.again === undefined ? undefined : { id: key.again } });

    const connection = connectionOf(req);
    const subject = { account: connection.account, to: checked.value.to, parts: countSegments(checked.value.text).parts };
    const counters = deps.limits.countersFor(req, subject);
    const record = { id, account: connection.account, createdAt: now(), request: checked.value };
    // The browser is the login owner: it outlives the session id, which changes at each login.
    const browser = req.session.loginOwner ?? req.sessionID;
    const repeat = { key: repeatKeyOf(connection.account, browser, checked.value), windowMs: REPEAT_WINDOW_MS, again: key.again };
    const reserved = await deps.messages.reserve({ record, counters, repeat });
    if (reserved.kind === 'duplicate') {
      // This form was sent already (a double click, a resend after Back, a retry): that send's
      // page, which says "Sending…" until its first press has Nexmo's answer.
      req.log.info({ messageId: id }, `sms ${id}: sent again from the same form; not sent twice`);
      return res.redirect(303, `/messages/${id}`);
    }
    if (reserved.kind === 'repeat') {
      // The same text to the same number from this browser a moment ago: most likely a form the
      // browser refilled after Back. Not sent; the earlier send, and a deliberate "Send it again".
      req.log.info({ messageId: reserved.of }, `sms: the same text to the same number as ${reserved.of}; not sent again`);
      if (req.accepts(['html', 'json']) === 'json') return next(repeatRefused(reserved.of, reserved.at));
      return res.redirect(303, `/sms?again=${reserved.of}`);
    }
    if (reserved.kind === 'refused') {
      const err = deps.limits.refusal(counters, reserved, record.createdAt, subject);
      // A script gets the error as JSON; a person gets the form back as typed, saying when to retry.
      if (req.accepts(['html', 'json']) === 'json') return next(tooManyRequests(err));
      res.set(retryAfter(err));
      const typed = { from: String(body.from), to: String(body.to), text: String(body.text) };
      return renderForm(req, res, 429, typed, {}, 'none', { limited: limitNotice(err), again: key.again === undefined ? undefined : { id: key.again } });
    }
    const { outcome, exchange } = await deps.nexmo.sendSms(connection, { ...checked.value, clientRef: id, callback: deps.receiptUrl });
    // The reply completes the record written ahead of the call, whatever it says (a refusal too:
    // it stays in the history as not sent), and the signed call joins the connection's timeline
    // in the same commit. A send that reached nobody gives back its counts and its place as a
    // recent send: it cost nothing, and sending it again is no repeat.
    const traceId = req.session.traceId;
    const timeline = traceId ? deps.traces.apiCallEntry(traceId, { kind: 'api', call: 'send', exchange }) : undefined;
    const release = reachedNobody(outcome) ? { counters, repeatKey: repeat.key } : undefined;
    await deps.messages.complete({ ...record, outcome }, { timeline, release });
    if (outcome.kind === 'unauthorized') return disconnect(req, res, outcome.problem);
    if (outcome.kind === 'refused') return next(apiRefusal(req, 'send', outcome));
    noteOnAccessLine(res, { messageId: id, outcome: outcome.kind }, `sms ${id}: ${outcome.kind}${'parts' in outcome ? ` (${outcome.parts.length} parts)` : ''}`);
    // Post/redirect/get: refreshing the message page never sends again.
    res.redirect(303, `/messages/${id}`);
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
        const { outcome, exchange } = await deps.nexmo.getBalance(connection);
        await recordApiCall(req, 'balance', exchange);
        return outcome;
      });
      if (balance?.kind === 'unauthorized') return disconnect(req, res, balance.problem);
      // Every signed call would be refused the same way: the form says why instead.
      if (balance?.kind === 'refused') throw apiRefusal(req, 'balance', balance);
    } else if (balanceFrom === 'known') {
      balance = await deps.balances.known(connection.account, recent.records);
    }
    const partPrice = lastPartPrice(recent.records);
    // Every form drawn (again) gets its own key: sending it twice sends once. "Send it again"
    // names the send it repeats, also when drawn again under a limit.
    const sendKey = newSendKey(req, shown.again?.id);
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
const FORM_EXPIRED = new HttpError(403, {
  title: 'This form has expired',
  message: 'The page you sent it from was out of date or did not come from this app, so nothing was sent. Reload the page and try again.',
  action: { href: '/sms', label: 'Open a new form' },
});

/** The balance at a glance, or nothing when it could not be fetched (the page says so). */
function balanceText(balance: BalanceOutcome): string | undefined {
  return balance.kind === 'ok' ? formatBalance(balance.value) : undefined;
}

/**
 * Nexmo no longer accepts the access token: forget it and ask the user to connect again, coming
 * back to the form (whose text the page keeps in the tab, see browser/sms-draft.ts).
 */
async function disconnect(req: Request, res: Response, problem: string | undefined): Promise<void> {
  req.log.info({ oauthProblem: problem }, `disconnected: Nexmo refused the access token${problem ? ` (oauth_problem=${problem})` : ''}`);
  await forgetConnection(req);
  res.redirect(303, withParams('/', { notice: 'token-revoked', return: '/sms' }));
}
