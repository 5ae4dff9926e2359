import type { RequestHandler } from 'express';

import { isLoopbackHostName } from '../lib/hostNames.js';
import { safeEqual } from '../lib/safeEqual.js';

export interface MetricsEndpointOptions {
  render(): Promise<string>;
  contentType: string;
  /** METRICS_TOKEN: when set, any client presenting it as a bearer token may read the figures. */
  token: string | undefined;
}

/**
 * GET /metrics for Prometheus. Closed to the public: without a token configured, only a client
 * on this machine may read it (the socket's own peer address, and not a request a proxy
 * forwarded, which would make every visitor look local); with one, only a client that sends
 * `Authorization: Bearer <token>`, compared in constant time. Anyone else gets 404, as if there
 * were nothing there.
 */
export function metricsEndpoint(options: MetricsEndpointOptions): RequestHandler {
  return (req, res, next) => {
    if (!allowed(req, options.token)) return next();
    options.render().then(
      (body) => {
        res.set('Cache-Control', 'no-store').type(options.contentType).send(body);
      },
      next,
    );
  };
}

function allowed(req: Parameters<RequestHandler>[0], token: string | undefined): boolean {
  if (token !== undefined) {
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    return given !== undefined && safeEqual(given, token);
  }
  const forwarded = req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined;
  const address = req.socket.remoteAddress;
  // A socket's peer is an address, never a name: only 127.x and ::1 (also as ::ffff:127.x) pass.
  return !forwarded && address !== undefined && isLoopbackHostName(address.replace(/^::ffff:/i, ''));
}
