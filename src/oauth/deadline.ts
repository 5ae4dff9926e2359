// What the `oauth` package's HTTP requests lack, added to each one as it is created.

import type http from 'node:http';

import { ProviderNetworkError, ProviderTimeoutError } from './errors.js';

/**
 * A deadline for the whole exchange (not an idle timer, so a provider trickling bytes cannot
 * hold the user's request open); destroying the request makes the package report the error
 * through its once-only callback. And a reply cut off mid-body, which the package never reports
 * (it waits for an 'end' that never comes), becomes an error.
 */
export function armRequest(request: http.ClientRequest, timeoutMs: number): void {
  const timer = setTimeout(() => {
    request.destroy(new ProviderTimeoutError(`The provider did not answer within ${timeoutMs} ms`));
  }, timeoutMs);
  request.once('close', () => clearTimeout(timer));
  request.once('response', (response: http.IncomingMessage) => {
    response.once('close', () => {
      clearTimeout(timer);
      if (!response.complete) {
        request.emit('error', new ProviderNetworkError('The provider closed the connection mid-reply'));
      }
    });
  });
}
