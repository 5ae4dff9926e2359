// The shapes the SMS client, its reply parser and the message store share. Codes and raw values
// only: what a code means to a person is the presenters' business (src/present/).

import type { ProviderProblem } from '../oauth/problems.js';

/** What a person asked to send, checked (see smsFormValidation.ts): kept with each send record. */
export interface SmsRequest {
  /** Alphanumeric sender ID without spaces, or digits only. */
  from: string;
  /** E.164 digits without `+`. */
  to: string;
  /** Exactly as typed. */
  text: string;
  type: 'text' | 'unicode';
}

/** One SMS as the app asks Nexmo to send it. */
export interface OutgoingSms extends SmsRequest {
  /** Echoed back in the reply and in receipts; at most 40 characters. */
  clientRef?: string;
  /** Where delivery receipts go; giving one also asks for them. */
  callback?: string;
}

/** One entry of Nexmo's reply, as read from the JSON. Amounts stay decimal strings. */
export interface ReplyEntry {
  status: number;
  messageId?: string;
  price?: string;
  network?: string;
  remainingBalance?: string;
  to?: string;
}

export interface SentPart extends ReplyEntry {
  /** 0-based position in Nexmo's reply. */
  index: number;
}

export interface AnsweredOutcome {
  /** sent: every part accepted · partial: some accepted · rejected: none accepted. */
  kind: 'sent' | 'partial' | 'rejected';
  parts: SentPart[];
  /** Sum of the part prices, exact, with (at least) 8 decimals as Nexmo writes them. */
  totalPrice: string;
  messageCount: number;
}

export type FailureReason = 'server-error' | 'bad-reply' | 'network' | 'redirect';

export type SendOutcome =
  | AnsweredOutcome
  /** Every part came back with status 1, or HTTP 429: nothing was sent. */
  | { kind: 'throttled' }
  /** HTTP 401/403: the access token no longer works; `problem` is the oauth_problem code, when named. */
  | Unauthorized
  /** No answer in time: the message may or may not have gone out. Nothing is retried. */
  | { kind: 'unknown' }
  /**
   * server-error: HTTP 5xx · bad-reply: a reply of the wrong shape or an unexpected HTTP status
   * (whether the message went out is not known) · network: no connection · redirect: refused to
   * follow a 3xx with a signed request.
   */
  | { kind: 'failed'; reason: FailureReason; status?: number };

/**
 * HTTP 401/403 that names an OAuth problem other than a dead token (a clock off, a consumer key
 * refused…): the token may be fine, so nobody is disconnected; nothing was sent. Never stored:
 * the route explains the problem instead.
 */
export interface RefusedOutcome {
  kind: 'refused';
  problem: ProviderProblem;
}

export interface Unauthorized {
  kind: 'unauthorized';
  problem?: string;
}

export type BalanceOutcome =
  /** `value` is EUR as the decimal string Nexmo sent (a JSON number is written the same way). */
  | { kind: 'ok'; value: string; autoReload: boolean }
  | Unauthorized
  | RefusedOutcome
  | { kind: 'unavailable' };
