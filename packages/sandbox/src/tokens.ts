/**
 * Request and access tokens, in memory. Request tokens live for a short TTL and are single-use;
 * after expiry or use a tombstone is kept for one more TTL so clients get the precise
 * `token_expired` / `token_used` instead of a vague `token_rejected`, then it is purged lazily.
 */
import { randomBytes } from 'node:crypto';

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export type RequestTokenState = 'pending' | 'authorized' | 'used';

export interface RequestToken {
  readonly token: string;
  readonly secret: string;
  readonly consumerKey: string;
  /** "oob" or an absolute http(s) URL, exactly as the client sent it. */
  readonly callback: string;
  readonly expiresAt: number;
  /** Ties the consent form to the page that showed it; a third-party page cannot know it. */
  readonly consentNonce: string;
  state: RequestTokenState;
  verifier: string | undefined;
}

export type Lookup<T> = { ok: true; record: T } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export class RequestTokenStore {
  private readonly tokens = new Map<string, RequestToken>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  issue(consumerKey: string, callback: string): RequestToken {
    this.purge();
    const record: RequestToken = {
      token: randomToken(24),
      secret: randomToken(32),
      consumerKey,
      callback,
      expiresAt: this.now() + this.ttlMs,
      consentNonce: randomToken(24),
      state: 'pending',
      verifier: undefined,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** A token that can still be decided on or exchanged. */
  find(token: string): Lookup<RequestToken> {
    this.purge();
    const record = this.tokens.get(token);
    if (record === undefined) return { ok: false, reason: 'unknown' };
    if (record.state === 'used') return { ok: false, reason: 'used' };
    if (record.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  authorize(record: RequestToken): string {
    record.state = 'authorized';
    record.verifier = randomToken(16);
    return record.verifier;
  }

  /** A denied token is forgotten at once: nothing can be done with it any more. */
  drop(record: RequestToken): void {
    this.tokens.delete(record.token);
  }

  /** Single use: whatever happens next, this token cannot be exchanged again. */
  markUsed(record: RequestToken): void {
    record.state = 'used';
    record.verifier = undefined;
  }

  get size(): number {
    return this.tokens.size;
  }

  private purge(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [token, record] of this.tokens) {
      if (record.expiresAt <= cutoff) this.tokens.delete(token);
    }
  }
}

export interface AccessToken {
  readonly token: string;
  readonly secret: string;
  readonly consumerKey: string;
  readonly username: string;
}

/** Access tokens do not expire, as with Nexmo; each one is its own sandbox account. */
export class AccessTokenStore {
  private readonly tokens = new Map<string, AccessToken>();

  issue(consumerKey: string, username: string): AccessToken {
    const record: AccessToken = { token: randomToken(24), secret: randomToken(32), consumerKey, username };
    this.tokens.set(record.token, record);
    return record;
  }

  find(token: string): Lookup<AccessToken> {
    const record = this.tokens.get(token);
    return record === undefined ? { ok: false, reason: 'unknown' } : { ok: true, record };
  }
}
