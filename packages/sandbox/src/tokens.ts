/**
 * Request and access tokens, kept in the sandbox's storage. Request tokens live for a short TTL
 * and are single-use; after expiry or use a tombstone is kept for one more TTL so clients get
 * the precise `token_expired` / `token_used` instead of a vague `token_rejected`, then the
 * storage forgets them.
 *
 * A request token is a few keys, each written once, so that every step that must happen once
 * is one atomic storage call, whichever instance of a shared storage runs it:
 *   rt:T    the token itself (never changed)
 *   rtd:T   the person's decision ("denied", or "authorized:" and the account approved),
 *           claimed with setIfAbsent: one answer per token
 *   rtg:T   the grant (verifier and account), taken by the exchange: one exchange per token
 *   rtu:T   the tombstone of a used token
 */
import { randomBytes } from 'node:crypto';
import type { SandboxStorage } from './storage.js';

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
  readonly state: RequestTokenState;
  /**
   * Once authorized, the sandbox account the person approved it for (whose clock judges the
   * exchange); undefined while pending, and for a token approved before the decision named it.
   */
  readonly account?: string | undefined;
}

/** What an authorized request token can be exchanged for, once. */
export interface Grant {
  readonly verifier: string;
  /** The sandbox account the person chose on the consent page. */
  readonly account: string;
}

export type Lookup<T> = { ok: true; record: T } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

const RT = 'sandbox:rt:';
const DECISION = 'sandbox:rtd:';
const GRANT = 'sandbox:rtg:';
const USED = 'sandbox:rtu:';

type StoredRequestToken = Omit<RequestToken, 'state' | 'account'>;

const AUTHORIZED = 'authorized';
const DENIED = 'denied';

export class RequestTokenStore {
  constructor(
    private readonly storage: SandboxStorage,
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  async issue(consumerKey: string, callback: string): Promise<RequestToken> {
    const stored: StoredRequestToken = {
      token: randomToken(24),
      secret: randomToken(32),
      consumerKey,
      callback,
      expiresAt: this.now() + this.ttlMs,
      consentNonce: randomToken(24),
    };
    await this.storage.set(RT + stored.token, JSON.stringify(stored), this.keepMs());
    return { ...stored, state: 'pending' };
  }

  /** A token that can still be decided on or exchanged. */
  async find(token: string): Promise<Lookup<RequestToken>> {
    const [raw, used, decision] = await Promise.all([
      this.storage.get(RT + token),
      this.storage.get(USED + token),
      this.storage.get(DECISION + token),
    ]);
    if (raw === undefined) return { ok: false, reason: 'unknown' };
    if (used !== undefined) return { ok: false, reason: 'used' };
    const stored = JSON.parse(raw) as StoredRequestToken;
    if (stored.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    if (decision === undefined) return { ok: true, record: { ...stored, state: 'pending' } };
    // Denied, and being forgotten (deny() deletes the token next).
    if (decision === DENIED) return { ok: false, reason: 'unknown' };
    // "authorized" alone was written before the decision named the account.
    const account = decision.startsWith(`${AUTHORIZED}:`) ? decision.slice(AUTHORIZED.length + 1) : undefined;
    return { ok: true, record: { ...stored, state: 'authorized', account } };
  }

  /**
   * The callback a token was issued with, as long as the storage keeps the token (one TTL past
   * its expiry): where a consent page left open too long can send the person back.
   */
  async callbackOf(token: string): Promise<string | undefined> {
    const raw = await this.storage.get(RT + token);
    return raw === undefined ? undefined : (JSON.parse(raw) as StoredRequestToken).callback;
  }

  /**
   * Records the person's approval and returns the verifier; undefined when the token was
   * already answered (two submissions of one consent form racing).
   */
  async authorize(record: RequestToken, account: string): Promise<string | undefined> {
    const grant: Grant = { verifier: randomToken(16), account };
    if (!(await this.storage.setIfAbsent(DECISION + record.token, `${AUTHORIZED}:${account}`, this.keepMs()))) return undefined;
    await this.storage.set(GRANT + record.token, JSON.stringify(grant), this.keepMs());
    return grant.verifier;
  }

  /**
   * A denied token is forgotten at once: nothing can be done with it any more. False when it
   * had already been answered.
   */
  async deny(record: RequestToken): Promise<boolean> {
    if (!(await this.storage.setIfAbsent(DECISION + record.token, DENIED, this.keepMs()))) return false;
    await this.storage.delete(RT + record.token);
    return true;
  }

  /**
   * Single use: takes the grant, so whatever happens next this token cannot be exchanged
   * again. Of concurrent exchanges one gets the grant, the others undefined.
   */
  async redeem(record: RequestToken): Promise<Grant | undefined> {
    const raw = await this.storage.take(GRANT + record.token);
    if (raw === undefined) return undefined;
    await this.storage.set(USED + record.token, '1', this.keepMs());
    return JSON.parse(raw) as Grant;
  }

  /** Usable for one TTL, then a tombstone for one more. */
  private keepMs(): number {
    return 2 * this.ttlMs;
  }
}

export interface AccessToken {
  readonly token: string;
  readonly secret: string;
  readonly consumerKey: string;
  /** The sandbox account it acts for. */
  readonly username: string;
  /**
   * The account's grant generation when issued: revoking the account's access moves the
   * generation on, and every token of an older one stops working. (Absent in tokens stored
   * before revocation existed: generation 0.)
   */
  readonly generation?: number;
}

const AT = 'sandbox:at:';
const GENERATION = 'sandbox:grants:';

/**
 * Access tokens do not expire, as with Nexmo; each acts for the account chosen at consent until
 * the account's access is revoked (the demo controls), which ends all of its tokens at once with
 * one atomic step and no list of tokens to walk.
 */
export class AccessTokenStore {
  constructor(private readonly storage: SandboxStorage) {}

  async issue(consumerKey: string, username: string): Promise<AccessToken> {
    const record: AccessToken = {
      token: randomToken(24),
      secret: randomToken(32),
      consumerKey,
      username,
      generation: await this.generation(username),
    };
    await this.storage.set(AT + record.token, JSON.stringify(record));
    return record;
  }

  async find(token: string): Promise<Lookup<AccessToken>> {
    const raw = await this.storage.get(AT + token);
    if (raw === undefined) return { ok: false, reason: 'unknown' };
    const record = JSON.parse(raw) as AccessToken;
    if ((record.generation ?? 0) !== (await this.generation(record.username))) {
      // Revoked: nothing can bring it back, so the storage need not keep it.
      await this.storage.delete(AT + token);
      return { ok: false, reason: 'unknown' };
    }
    return { ok: true, record };
  }

  /** Every access token issued so far for `username` stops working. */
  async revokeAll(username: string): Promise<void> {
    await this.storage.incrBy(GENERATION + username, 1);
  }

  private async generation(username: string): Promise<number> {
    return Number((await this.storage.get(GENERATION + username)) ?? '0');
  }
}
