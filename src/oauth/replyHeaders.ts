// The headers of a token call's reply. The `oauth` package hands a refused token call's callback
// only the status and body, but a refusal's WWW-Authenticate and Date headers say what the
// provider objected to and how far its clock is from ours. The package creates its request
// synchronously when a call starts, so a slot set around that start catches exactly that reply.

import type { ClientRequest, IncomingHttpHeaders } from 'node:http';

export interface ReplySlot {
  headers?: IncomingHttpHeaders;
}

let open: ReplySlot | undefined;

/** Runs `start` (which must create its request synchronously) and returns where its reply's headers will be. */
export function catchReplyHeaders(start: () => void): ReplySlot {
  const slot: ReplySlot = {};
  const outer = open;
  open = slot;
  try {
    start();
  } finally {
    open = outer;
  }
  return slot;
}

/** Called for every request the package creates: the call being started, if caught, gets its reply's headers. */
export function noteRequest(request: ClientRequest): void {
  const slot = open;
  if (slot === undefined) return;
  request.once('response', (response) => {
    slot.headers = response.headers;
  });
}
