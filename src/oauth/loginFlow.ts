// The OAuth 1.0a login as a service: start (request token → pending login → where to send the
// browser) and complete (take the pending login → exchange → connection). It knows nothing of
// HTTP; routes/auth.ts turns its results and typed failures into redirects and pages.

import { createHash } from 'node:crypto';

import { randomToken } from '../lib/randomPool.js';

import { isExpired, type PendingLoginStore } from './pendingLogin.js';
import type { ProtocolExchange } from './exchangeTrace.js';
import type { OAuthConsumer, TokenReply } from './types.js';

export type AuthPage = 'authorize' | 'authenticate';

/** The access token and what the provider said about it; never leaves the server. */
export interface Connection {
  /** Names the Nexmo account (see accountKeyOf): its message history; not a credential. */
  account: string;
  token: string;
  secret: string;
  /** Extra fields of the access-token reply (e.g. a user name). */
  extra: Record<string, string>;
  connectedAt: number;
}

export type LoginRefusal =
  /** No pending login for this token in this browser: never started here, or already used. */
  | 'unknown'
  /** Started here, but longer ago than PENDING_LOGIN_TTL_MS; it has been dropped. */
  | 'expired'
  /** The callback carried no oauth_verifier; the pending login stays usable. */
  | 'no-verifier';

/** The callback cannot complete a login; no access-token request was made. */
export class LoginRefusedError extends Error {
  constructor(readonly reason: LoginRefusal) {
    super(`login refused: ${reason}`);
    this.name = 'LoginRefusedError';
  }
}

export interface LoginFlowOptions {
  consumer: OAuthConsumer;
  pendingLogins: PendingLoginStore;
  /** Browser-facing base of the provider's authorize/authenticate pages, with a trailing slash. */
  providerPagesUrl: string;
  /** The pages are mounted in the app: send the browser to them at the app origin it used. */
  pagesFollowAppOrigin?: boolean;
  /** Where the pages are mounted below the app origin, when they follow it. */
  pagesPath?: string;
  /** Tells providers apart in account keys (e.g. the token endpoint's origin). */
  providerId: string;
  now?: () => number;
}

export interface LoginFlow {
  /**
   * Gets a request token and keeps it pending for `owner`; returns where to send the browser,
   * and the token call as it went over the wire (masked). Rejects with a ProviderError.
   * `appOrigin`: the origin the browser reached the app at; the callback (and, for the mounted
   * sandbox, the provider's pages) are given at that address. `returnTo`: the page to go back
   * to once connected (a local path, kept with the pending login).
   */
  start(owner: string, page: AuthPage, appOrigin: string, returnTo?: string): Promise<{ target: URL; exchange: ProtocolExchange }>;
  /**
   * Takes the pending login (so it can be used once), exchanges it for an access token and
   * returns the connection, and the page the login was started from. Rejects with
   * LoginRefusedError or a ProviderError.
   */
  complete(owner: string, token: string, verifier: string | undefined): Promise<{ connection: Connection; exchange: ProtocolExchange; returnTo?: string }>;
  /** The person pressed Deny: forget the pending login, if it is this owner's. */
  cancel(owner: string, token: string): Promise<void>;
}

/** A new random id for a browser session's pending logins. */
export function newLoginOwner(): string {
  return randomToken(16);
}

/** Fields of an access-token reply that name the account, in the order they are trusted. */
const ACCOUNT_FIELDS = ['account_id', 'api_key', 'user_id', 'username', 'user_name', 'screen_name'];

/**
 * A stable key for the Nexmo account behind an access token: the provider's own account
 * identity when the reply names one, otherwise the access token itself. Hashed, so the key
 * neither reveals a token nor can be used as one; reconnecting to the same account gives the
 * same key, and so the same message history.
 */
export function accountKeyOf(providerId: string, access: TokenReply): string {
  const field = ACCOUNT_FIELDS.find((name) => access.extra[name]);
  const identity = field ? `${field}=${access.extra[field]}` : `token=${access.token}`;
  return createHash('sha256').update(`${providerId}\n${identity}`).digest('base64url').slice(0, 32);
}

export function createLoginFlow(options: LoginFlowOptions): LoginFlow {
  const { consumer, pendingLogins } = options;
  const now = options.now ?? Date.now;

  return {
    async start(owner, page, appOrigin, returnTo) {
      const { reply: requestToken, exchange } = await consumer.getRequestToken(`${appOrigin}/auth/callback`);
      await pendingLogins.add({ token: requestToken.token, secret: requestToken.secret, owner, createdAt: now(), ...(returnTo === undefined ? {} : { returnTo }) });
      const pages = options.pagesFollowAppOrigin ? `${appOrigin}${options.pagesPath ?? '/sandbox/oauth/'}` : options.providerPagesUrl;
      const target = new URL(page, pages);
      target.searchParams.set('oauth_token', requestToken.token);
      return { target, exchange };
    },

    async complete(owner, token, verifier) {
      if (!verifier) {
        // Say why precisely, without spending the login: the person may retry the callback.
        const login = await pendingLogins.peek(token, owner);
        if (!login) throw new LoginRefusedError('unknown');
        if (isExpired(login, now())) {
          await pendingLogins.take(token, owner);
          throw new LoginRefusedError('expired');
        }
        throw new LoginRefusedError('no-verifier');
      }
      // Taken before the exchange: a callback that arrives twice at once exchanges once.
      const login = await pendingLogins.take(token, owner);
      if (!login) throw new LoginRefusedError('unknown');
      if (isExpired(login, now())) throw new LoginRefusedError('expired');

      const { reply: access, exchange } = await consumer.getAccessToken({ token: login.token, secret: login.secret }, verifier);
      const connection: Connection = {
        account: accountKeyOf(options.providerId, access),
        token: access.token,
        secret: access.secret,
        extra: access.extra,
        connectedAt: now(),
      };
      return { connection, exchange, ...(login.returnTo === undefined ? {} : { returnTo: login.returnTo }) };
    },

    async cancel(owner, token) {
      await pendingLogins.take(token, owner);
    },
  };
}
