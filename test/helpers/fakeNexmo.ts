/**
 * Stand-ins for the provider at the app's seams: a NexmoClient and an OAuthConsumer that record
 * every call and answer as the spec scripts them. The route harness (routeApp.ts) builds the app
 * on both; unit specs of the login flow and the SMS client use the consumer on its own. Nothing
 * goes over the network, so a spec sees exactly which provider calls were made.
 */
import type { NexmoClient } from '../../src/nexmo/smsClient.js';
import type { BalanceOutcome, OutgoingSms, SendOutcome } from '../../src/nexmo/types.js';
import { ProviderError } from '../../src/oauth/errors.js';
import type { OAuthConsumer, SignedCallResult, SignedResponse, TokenPair, TokenReply } from '../../src/oauth/types.js';
import type { ExchangeFacts } from '../../src/timeline/facts.js';
import type { ExchangeRecorder } from '../../src/timeline/recorder.js';

/**
 * The facts a fake call records, as the real consumer records a signed call's: its method and
 * URL, and the parameters it would have signed (no signer here: a fixed consumer key and nonce).
 */
export function fakeFacts(method: string, url: string, status: number | undefined, params: Array<[string, string]> = []): ExchangeFacts {
  return {
    method,
    url,
    params: [['oauth_consumer_key', 'fake-consumer-key'], ['oauth_nonce', 'fake-nonce'], ['oauth_signature_method', 'HMAC-SHA1'], ['oauth_timestamp', '1'], ['oauth_version', '1.0'], ...params],
    status,
    replyHeaders: [],
    replyFields: [],
    replyExcerpt: undefined,
    ms: 0,
    at: 0,
  };
}

export type NexmoCall = { kind: 'sendSms'; access: TokenPair; message: OutgoingSms } | { kind: 'getBalance'; access: TokenPair };

/** One part accepted, as Nexmo answers a short message to a test number. */
export function sentOutcome(messageId = '0A0000000123ABCD1', to = '447700900000'): SendOutcome {
  return { kind: 'sent', parts: [{ index: 0, status: 0, messageId, to, price: '0.03330000', remainingBalance: '9.96670000', network: '23410' }], totalPrice: '0.03330000', messageCount: 1 };
}

/**
 * Every part of one message accepted, as Nexmo answers a long message: `messageIds` one per
 * part, each at `price`, the remaining balance going down from `balance` part by part.
 */
export function sentInParts(messageIds: readonly string[], options: { to?: string; price?: string; balance?: number } = {}): SendOutcome {
  const { to = '447700900000', price = '0.03330000', balance = 10 } = options;
  const parts = messageIds.map((messageId, index) => ({ index, status: 0, messageId, to, price, remainingBalance: (balance - Number(price) * (index + 1)).toFixed(8), network: '23410' }));
  return { kind: 'sent', parts, totalPrice: (Number(price) * messageIds.length).toFixed(8), messageCount: messageIds.length };
}

/** A message the provider refused whole, with Nexmo's `status` for every part (9: not enough credit). */
export function refusedOutcome(status: number, parts = 1): SendOutcome {
  return { kind: 'rejected', parts: Array.from({ length: parts }, (_, index) => ({ index, status })), totalPrice: '0', messageCount: parts };
}

export interface FakeNexmo extends NexmoClient {
  /** Every call, in order, with the access token and the message as the route passed them. */
  readonly calls: NexmoCall[];
  sends(): OutgoingSms[];
  balanceCalls(): number;
  /** The answer to every following send (one part sent, by default). */
  answerSend(outcome: SendOutcome): void;
  /** The answer to every following balance call (€10.00, by default). */
  answerBalance(outcome: BalanceOutcome): void;
  /**
   * Holds every following send, made but not yet answered, as a slow provider does, until the
   * returned `release` is called; `reached` resolves once the first held send has been made.
   */
  holdSends(): { reached: Promise<void>; release(): void };
}

/** `recorder`: told each call's facts, as the real consumer tells the recorder it was built with. */
export function fakeNexmoClient(recorder?: ExchangeRecorder): FakeNexmo {
  const calls: NexmoCall[] = [];
  let send: SendOutcome = sentOutcome();
  let balance: BalanceOutcome = { kind: 'ok', value: '10.00000000', autoReload: false };
  let held: { gate: Promise<void>; reached(): void } | undefined;
  return {
    calls,
    sends: () => calls.flatMap((c) => (c.kind === 'sendSms' ? [c.message] : [])),
    balanceCalls: () => calls.filter((c) => c.kind === 'getBalance').length,
    answerSend: (outcome) => (send = outcome),
    answerBalance: (outcome) => (balance = outcome),
    holdSends() {
      let release!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const first = new Promise<void>((resolve) => (reached = resolve));
      held = { gate, reached };
      return {
        reached: first,
        release() {
          held = undefined;
          release();
        },
      };
    },
    async sendSms(access, message) {
      calls.push({ kind: 'sendSms', access: { token: access.token, secret: access.secret }, message: structuredClone(message) });
      // As the real consumer: where the facts go is asked as the exchange starts.
      const record = recorder?.exchangeStarts();
      if (held) {
        held.reached();
        await held.gate;
      }
      record?.(fakeFacts('POST', 'https://rest.nexmo.test/sms/json', 200, [['from', message.from], ['to', message.to], ['text', message.text]]));
      return structuredClone(send);
    },
    async getBalance(access) {
      calls.push({ kind: 'getBalance', access: { token: access.token, secret: access.secret } });
      recorder?.exchangeStarts()(fakeFacts('GET', 'https://rest.nexmo.test/account/get-balance', 200));
      return structuredClone(balance);
    },
  };
}

