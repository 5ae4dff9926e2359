// The recorder the consumer is given when it is built: each signed exchange's facts go to it as
// the exchange completes. The consumer is shared by every request, so the recorder routes facts
// by where the call was made from: a caller that needs them (a send, a login step, a balance
// read) runs its call inside `collect`, which gathers the facts recorded in that async context
// and hands them back with the call's own value, to be kept with the caller's own commit. A call
// made outside `collect` records nothing anywhere. (AsyncLocalStorage carries the context through
// the awaits between the caller and the consumer, without passing it down every signature.)
import { AsyncLocalStorage } from 'node:async_hooks';

import type { ExchangeFacts } from './facts.js';

export interface ExchangeRecorder {
  /** Called by the consumer once per signed exchange, when it completes. */
  record(facts: ExchangeFacts): void;
}

export interface Recorder extends ExchangeRecorder {
  /** Runs `call`, and returns its value with the exchanges recorded while it ran, in order. */
  collect<T>(call: () => Promise<T>): Promise<{ value: T; recorded: ExchangeFacts[] }>;
}

export function createRecorder(): Recorder {
  const tapes = new AsyncLocalStorage<ExchangeFacts[]>();
  return {
    record(facts) {
      tapes.getStore()?.push(facts);
    },
    async collect(call) {
      const recorded: ExchangeFacts[] = [];
      const value = await tapes.run(recorded, call);
      return { value, recorded };
    },
  };
}
