// What one signed exchange with the provider was, as facts recorded while it happened: what was
// signed (every parameter but the signature), where it went, what came back and when. Recorded
// by the consumer (oauth/consumer.ts) through the recorder it is given (recorder.ts), kept with
// the send's completion or the login's record (never in the session), and turned into what the
// "How it works" page shows only when that page is read (view.ts): the masked parameters, the
// signature base string and the Authorization header are derived then, not on the send's path.
//
// Nothing secret is recorded: the signature is left out, token secrets are never sent (they
// key the signature), tokens and verifiers are kept as their masks, and the app's own secrets
// riding in a call (the receipt key in a callback URL) are replaced where they appear.

export type ExchangeCall = 'request-token' | 'access-token' | 'send' | 'balance';

export interface ExchangeFacts {
  method: string;
  /** As called, query included. */
  url: string;
  /** Every parameter the signature covered (oauth_* and the request's own), in the order signed. */
  params: Array<[string, string]>;
  /**
   * The request as written to the wire: its line's method and path, every header (the
   * Authorization header's signature hidden, tokens masked) and the body (secrets left out).
   * Absent for calls recorded before requests were kept whole, or that never started.
   */
  request?: { method: string; path: string; headers: Array<[string, string]>; body: string };
  /** undefined when no answer came (timeout, network). */
  status: number | undefined;
  /** Every reply header but cookies, in the order received. */
  replyHeaders: Array<[string, string]>;
  /** Token endpoints: the reply's fields (the token's secret left out). */
  replyFields: Array<[string, string]>;
  /** API calls: the reply body (its first 2,000 characters). */
  replyExcerpt: string | undefined;
  /** When the call started (the app's clock) and how long it took. */
  at: number;
  ms: number;
}

/** Reply headers never kept: a provider's cookies are nobody's business here. */
export const DROPPED_REPLY_HEADERS: readonly string[] = ['set-cookie'];

/** How much of a reply body is kept. */
export const REPLY_KEPT = 2000;
