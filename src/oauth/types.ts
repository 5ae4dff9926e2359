import type { IncomingHttpHeaders } from 'node:http';

import type { SignatureMethod } from '../config/config.js';
import type { ProviderError } from './errors.js';
import type { ExchangeRecorder } from '../timeline/recorder.js';

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

/**
 * A signed API call: the provider's answer, or the transport failure that left none usable
 * (timeout, redirect, network).
 */
export type SignedCallResult = { response: SignedResponse; failure?: undefined } | { response?: undefined; failure: ProviderError };

export type { SignatureMethod };

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
  /** Told the facts of every exchange as it completes (the protocol timeline, see timeline/recorder.ts). */
  recorder?: ExchangeRecorder;
}

/**
 * The app's OAuth 1.0a consumer. Each exchange's facts go to the recorder it was built with.
 * Token calls reject with a ProviderError subclass on any failure; signed calls return
 * transport failures (timeout, redirect, network) as `failure`. Both reject with a TypeError
 * for a request that must not be signed (see checkParams).
 */
export interface OAuthConsumer {
  /** `callbackUrl` defaults to the one in ConsumerOptions (the address the browser used, when it varies). */
  getRequestToken(callbackUrl?: string): Promise<TokenReply>;
  getAccessToken(requestToken: TokenPair, verifier: string): Promise<TokenReply>;
  /**
   * `secrets`: values the request carries that are secrets of the caller's own (the receipt key
   * inside a callback URL). Sent as given, but never recorded, nor quoted in an error.
   */
  signedGet(url: string, access: TokenPair, query?: Record<string, string>, secrets?: readonly string[]): Promise<SignedCallResult>;
  signedPost(url: string, access: TokenPair, form: Record<string, string>, secrets?: readonly string[]): Promise<SignedCallResult>;
  /** Closes kept-alive connections (used at shutdown and by tests). */
  close(): void;
}
