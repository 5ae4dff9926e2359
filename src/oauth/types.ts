import type { IncomingHttpHeaders } from 'node:http';

import type { ProtocolExchange } from './exchangeTrace.js';

/** Receives what a call looked like on the wire, masked (see exchangeTrace.ts), once it ends. */
export type ExchangeObserver = (exchange: ProtocolExchange) => void;

/** A token and its secret, as handed out by an OAuth 1.0a provider. */
export interface TokenPair {
  token: string;
  secret: string;
}

/** A token reply; `extra` holds any other fields the provider returned (e.g. a user name). */
export interface TokenReply extends TokenPair {
  extra: Record<string, string>;
}

/** What a signed API call answered. Non-2xx statuses are returned, not thrown. */
export interface SignedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export type SignatureMethod = 'HMAC-SHA1' | 'PLAINTEXT';

export interface ConsumerOptions {
  requestTokenUrl: string;
  accessTokenUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Absolute URL the provider sends the browser back to (PUBLIC_URL/auth/callback), unless a call names another. */
  callbackUrl: string;
  signatureMethod?: SignatureMethod;
  /** Applies to every provider call. */
  timeoutMs: number;
  /** The app's clock, against which a refusal's Date header tells the provider's clock apart (default Date.now). */
  now?: () => number;
}

/**
 * The app's OAuth 1.0a consumer. Token calls reject with a ProviderError subclass on any failure;
 * signed calls reject only on transport failures (timeout, redirect, network).
 */
export interface OAuthConsumer {
  /** `callbackUrl` defaults to the one in ConsumerOptions (the address the browser used, when it varies). */
  getRequestToken(callbackUrl?: string, onExchange?: ExchangeObserver): Promise<TokenReply>;
  getAccessToken(requestToken: TokenPair, verifier: string, onExchange?: ExchangeObserver): Promise<TokenReply>;
  /**
   * `secrets`: values the request carries that are secrets of the caller's own (the receipt key
   * inside a callback URL). Sent as given, but hidden like the consumer secret, in every
   * encoding, wherever the call is recorded (`onExchange`) or quoted in an error.
   */
  signedGet(url: string, access: TokenPair, query?: Record<string, string>, onExchange?: ExchangeObserver, secrets?: readonly string[]): Promise<SignedResponse>;
  signedPost(url: string, access: TokenPair, form: Record<string, string>, onExchange?: ExchangeObserver, secrets?: readonly string[]): Promise<SignedResponse>;
  /** Closes kept-alive connections (used at shutdown and by tests). */
  close(): void;
}
