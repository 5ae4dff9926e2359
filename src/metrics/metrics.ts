// What the app counts for its operators, as one interface the parts that see each event call:
// sends by how they ended, each provider call's duration, each store operation's, receipts by
// status, limit refusals, logins by outcome. prometheus.ts keeps them for /metrics; NO_METRICS
// (METRICS=off, unit specs) keeps nothing. Labels are fixed, small sets: never an account, a
// number, an id or anything typed.

/** How a send ended, as sending/send.ts answers it (`done` by the provider's outcome). */
export type SendEnding =
  | 'sent'
  | 'partial'
  | 'rejected'
  | 'throttled'
  | 'unknown'
  | 'failed'
  | 'unauthorized'
  | 'refused'
  | 'duplicate'
  | 'repeat'
  | 'limited';

/** The provider's endpoints, by what they are for. */
export type ProviderEndpoint = 'request_token' | 'access_token' | 'sms' | 'balance' | 'other';

/** How a login ended: connected, refused before any call, failed at the provider, denied on the consent page, or over the limit. */
export type LoginEnding = 'connected' | 'refused' | 'failed' | 'denied' | 'limited';

export interface Metrics {
  send(ending: SendEnding): void;
  /** `status` undefined: no answer (timeout, network). */
  providerCall(endpoint: ProviderEndpoint, status: number | undefined, seconds: number): void;
  /** `operation`: e.g. "messages.reserve", "sessions.get"; `failed`: it threw (the store was unreachable). */
  storeOperation(operation: string, seconds: number, failed: boolean): void;
  receipt(status: string): void;
  limitRefusal(limit: string): void;
  login(ending: LoginEnding): void;
}

export const NO_METRICS: Metrics = {
  send() {},
  providerCall() {},
  storeOperation() {},
  receipt() {},
  limitRefusal() {},
  login() {},
};

/** The endpoint a provider URL names, by its path's end (the app calls a handful of fixed URLs). */
export function endpointOf(url: string): ProviderEndpoint {
  const path = url.split('?')[0] ?? '';
  if (path.endsWith('/request_token')) return 'request_token';
  if (path.endsWith('/access_token')) return 'access_token';
  if (path.endsWith('/sms/json')) return 'sms';
  if (path.endsWith('/account/get-balance')) return 'balance';
  return 'other';
}
