// The OAuth 1.0a login as a service: start (request token → pending login → where to send the
// browser) and complete (take the pending login → exchange → connection, and the connection's
// timeline). It knows nothing of HTTP; every way it can end is a value, which routes/auth.ts
// turns into a redirect or a page. The timeline's first steps wait in the pending login (never in
// the session) and are written with the connection's own timeline once it exists.

import { createHash } from 'node:crypto';

import { randomToken } from '../lib/randomPool.js';

import { maskToken } from '../logging/redaction.js';
import type { Recorder } from '../timeline/recorder.js';
import { newTimelineId, type LoginStep, type TimelineStore } from '../timeline/store.js';
import { ProviderError } from './errors.js';
import { isExpired, type PendingLoginStore } from './pendingLogin.js';
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
  /** Names the connection's timeline ("How it works", see timeline/store.ts). */
  timelineId?: string;
}

export type LoginRefusal =
  /** No pending login for this token in this browser: never started here, or already used. */
  | 'unknown'
  /** Started here, but longer ago than PENDING_LOGIN_TTL_MS; it has been dropped. */
  | 'expired'
  /** The callback carried no oauth_verifier; the pending login stays usable. */
  | 'no-verifier';

/** How a start ends: where to send the browser, or the provider's failure (nothing was kept). */
export type LoginStart = { kind: 'started'; target: URL } | { kind: 'failed'; failure: ProviderError };

/** How a completion ends: connected, refused before any call (see LoginRefusal), or the provider failed. */
export type LoginCompletion =
  | { kind: 'connected'; connection: Connection; returnTo?: string }
  | { kind: 'refused'; reason: LoginRefusal }
  | { kind: 'failed'; failure: ProviderError };

export interface LoginFlowOptions {
  consumer: OAuthConsumer;
  pendingLogins: PendingLoginStore;
  /** Browser-facing base of the provider's authorize/authenticate pages, with a trailing slash. */
  providerPagesUrl: string;
  /** The pages are mounted in the app: send the browser to them at the app origin it used. */
  pagesFollowAppOrigin?: boolean;
  /** Where the pages are mounted below the app origin, when they follow it. */
  pagesPath?: string;
  /** The app's callback path (routes/paths.ts), given at the origin the browser used. */
  callbackPath: string;
  /** Tells providers apart in account keys (e.g. the token endpoint's origin). */
  providerId: string;
  /** The consumer's recorder: each token call's facts, for the connection's timeline. */
  recorder: Recorder;
  /** Where the connection's timeline starts, once connected. */
  timeline: TimelineStore;
  now?: () => number;
}

export interface LoginFlow {
  /**
   * Gets a request token and keeps it pending for `owner`, with the login's first timeline
   * steps; answers where to send the browser. `appOrigin`: the origin the browser reached the
   * app at; the callback (and, for the mounted sandbox, the provider's pages) are given at that
   * address. `returnTo`: the page to go back to once connected (a local path, kept with it).
   */
  start(owner: string, page: AuthPage, appOrigin: string, returnTo?: string): Promise<LoginStart>;
  /**
   * Takes the pending login (so it can be used once), exchanges it for an access token, starts
   * the connection's timeline and answers the connection and the page the login was started
   * from.
   */
  complete(owner: string, token: string, verifier: string | undefined): Promise<LoginCompletion>;
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
  const { consumer, pendingLogins, recorder, timeline } = options;
  const now = options.now ?? Date.now;

  /** A provider failure as a value; anything else (a bug, a store down) stays thrown. */
  const failed = (err: unknown): { kind: 'failed'; failure: ProviderError } => {
    if (err instanceof ProviderError) return { kind: 'failed', failure: err };
    throw err;
  };

  return {
    async start(owner, page, appOrigin, returnTo) {
      let called;
      try {
        called = await recorder.collect(() => consumer.getRequestToken(`${appOrigin}${options.callbackPath}`));
      } catch (err) {
        return failed(err);
      }
      const { value: requestToken, recorded } = called;
      const pages = options.pagesFollowAppOrigin ? `${appOrigin}${options.pagesPath ?? '/sandbox/oauth/'}` : options.providerPagesUrl;
      const target = new URL(page, pages);
      target.searchParams.set('oauth_token', requestToken.token);
      const steps: LoginStep[] = [
        ...recorded.map((facts): LoginStep => ({ kind: 'request-token', facts })),
        // Only oauth_token travels in this URL (the app adds nothing else), and it is kept masked.
        { kind: 'authorize', at: now(), url: `${target.origin}${target.pathname}?oauth_token=${maskToken(requestToken.token)}` },
      ];
      await pendingLogins.add({ token: requestToken.token, secret: requestToken.secret, owner, createdAt: now(), steps, ...(returnTo === undefined ? {} : { returnTo }) });
      return { kind: 'started', target };
    },

    async complete(owner, token, verifier) {
      if (!verifier) {
        // Say why precisely, without spending the login: the person may retry the callback.
        const login = await pendingLogins.peek(token, owner);
        if (!login) return { kind: 'refused', reason: 'unknown' };
        if (isExpired(login, now())) {
          await pendingLogins.take(token, owner);
          return { kind: 'refused', reason: 'expired' };
        }
        return { kind: 'refused', reason: 'no-verifier' };
      }
      // Taken before the exchange: a callback that arrives twice at once exchanges once.
      const login = await pendingLogins.take(token, owner);
      if (!login) return { kind: 'refused', reason: 'unknown' };
      if (isExpired(login, now())) return { kind: 'refused', reason: 'expired' };

      const callback: LoginStep = { kind: 'callback', at: now(), token: maskToken(token), verifier: maskToken(verifier) };
      let called;
      try {
        called = await recorder.collect(() => consumer.getAccessToken({ token: login.token, secret: login.secret }, verifier));
      } catch (err) {
        return failed(err);
      }
      const { value: access, recorded } = called;
      const timelineId = newTimelineId();
      await timeline.start(timelineId, [...(login.steps ?? []), callback, ...recorded.map((facts): LoginStep => ({ kind: 'access-token', facts }))]);
      const connection: Connection = {
        account: accountKeyOf(options.providerId, access),
        token: access.token,
        secret: access.secret,
        extra: access.extra,
        connectedAt: now(),
        timelineId,
      };
      return { kind: 'connected', connection, ...(login.returnTo === undefined ? {} : { returnTo: login.returnTo }) };
    },

    async cancel(owner, token) {
      await pendingLogins.take(token, owner);
    },
  };
}
