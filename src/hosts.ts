// Which host names the app answers to when PUBLIC_URL is not set, so that a teammate who opens
// it through the presenter's address is sent back to that same address (for consent and the
// callback), while a forged Host header can never steer a callback elsewhere.

import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** This machine's own names and interface addresses, plus ALLOWED_HOSTS. Lower case. */
export function trustedHostNames(allowedHosts: readonly string[]): Set<string> {
  const names = new Set<string>(['localhost', hostname().toLowerCase(), ...allowedHosts.map((h) => h.toLowerCase())]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  return names;
}

/** The host part of a Host header (no port, no IPv6 brackets), lower case; undefined when malformed. */
export function hostNameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').toLowerCase();
}

export function isTrustedHost(name: string, trusted: ReadonlySet<string>): boolean {
  if (trusted.has(name)) return true;
  // The whole loopback range: 127.0.0.2 is as local as 127.0.0.1.
  return isIP(name) === 4 && name.startsWith('127.');
}

/** Every URL a person on this machine or the local network can open, for the start-up lines. */
export function reachableUrls(port: number): { local: string; network: string[] } {
  const network: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal) continue;
      network.push(address.family === 'IPv6' ? `http://[${address.address}]:${port}` : `http://${address.address}:${port}`);
    }
  }
  return { local: `http://localhost:${port}`, network };
}
