/**
 * The clock the sandbox judges request timestamps by, and states in replies' Date header.
 * Normally the sandbox's own; the demo control "this app's clock is 10 minutes off" moves it 10
 * minutes ahead for the account that pressed it, so the app's fresh timestamps for that account
 * look 10 minutes old and are refused with timestamp_refused, as a real provider refuses a server
 * whose clock has drifted. Another account's calls are judged by the sandbox's own clock: one
 * presenter's demonstration must not stop a teammate's sends.
 *
 * A call is judged by the clock of the account it acts for: the access-token exchange by its
 * request token's approved account, the SMS API and the balance by their access token's. A
 * request-token call acts for nobody yet (the account is chosen later, on the consent page), so
 * it is judged by the sandbox's own clock. Kept in the storage, so every instance sharing it
 * judges alike, until cancelled.
 */
import type { RequestHandler, Response } from 'express';
import type { SandboxStorage } from './storage.js';

/** How far the control moves an account's clock. */
export const CLOCK_SHIFT_MS = 10 * 60 * 1000;

const KEY = 'sandbox:clock-shift:';
/** Forgotten after an hour if nobody cancels it, so it cannot surprise tomorrow's demo. */
const SHIFT_TTL_MS = 60 * 60 * 1000;

export class JudgingClock {
  constructor(
    private readonly storage: SandboxStorage,
    private readonly now: () => number,
  ) {}

  /** ms the account's clock is moved ahead of the sandbox's own (0 when it is not). */
  async shiftMs(account: string): Promise<number> {
    const value = Number(await this.storage.get(KEY + account));
    return Number.isSafeInteger(value) ? value : 0;
  }

  /** The time a call acting for `account` is judged by; the sandbox's own for no account. */
  async judgingNow(account: string | undefined): Promise<number> {
    return account === undefined ? this.now() : this.now() + (await this.shiftMs(account));
  }

  async shift(account: string): Promise<void> {
    await this.storage.set(KEY + account, String(CLOCK_SHIFT_MS), SHIFT_TTL_MS);
  }

  async reset(account: string): Promise<void> {
    await this.storage.delete(KEY + account);
  }
}

/**
 * Every reply says what time the sandbox thinks it is, as HTTP requires of a server with a
 * clock: its own, unless the call acts for an account (see stateClock).
 */
export function dateHeader(now: () => number): RequestHandler {
  return function sandboxDate(_req, res, next) {
    stateClock(res, now());
    next();
  };
}

/**
 * The reply to a call judged by an account's clock states that clock, so a client refused for
 * its timestamp can compare it with its own and tell how far off it is.
 */
export function stateClock(res: Response, at: number): void {
  res.set('Date', new Date(at).toUTCString());
}
