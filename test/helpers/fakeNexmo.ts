/**
 * Stand-ins for the provider at the app's seams, for route specs over createApp: a NexmoClient
 * and an OAuthConsumer that record every call and answer as the spec scripts them. Nothing goes
 * over the network, so a spec sees exactly which provider calls a route made.
 */
import type { NexmoClient } from '../../src/nexmo/smsClient.js';
import type { BalanceOutcome, OutgoingSms, SendOutcome } from '../../src/nexmo/types.js';
import type { OAuthConsumer, TokenPair, TokenReply } from '../../src/oauth/types.js';
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

export interface FakeNexmo extends NexmoClient {
  /** Every call, in order, with the access token and the message as the route passed them. */
  readonly calls: NexmoCall[];
  sends(): OutgoingSms[];
  balanceCalls(): number;
  /** The answer to every following send (one part sent, by default). */
  answerSend(outcome: SendOutcome): void;
  /** The answer to every following balance call (€10.00, by default). */
  answerBalance(outcome: BalanceOutcome): void;
}

/** `recorder`: told each call's facts, as the real consumer tells the recorder it was built with. */
export function fakeNexmoClient(recorder?: ExchangeRecorder): FakeNexmo {
  const calls: NexmoCall[] = [];
  let send: SendOutcome = sentOutcome();
  let balance: BalanceOutcome = { kind: 'ok', value: '10.00000000', autoReload: false };
  return {
    calls,
    sends: () => calls.flatMap((c) => (c.kind === 'sendSms' ? [c.message] : [])),
    balanceCalls: () => calls.filter((c) => c.kind === 'getBalance').length,
    answerSend: (outcome) => (send = outcome),
    answerBalance: (outcome) => (balance = outcome),
    async sendSms(access, message) {
      calls.push({ kind: 'sendSms', access: { token: access.token, secret: access.secret }, message: structuredClone(message) });
      recorder?.exchangeStarts()(fakeFacts('POST', 'https://rest.nexmo.test/sms/json', 200, [['from', message.from], ['to', message.to], ['text', message.text]]));
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

export interface FakeConsumer extends OAuthConsumer {
  readonly tokenCalls: TokenCall[];
  /** The access token the next exchanges hand out. */
  readonly access: TokenReply;
}

/**
 * The login's two token calls, answered at once: request token `rt-1`, `rt-2`…, and one access
 * token for one account. Signed calls are the NexmoClient's job here, so they fail loudly.
 */
export function fakeConsumer(access: TokenReply = { token: 'access-token-1', secret: 'access-secret-1', extra: { username: 'fake-account' } }, recorder?: ExchangeRecorder): FakeConsumer {
  const tokenCalls: TokenCall[] = [];
  let issued = 0;
  const signed = async (): Promise<never> => {
    throw new Error('a route made a signed call past the NexmoClient');
  };
  return {
    tokenCalls,
    access,
    async getRequestToken(callbackUrl) {
      tokenCalls.push({ kind: 'request_token', callbackUrl });
      issued += 1;
      const reply = { token: `rt-${issued}`, secret: `rt-secret-${issued}`, extra: { oauth_callback_confirmed: 'true' } };
      recorder?.exchangeStarts()(fakeFacts('POST', 'https://rest.nexmo.test/oauth/request_token', 200, [['oauth_callback', callbackUrl ?? '']]));
      return reply;
    },
    async getAccessToken(requestToken, verifier) {
      tokenCalls.push({ kind: 'access_token', requestToken: { ...requestToken }, verifier });
      recorder?.exchangeStarts()(fakeFacts('POST', 'https://rest.nexmo.test/oauth/access_token', 200));
      return structuredClone(access);
    },
    signedGet: signed,
    signedPost: signed,
    close() {},
  };
}
