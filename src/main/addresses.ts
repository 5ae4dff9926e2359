// This machine's addresses: the names the app trusts in a Host header, and the URLs the start-up
// log offers the room. Read from its network interfaces when asked (a laptop may join a network
// after starting).
import { hostname, networkInterfaces } from 'node:os';

/** This machine's own names and interface addresses, plus ALLOWED_HOSTS. Lower case. */
export function trustedHostNames(allowedHosts: readonly string[]): Set<string> {
  const names = new Set<string>(['localhost', hostname().toLowerCase(), ...allowedHosts.map((h) => h.toLowerCase())]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  return names;
}

/** Every URL a person on this machine or the local network can open, for the start-up lines. */
export function reachableUrls(port: number): { local: string; network: string[] } {
  const network: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      // Link-local IPv6 (fe80::) needs a zone id no teammate's browser would have.
      if (address.internal || (address.family === 'IPv6' && address.address.toLowerCase().startsWith('fe80'))) continue;
      network.push(address.family === 'IPv6' ? `http://[${address.address}]:${port}` : `http://${address.address}:${port}`);
    }
  }
  return { local: `http://localhost:${port}`, network };
}
