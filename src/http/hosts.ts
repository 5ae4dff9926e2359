// Which host names the app answers to when PUBLIC_URL is not set, so that a teammate who opens
// it through the presenter's address is sent back to that same address (for consent and the
// callback), while a forged Host header can never steer a callback elsewhere.

import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

import type { RequestHandler } from 'express';

import type { Config } from '../config/config.js';
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
 * the sandbox's consent page) and the same-origin check. A login started at an address must
 * come back to that address, or the browser arrives without its cookie ("no sign-in in
 * progress"), so the origin follows the address the browser used whenever the app can trust it:
 * - no PUBLIC_URL: this machine's names and addresses, loopback and ALLOWED_HOSTS; any other
 *   Host is refused, so a forged one can never steer a callback;
 * - PUBLIC_URL on a loopback name (http://localhost:3000, a developer's or presenter's value):
 *   the same addresses as without it, so a teammate at the Network address, or someone at
 *   127.0.0.1, still ends where they started;
 * - PUBLIC_URL on any other name (behind a proxy, whose Host may be its upstream's): that
 *   origin, except for names listed in ALLOWED_HOSTS, which are followed as themselves.
 */
export function resolveAppOrigin(config: Config): RequestHandler {
  const trusted = trustedHostNames(config.allowedHosts);
  const follow = (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], host: string) => {
    // req.secure, not req.protocol: behind a trusted proxy the latter is whatever X-Forwarded-Proto says.
    res.locals.appOrigin = `${req.secure ? 'https' : 'http'}://${host}`;
  };
  if (config.publicUrl !== undefined) {
    const publicUrl = new URL(config.publicUrl);
    const origin = publicUrl.origin;
    if (!answersEveryAddress(config.publicUrl)) {
      const allowed = new Set(config.allowedHosts.map((h) => h.toLowerCase()));
      return (req, res, next) => {
        const host = req.get('host');
        const name = hostNameOf(host);
        if (host !== undefined && name !== undefined && allowed.has(name)) follow(req, res, host);
        else res.locals.appOrigin = origin;
        next();
      };
    }
    trusted.add(hostNameOf(publicUrl.host) ?? 'localhost');
  }
  return (req, res, next) => {
    const host = req.get('host');
    const name = hostNameOf(host);
    if (host === undefined || !name || !isTrustedHost(name, trusted)) return next(UNTRUSTED_HOST);
    follow(req, res, host);
    next();
  };
}

const UNTRUSTED_HOST = new HttpError(400, {
  title: 'This address is not one the app answers to',
  message:
    'The app only answers at addresses it knows, so that nobody can send your sign-in elsewhere. Whoever runs it can list this address in ALLOWED_HOSTS, or set PUBLIC_URL to the one address people should use.',
});

/** Without PUBLIC_URL, or with one on a loopback name, the app answers at every address of this machine. */
export function answersEveryAddress(publicUrl: string | undefined): boolean {
  return publicUrl === undefined || isLoopbackHostName(hostNameOf(new URL(publicUrl).host) ?? '');
}

/**
 * Said at start when PUBLIC_URL names this machine only (a loopback name) while it has network
 * addresses: teammates' logins still work (the app follows the address they use), but what is
 * written from PUBLIC_URL (Nexmo's delivery receipt URL) points at a machine only this one reaches.
 */
export function loopbackPublicUrlWarning(publicUrl: string | undefined, network: readonly string[]): string | undefined {
  if (publicUrl === undefined || network.length === 0) return undefined;
  const url = new URL(publicUrl);
  if (!isLoopbackHostName(hostNameOf(url.host) ?? '')) return undefined;
  const example = new URL(network[0] as string);
  example.port = url.port;
  return (
    `PUBLIC_URL is ${url.origin}, a name only this machine can open. Teammates can still use a Network address below (logins follow the address they start at), ` +
    `but delivery receipts and links written from PUBLIC_URL point at this machine alone. For a room, leave PUBLIC_URL unset, or set it to a Network address, e.g. PUBLIC_URL=${example.origin}`
  );
}
