import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The ports the OS hands out for port 0 and for outgoing connections (Linux's default elsewhere). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // Not Linux: its default range.
  }
  return [32768, 60999];
}

/** Whether a server could listen on `port` on loopback right now (0: let the OS pick one). */
function listenOn(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** Above the well-known and registered ports services usually take. */
const LOWEST = 10_000;

/**
 * A loopback port nothing listens on right now, for a server that must be started on a known
 * port (a restart on the same address, a redis-server, a server asked the moment it opens).
 * Chosen below the OS's ephemeral range: a server another spec starts on port 0 and every
 * outgoing connection get their ports from that range, so none of them can take this one
 * between this answer and the server's listen (when it was one of those ports, a spec once
 * asked another spec's server and got its 404).
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  if (ephemeralLow - LOWEST >= 1000) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const port = randomInt(LOWEST, ephemeralLow);
      if ((await listenOn(port)) === port) return port;
    }
  }
  const picked = await listenOn(0);
  if (picked === undefined) throw new Error('no free loopback port');
  return picked;
}
