import { safeExcerpt } from '../logging/redaction.js';
import type { ProviderProblem } from './problems.js';

/**
 * Failures talking to the OAuth provider or the REST API. Messages are written for logs and
 * pages alike, so they never carry tokens, secrets or Authorization headers: only the
 * provider's status and a short excerpt with anything token-like removed.
 */
export class ProviderError extends Error {
  readonly status: number | undefined;
  readonly excerpt: string;
  /** What the provider said it objected to (OAuth Problem Reporting), when it said. */
  readonly problem: ProviderProblem | undefined;

  constructor(message: string, options: { status?: number; body?: string; cause?: unknown; problem?: ProviderProblem } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.excerpt = safeExcerpt(options.body ?? '');
    this.problem = options.problem;
  }
}

/** The provider answered with a non-2xx status (or refused the token exchange). */
export class ProviderHttpError extends ProviderError {}

/** The provider did not answer within OAUTH_TIMEOUT_MS; the outcome of the call is unknown. */
export class ProviderTimeoutError extends ProviderError {}

/** The provider answered with a redirect; signed requests are never re-sent elsewhere. */
export class ProviderRedirectError extends ProviderError {}

/** The connection failed (refused, reset, DNS). */
export class ProviderNetworkError extends ProviderError {}

/** The provider answered 2xx but the reply breaks the protocol (no token, no callback confirmation). */
export class ProviderProtocolError extends ProviderError {}
