// A send as one unit of work: reserve (the key unused, no repeat of a recent send, every limit,
// the record written ahead as `sending`: one atomic step of the store), then the provider call,
// then the completion (its outcome, the signed call's facts for the connection's timeline, and
// what a send that reached nobody gives back: one commit). Every way it can end is a value; the
// route turns each into an answer. Nothing here knows HTTP.

import type { LimitRefusal } from '../limits/refusal.js';
import type { SendCounters } from '../limits/sendCounters.js';
import { countSegments } from '../nexmo/segments.js';
import type { NexmoClient } from '../nexmo/smsClient.js';
import type { SendOutcome, SmsRequest, RefusedOutcome, Unauthorized } from '../nexmo/types.js';
import type { Connection } from '../oauth/loginFlow.js';
import type { MessageStore } from '../store/types.js';
import type { Recorder } from '../timeline/recorder.js';
import type { Metrics, SendEnding } from '../metrics/metrics.js';
import { REPEAT_WINDOW_MS, reachedNobody, repeatKeyOf } from './repeats.js';
import type { SendKey } from './sendKey.js';

export type SendResult =
  /** The provider answered (sent, partly, rejected…), or gave no usable answer: see `outcome`. */
  | { kind: 'done'; id: string; outcome: Exclude<SendOutcome, Unauthorized> }
  /** The access token is no longer accepted: the connection must be forgotten. */
  | { kind: 'unauthorized'; id: string; problem: string | undefined }
  /** A problem with the request's timing or protocol (a clock off): nothing was sent. */
  | { kind: 'refused'; id: string; outcome: RefusedOutcome }
  /** This form was sent already (a double click, a retry): that send. */
  | { kind: 'duplicate'; id: string }
  /** The same text to the same number from this browser a moment ago: nothing was sent. */
  | { kind: 'repeat'; of: string; at: number }
  /** A limit was reached: nothing was counted, stored or sent. */
  | { kind: 'limited'; refusal: LimitRefusal };

export interface SendRequest {
  connection: Connection;
  /** The form's key: the send's id, and the send it deliberately repeats, if any. */
  key: SendKey;
  sms: SmsRequest;
  /** The browser that sends (its login owner): a repeat is the same browser's. */
  browser: string;
  /** The client's address, for the per-address limit. */
  address: string;
}

export interface SenderDeps {
  nexmo: NexmoClient;
  messages: MessageStore;
  counters: SendCounters;
  /** Where Nexmo should send delivery receipts for this app. */
  receiptUrl: string;
  /** The consumer's recorder: the signed call's facts, kept with the completion. */
  recorder: Recorder;
  /** Counts each send by how it ended, and each limit refusal. */
  metrics?: Metrics;
  now: () => number;
}

export interface Sender {
  send(request: SendRequest): Promise<SendResult>;
}

export function createSender(deps: SenderDeps): Sender {
  const counted = (result: SendResult): SendResult => {
    deps.metrics?.send(endingOf(result));
    if (result.kind === 'limited') deps.metrics?.limitRefusal(result.refusal.kind);
    return result;
  };
  return {
    send: async (request) => counted(await send(request)),
  };

  async function send({ connection, key, sms, browser, address }: SendRequest): Promise<SendResult> {
    const { id } = key;
    const subject = { account: connection.account, address, to: sms.to, parts: countSegments(sms.text).parts };
    const counters = deps.counters.countersFor(subject);
    const record = { id, account: connection.account, createdAt: deps.now(), request: sms };
    const repeat = { key: repeatKeyOf(connection.account, browser, sms), windowMs: REPEAT_WINDOW_MS, again: key.again };
    const reserved = await deps.messages.reserve({ record, counters, repeat });
    if (reserved.kind === 'duplicate') return { kind: 'duplicate', id };
    if (reserved.kind === 'repeat') return { kind: 'repeat', of: reserved.of, at: reserved.at };
    if (reserved.kind === 'refused') return { kind: 'limited', refusal: deps.counters.refusal(counters, reserved, record.createdAt, subject) };

    const { value: outcome, recorded } = await deps.recorder.collect(() => deps.nexmo.sendSms(connection, { ...sms, clientRef: id, callback: deps.receiptUrl }));
    // The reply completes the record written ahead of the call, whatever it says (a refusal too:
    // it stays in the history as not sent), with the signed call's facts for the connection's
    // timeline. A send that reached nobody gives back its counts and its place as a recent
    // send: it cost nothing, and sending it again is no repeat.
    const facts = recorded[0];
    const call = facts && connection.timelineId ? { timeline: connection.timelineId, facts } : undefined;
    const release = reachedNobody(outcome) ? { counters, repeatKey: repeat.key } : undefined;
    await deps.messages.complete({ ...record, outcome, ...(call ? { call } : {}) }, { release });
    if (outcome.kind === 'unauthorized') return { kind: 'unauthorized', id, problem: outcome.problem };
    if (outcome.kind === 'refused') return { kind: 'refused', id, outcome };
    return { kind: 'done', id, outcome };
  }
}

/** A result as the metrics count it: a send the provider answered, by its outcome. */
function endingOf(result: SendResult): SendEnding {
  return result.kind === 'done' ? result.outcome.kind : result.kind;
}
