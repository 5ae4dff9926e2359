// Nexmo's SMS and balance APIs over the signed-request consumer. Every reply is turned into a
// typed outcome of codes and raw values; provider bodies never travel further than this module.

import { ProviderRedirectError, ProviderTimeoutError, type ProviderError } from '../oauth/errors.js';
import { isTokenProblem, readProblem } from '../oauth/problems.js';
import type { OAuthConsumer, SignedResponse, TokenPair } from '../oauth/types.js';
import { sumPrices } from './money.js';
import { parseBalance, parseSmsReply } from './smsReply.js';
import type { BalanceOutcome, FailureReason, OutgoingSms, RefusedOutcome, SendOutcome, SentPart, Unauthorized } from './types.js';

export interface NexmoClientOptions {
  consumer: OAuthConsumer;
  /** Base of the REST API, e.g. https://rest.nexmo.com or http://127.0.0.1:3000/sandbox. */
  restUrl: string;
  /**
   * Secrets of the app's own that ride in calls: the receipt key, the last segment of every
   * send's callback URL. Whoever reads it can forge receipts, so the timeline's facts and error
   * excerpts leave it out as they leave out the consumer secret.
   */
  secrets?: readonly string[];
  /** The app's clock, against which a refusal's Date header tells the provider's clock apart. */
  now?: () => number;
}

/** Each call comes to an outcome, a value: nothing is thrown for anything the provider answers. */
export interface NexmoClient {
  sendSms(access: TokenPair, message: OutgoingSms): Promise<SendOutcome | RefusedOutcome>;
  getBalance(access: TokenPair): Promise<BalanceOutcome>;
}

export function createNexmoClient(options: NexmoClientOptions): NexmoClient {
  const { consumer } = options;
  const { secrets } = options;
  const now = options.now ?? Date.now;
  const base = normaliseRestUrl(options.restUrl);

  return {
    async sendSms(access, message) {
      const form = apiFields(message);
      // One attempt only: after a timeout or a dropped connection the message may already be
      // out, and sending again would deliver (and bill) it twice.
      const { response, failure } = await consumer.signedPost(`${base}/sms/json`, access, form, secrets);
      return response ? (refusedOutcome(response, now) ?? sendOutcome(response, now)) : transportOutcome(failure);
    },

    async getBalance(access) {
      const { response } = await consumer.signedGet(`${base}/account/get-balance`, access, {}, secrets);
      return response ? (refusedOutcome(response, now) ?? balanceOutcome(response, now)) : { kind: 'unavailable' };
    },
  };
}

/** Checked once at setup, so a typo in configuration fails at start rather than per message. */
function normaliseRestUrl(restUrl: string): string {
  let url: URL;
  try {
    url = new URL(restUrl);
  } catch {
    throw new TypeError(`restUrl must be an absolute http(s) URL, got "${restUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`restUrl must be an absolute http(s) URL, got "${restUrl}"`);
  }
  if (url.search || url.hash) throw new TypeError('restUrl must not carry a query or fragment');
  return url.href.replace(/\/+$/, '');
}

/** A fresh object per call, one value per key (the signer mishandles repeated keys). */
function apiFields(message: OutgoingSms): Record<string, string> {
  const form: Record<string, string> = {
    from: message.from,
    to: message.to,
    text: message.text,
    type: message.type,
  };
  if (message.clientRef !== undefined) {
    if (message.clientRef.length > 40) throw new RangeError('clientRef can have at most 40 characters');
    form['client-ref'] = message.clientRef;
  }
  if (message.callback !== undefined) {
    form['status-report-req'] = '1';
    form.callback = message.callback;
  }
  return form;
}

function transportOutcome(error: ProviderError): SendOutcome {
  if (error instanceof ProviderTimeoutError) return { kind: 'unknown' };
  if (error instanceof ProviderRedirectError) return failed('redirect', error.status);
  // A network failure, or any other: no usable answer arrived.
  return failed('network');
}

function balanceOutcome(response: SignedResponse, now: () => number): BalanceOutcome {
  if (response.status === 401 || response.status === 403) return unauthorized(response, now);
  if (response.status < 200 || response.status >= 300) return { kind: 'unavailable' };
  return parseBalance(response.body) ?? { kind: 'unavailable' };
}

/**
 * A 401/403 naming an OAuth problem that is not a dead token. Without a problem, or with a token
 * problem, the token is taken to be no good (the caller disconnects).
 */
function refusedOutcome(response: SignedResponse, now: () => number): RefusedOutcome | undefined {
  if (response.status !== 401 && response.status !== 403) return undefined;
  const problem = readProblem(response, now);
  return problem && !isTokenProblem(problem) ? { kind: 'refused', problem } : undefined;
}

/** The token is no good; the problem's code, when the reply names one, is for the log line. */
function unauthorized(response: SignedResponse, now: () => number): Unauthorized {
  const code = readProblem(response, now)?.code;
  return code === undefined ? { kind: 'unauthorized' } : { kind: 'unauthorized', problem: code };
}

function failed(reason: FailureReason, status?: number): SendOutcome {
  return status === undefined ? { kind: 'failed', reason } : { kind: 'failed', reason, status };
}

function sendOutcome(response: SignedResponse, now: () => number): SendOutcome {
  const { status } = response;
  if (status === 401 || status === 403) return unauthorized(response, now);
  if (status === 429) return { kind: 'throttled' };
  if (status >= 300 && status < 400) return failed('redirect', status);
  if (status >= 500) return failed('server-error', status);
  if (status < 200 || status >= 300) return failed('bad-reply', status);

  const reply = parseSmsReply(response.body);
  if (!reply) return failed('bad-reply', status);

  const parts: SentPart[] = reply.messages.map((entry, index) => ({ index, ...entry }));
  if (parts.every((part) => part.status === 1)) return { kind: 'throttled' };

  const accepted = parts.filter((part) => part.status === 0).length;
  const kind = accepted === parts.length ? 'sent' : accepted === 0 ? 'rejected' : 'partial';
  return {
    kind,
    parts,
    totalPrice: sumPrices(parts.map((part) => part.price)),
    messageCount: reply.messageCount,
  };
}