export type TokenCall = { kind: 'request_token'; callbackUrl: string | undefined } | { kind: 'access_token'; requestToken: TokenPair; verifier: string };

/** A signed call as the NexmoClient made it: what the consumer would have signed and sent. */
export interface SignedCall {
  method: 'GET' | 'POST';
  url: string;
  access: TokenPair;
  params: Record<string, string> | undefined;
  /** What the caller asked the consumer never to record. */
  secrets?: readonly string[] | undefined;
}

export interface FakeConsumer extends OAuthConsumer {
  readonly tokenCalls: TokenCall[];
  readonly signedCalls: SignedCall[];
  /** The access token an exchange hands out for a login approved without naming an account. */
  readonly access: TokenReply;
  /**
   * What the provider's consent page records: `requestToken` approved as `account`, so its
   * exchange hands out that account's own access token (`access-token-<account>`).
   */
  approve(requestToken: string, account: string): void;
  /** The next `kind` token call rejects with `error`, as the real consumer rejects with a ProviderError. */
  refuseNext(kind: TokenCall['kind'], error: Error): void;
  /**
   * The answers to the following signed calls, in order: a response, a ProviderError (returned
   * as the call's failure, as the consumer does) or any other Error (thrown: a bug).
   */
  answerSigned(...replies: Array<SignedResponse | Error>): void;
}

export interface FakeConsumerOptions {
  /** The access token of a login approved without naming an account. */
  access?: TokenReply;
  /** Told each token call's facts, as the real consumer tells the recorder it was built with. */
  recorder?: ExchangeRecorder;
}

/**
 * The provider as the consumer reaches it, answered at once: request tokens `rt-1`, `rt-2`…,
 * an access token per approved account, and signed calls from a script (none by default: in
 * the route harness the fake NexmoClient answers them, so one reaching here fails loudly).
 */
export function fakeConsumer(options: FakeConsumerOptions = {}): FakeConsumer {
  const { recorder } = options;
  const access: TokenReply = options.access ?? { token: 'access-token-1', secret: 'access-secret-1', extra: { username: 'fake-account' } };
  const tokenCalls: TokenCall[] = [];
  const signedCalls: SignedCall[] = [];
  const approvedAs = new Map<string, string>();
  const refusals: Partial<Record<TokenCall['kind'], Error>> = {};
  const replies: Array<SignedResponse | Error> = [];
  let issued = 0;
  const refused = (kind: TokenCall['kind']) => {
    const error = refusals[kind];
    delete refusals[kind];
    return error;
  };
  const signed = async (call: SignedCall): Promise<SignedCallResult> => {
    signedCalls.push(call);
    const reply = replies.shift();
    if (reply === undefined) throw new Error(`a signed ${call.method} ${call.url} reached the fake consumer with no answer scripted`);
    if (reply instanceof ProviderError) return { failure: reply };
    if (reply instanceof Error) throw reply;
    return { response: reply };
  };
  return {
    tokenCalls,
    signedCalls,
    access,
    approve: (requestToken, account) => void approvedAs.set(requestToken, account),
    refuseNext: (kind, error) => void (refusals[kind] = error),
    answerSigned: (...next) => void replies.push(...next),
    async getRequestToken(callbackUrl) {
      tokenCalls.push({ kind: 'request_token', callbackUrl });
      const error = refused('request_token');
      recorder?.exchangeStarts()(fakeFacts('POST', 'https://rest.nexmo.test/oauth/request_token', statusOf(error), [['oauth_callback', callbackUrl ?? '']]));
      if (error) throw error;
      issued += 1;
      return { token: `rt-${issued}`, secret: `rt-secret-${issued}`, extra: { oauth_callback_confirmed: 'true' } };
    },
    async getAccessToken(requestToken, verifier) {
      tokenCalls.push({ kind: 'access_token', requestToken: { token: requestToken.token, secret: requestToken.secret }, verifier });
      const record = recorder?.exchangeStarts();
      // As a provider over the network: concurrent exchanges interleave here.
      await new Promise((resolve) => setImmediate(resolve));
      const error = refused('access_token');
      record?.(fakeFacts('POST', 'https://rest.nexmo.test/oauth/access_token', statusOf(error)));
      if (error) throw error;
      const account = approvedAs.get(requestToken.token);
      if (account === undefined) return structuredClone(access);
      return { token: `access-token-${account}`, secret: `access-secret-${account}`, extra: { username: account } };
    },
    signedGet: (url, accessToken, query, secrets) => signed({ method: 'GET', url, access: accessToken, params: query, secrets }),
    signedPost: (url, accessToken, form, secrets) => signed({ method: 'POST', url, access: accessToken, params: form, secrets }),
    close() {},
  };
}

/** The status an exchange is recorded with: 200, or the refusal's own (none for a failure without an answer). */
function statusOf(error: Error | undefined): number | undefined {
  if (error === undefined) return 200;
  return error instanceof ProviderError ? error.status : undefined;
}
