/**
 * The clock the sandbox judges request timestamps by, and states in every reply's Date header.
 * Normally the sandbox's own; the demo control "this app's clock is 10 minutes off" moves it 10
 * minutes ahead, so the app's fresh timestamps look 10 minutes old and are refused with
 * timestamp_refused, as a real provider refuses a server whose clock has drifted. Kept in the
 * storage, so every instance sharing it judges alike, until cancelled.
 */
import type { RequestHandler } from 'express';
import type { SandboxStorage } from './storage.js';

/** How far the control moves the sandbox's clock. */
export const CLOCK_SHIFT_MS = 10 * 60 * 1000;

const KEY = 'sandbox:clock-shift';
/** Forgotten after an hour if nobody cancels it, so it cannot surprise tomorrow's demo. */
const SHIFT_TTL_MS = 60 * 60 * 1000;

export class JudgingClock {
  constructor(
    private readonly storage: SandboxStorage,
    private readonly now: () => number,
  ) {}

  /** ms the clock is moved ahead of the sandbox's own (0 when it is not). */
  async shiftMs(): Promise<number> {
    const value = Number(await this.storage.get(KEY));
    return Number.isSafeInteger(value) ? value : 0;
  }

  /** The time requests are judged by. */
  async judgingNow(): Promise<number> {
    return this.now() + (await this.shiftMs());
  }

  async shift(): Promise<void> {
    await this.storage.set(KEY, String(CLOCK_SHIFT_MS), SHIFT_TTL_MS);
  }

  async reset(): Promise<void> {
    await this.storage.delete(KEY);
  }
}

/**
 * Every reply says what time the sandbox thinks it is, as HTTP requires of a server with a
 * clock: a client refused for its timestamp can compare it with its own.
 */
export function dateHeader(clock: JudgingClock): RequestHandler {
  return function sandboxDate(_req, res, next) {
    clock.judgingNow().then(
      (at) => {
        res.set('Date', new Date(at).toUTCString());
        next();
      },
      next,
    );
  };
}
