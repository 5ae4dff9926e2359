import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now, for a server that must be started on a known
 * port (a restart on the same address, a redis-server). The OS picks it; it is free again once
 * this returns, so another process could in principle take it first.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
