// Which host names the app answers to when PUBLIC_URL is not set, so that a teammate who opens
// it through the presenter's address is sent back to that same address (for consent and the
// callback), while a forged Host header can never steer a callback elsewhere.

import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

import type { RequestHandler } from 'express';

import type { Config } from '../boot/config.js';
import { HttpError } from './errors.js';

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

/**
 * Host names a browser counts as a secure context even over plain http ("potentially
 * trustworthy" in W3C Secure Contexts): localhost and its subdomains, 127.0.0.0/8 and ::1.
 * `name` as hostNameOf gives it. The room's QR code is shown on these too: there the browser
 * runs on the machine serving the app.
 */
export function isLoopbackHostName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  // The URL parser writes an IPv6 address in its shortest form, so 0:0:0:0:0:0:0:1 reads [::1].
  return isIP(name) === 6 && new URL(`http://[${name}]/`).hostname === '[::1]';
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

/**
 * The origin this request reached the app at, for every browser-facing URL (the OAuth callback,
 * the sandbox's consent page) and the same-origin check: PUBLIC_URL when set; otherwise the
 * Host the browser used, but only a host the app trusts (this machine's names and addresses,
 * loopback, ALLOWED_HOSTS). Any other Host is refused, so it can never steer a callback.
 */
export function resolveAppOrigin(config: Config): RequestHandler {
  if (config.publicUrl !== undefined) {
    const origin = new URL(config.publicUrl).origin;
    return (_req, res, next) => {
      res.locals.appOrigin = origin;
      next();
    };
  }
  const trusted = trustedHostNames(config.allowedHosts);
  return (req, res, next) => {
    const host = req.get('host');
    const name = hostNameOf(host);
    if (!name || !isTrustedHost(name, trusted)) {
      return next(
        new HttpError(400, {
          title: 'This address is not one the app answers to',
          message:
            'The app only answers at addresses it knows, so that nobody can send your sign-in elsewhere. Whoever runs it can list this address in ALLOWED_HOSTS, or set PUBLIC_URL to the one address people should use.',
        }),
      );
    }
    // req.secure, not req.protocol: behind a trusted proxy the latter is whatever X-Forwarded-Proto says.
    res.locals.appOrigin = `${req.secure ? 'https' : 'http'}://${host}`;
    next();
  };
}
