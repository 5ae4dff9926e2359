/**
 * Slow and stalled calls, armed from the demo controls so an app's timeout handling can be shown
 * live. One arming is one call: the next call of that kind acting for the account takes it (an
 * atomic `take` in the storage, so of two instances only one delays it), and the call after it
 * is normal again.
 *
 * - slow: the call waits `slowCallMs` (default 3 s), then is answered as usual.
 * - stall: the call is never answered: the sandbox waits until the client gives up and closes
 *   the connection, bounded by `stalledCallLimitMs` (default 60 s), after which it answers 504.
 *   Nothing is done for a stalled call (no SMS accepted, no token issued).
 *
 * Either way, a client that hangs up while waiting gets nothing done for it. The waits are
 * timers of this process; close() ends them at once (503), so shutting down never waits a minute.
 */
import type { Request, Response } from 'express';
import type { SandboxStorage } from './storage.js';

export const DELAYED_CALLS = ['sms', 'balance', 'connect'] as const;
export type DelayedCall = (typeof DELAYED_CALLS)[number];
export type DelayMode = 'slow' | 'stall';

export function isDelayedCall(value: string | undefined): value is DelayedCall {
  return (DELAYED_CALLS as readonly string[]).includes(value ?? '');
}

/** How the controls page names each kind of call. */
export const CALL_NAMES: Readonly<Record<DelayedCall, string>> = {
  sms: 'sending an SMS (/sms/json)',
  balance: 'reading the balance (/account/get-balance)',
  connect: 'finishing a connection (/oauth/access_token)',
};

const DELAY = 'sandbox:delay:';
/** An arming nobody used is forgotten after an hour, so it cannot surprise tomorrow's demo. */
const ARMED_TTL_MS = 60 * 60 * 1000;

export type Proceed = 'go' | 'answered';

export class Delays {
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly storage: SandboxStorage,
    private readonly options: { slowMs: number; stallLimitMs: number; log: (line: string) => void },
  ) {}

  get slowMs(): number {
    return this.options.slowMs;
  }

  get stallLimitMs(): number {
    return this.options.stallLimitMs;
  }

  async arm(account: string, call: DelayedCall, mode: DelayMode): Promise<void> {
    await this.storage.set(key(account, call), mode, ARMED_TTL_MS);
  }

  async disarm(account: string): Promise<void> {
    await Promise.all(DELAYED_CALLS.map((call) => this.storage.delete(key(account, call))));
  }

  async armed(account: string): Promise<Partial<Record<DelayedCall, DelayMode>>> {
    const modes = await Promise.all(DELAYED_CALLS.map((call) => this.storage.get(key(account, call))));
    const armed: Partial<Record<DelayedCall, DelayMode>> = {};
    DELAYED_CALLS.forEach((call, i) => {
      const mode = modes[i];
      if (mode === 'slow' || mode === 'stall') armed[call] = mode;
    });
    return armed;
  }

  /**
   * Applies the delay armed for this call, if any. 'go': carry on and answer as usual;
   * 'answered': the response is dealt with (the client left, or the stall was answered) and the
   * caller must do nothing more.
   */
  async apply(account: string, call: DelayedCall, res: Response): Promise<Proceed> {
    const mode = await this.storage.take(key(account, call));
    if (mode !== 'slow' && mode !== 'stall') return 'go';
    const ms = mode === 'slow' ? this.options.slowMs : this.options.stallLimitMs;
    this.options.log(`sandbox: ${call} call held (${mode}, up to ${ms} ms) as armed on the controls page`);
    const end = await this.wait(res, ms);
    if (end === 'client-left') {
      this.options.log(`sandbox: the client gave up on the held ${call} call; nothing was done`);
      res.destroy();
      return 'answered';
    }
    if (end === 'closing') {
      res.status(503).set('Cache-Control', 'no-store').type('text/plain').send('The sandbox is shutting down.');
      return 'answered';
    }
    if (mode === 'slow') return 'go';
    res
      .status(504)
      .set('Cache-Control', 'no-store')
      .type('text/plain')
      .send(`The sandbox held this call for ${ms} ms without answering, as armed on its controls page.`);
    return 'answered';
  }

  /** Ends every wait at once (shutdown, tests). */
  close(): void {
    for (const stop of [...this.waiting]) stop();
  }

  private wait(res: Response, ms: number): Promise<'elapsed' | 'client-left' | 'closing'> {
    return new Promise((resolve) => {
      // Gone already, while the arming was being read.
      if (res.socket === null || res.socket.destroyed) return resolve('client-left');
      const finish = (how: 'elapsed' | 'client-left' | 'closing') => {
        clearTimeout(timer);
        res.off('close', onClose);
        this.waiting.delete(onClosing);
        resolve(how);
      };
      const onClose = () => finish('client-left');
      const onClosing = () => finish('closing');
      const timer = setTimeout(() => finish('elapsed'), ms);
      // A held call must never keep the process alive on its own.
      timer.unref();
      res.on('close', onClose);
      this.waiting.add(onClosing);
    });
  }
}

function key(account: string, call: DelayedCall): string {
  return `${DELAY}${account}:${call}`;
}
