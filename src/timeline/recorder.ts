// The recorder the consumer is given when it is built: each signed exchange's facts go to it as
// the exchange completes. The consumer is shared by every request, so the recorder routes facts
// by who started the call: a caller that needs them (a send, a login step, a balance read) runs
// its call inside `collect`, which hands back the facts of the exchanges that call started,
// with the call's own value, to be kept with the caller's own commit. A call made outside
// `collect` records nothing anywhere.
//
// The route is taken when an exchange starts: the consumer asks `exchangeStarts()` in the same
// synchronous step as the call that starts it, and `collect` names its tape only while its call
// runs up to its first await. Every caller starts its provider call there (the Nexmo client
// and the login flow call the consumer before awaiting anything). No AsyncLocalStorage: once
// one is in use, every promise in the process pays for carrying its context.

import type { ExchangeFacts } from './facts.js';

export interface ExchangeRecorder {
  /**
   * Called by the consumer as a signed exchange starts, in the same synchronous step as the
   * call that starts it: answers where that exchange's facts go once it completes.
   */
  exchangeStarts(): (facts: ExchangeFacts) => void;
}

export interface Recorder extends ExchangeRecorder {
  /**
   * Runs `call`, and returns its value with the facts of the exchanges it started before its
   * first await, in the order they completed.
   */
  collect<T>(call: () => Promise<T>): Promise<{ value: T; recorded: ExchangeFacts[] }>;
}

const NOWHERE = (): void => {};

export function createRecorder(): Recorder {
  /** The tape of the `collect` whose call is starting right now, if any. */
  let starting: ExchangeFacts[] | undefined;
  return {
    exchangeStarts() {
      const tape = starting;
      return tape === undefined ? NOWHERE : (facts) => void tape.push(facts);
    },
    async collect<T>(call: () => Promise<T>) {
      const recorded: ExchangeFacts[] = [];
      const outer = starting;
      starting = recorded;
      let running: Promise<T>;
      try {
        running = call();
      } finally {
        starting = outer;
      }
      return { value: await running, recorded };
    },
  };
}
