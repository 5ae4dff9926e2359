/**
 * The sandbox's own sign-in, for its outbox and demo controls: which sandbox account this
 * browser looks at. It grants no app anything (that is the consent page's job) and asks for no
 * password, like the consent page: the sandbox's accounts are demo accounts anyone may pick.
 * What it prevents is everyone reading everyone's numbers and texts from one shared page.
 * Approving an app on the consent page signs the browser in as the account approved, so the
 * outbox and controls open on the account just connected rather than asking again.
 *
 * A session is a random id in a cookie (HttpOnly, SameSite=Lax, scoped to the sandbox's mount
 * path) and a record in the storage under a hash of that id, so sessions survive restarts and
 * work across instances, and a copy of the storage holds no usable cookie.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { cookieValue, sandboxCookie } from './cookies.js';
import type { SandboxStorage } from './storage.js';
import { randomToken } from './tokens.js';

export interface SandboxSession {
  /** The cookie's value. */
  readonly id: string;
  readonly account: string;
  /** Put in every form of the controls page; a cross-site form cannot know it. */
  readonly csrf: string;
}

export const SESSION_COOKIE = 'nexmo_sandbox_session';
const SESSION = 'sandbox:session:';
/** Long enough for a day of demos, short enough that a forgotten browser signs itself out. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export class SandboxSessions {
  constructor(private readonly storage: SandboxStorage) {}

  /** A new session for `account`; the one the browser had, if any, is ended. */
  async start(req: Request, res: Response, account: string): Promise<SandboxSession> {
    const previous = cookieValue(req, SESSION_COOKIE);
    if (previous !== undefined) await this.storage.delete(key(previous));
    const session: SandboxSession = { id: randomToken(32), account, csrf: randomToken(24) };
    await this.storage.set(key(session.id), JSON.stringify({ account, csrf: session.csrf }), SESSION_TTL_MS);
    res.cookie(SESSION_COOKIE, session.id, sandboxCookie(req, SESSION_TTL_MS));
    return session;
  }

  /**
   * Signs the browser in as `account`, as approving on the consent page does: a session already
   * for that account is kept (so an open controls page's forms still work), any other replaced.
   */
  async signInAs(req: Request, res: Response, account: string): Promise<SandboxSession> {
    const current = await this.find(req);
    return current !== undefined && current.account === account ? current : this.start(req, res, account);
  }

  /** The browser's session, or undefined when it has none (or an unknown or expired one). */
  async find(req: Request): Promise<SandboxSession | undefined> {
    const id = cookieValue(req, SESSION_COOKIE);
    if (id === undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const raw = await this.storage.get(key(id));
    if (raw === undefined) return undefined;
    const stored = JSON.parse(raw) as { account: string; csrf: string };
    return { id, account: stored.account, csrf: stored.csrf };
  }
}

function key(id: string): string {
  return SESSION + createHash('sha256').update(id).digest('base64url');
}
