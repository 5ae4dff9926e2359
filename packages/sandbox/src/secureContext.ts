/**
 * Whether a browser treats a sandbox page as a secure context: served over https, or at a
 * loopback host ("potentially trustworthy" in W3C Secure Contexts: localhost and its
 * subdomains, 127.0.0.0/8, ::1). Some headers (Cross-Origin-Opener-Policy,
 * Origin-Agent-Cluster) only apply there; elsewhere browsers ignore them and log an error.
 */
import { isIP } from 'node:net';
import type { Request } from 'express';

export function isSecureContext(req: Request): boolean {
  if (req.secure) return true;
  const name = hostName(req.get('host'));
  if (name === undefined) return false;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  // The URL parser writes an IPv6 address in its shortest form, so 0:0:0:0:0:0:0:1 reads [::1].
  return isIP(name) === 6 && new URL(`http://[${name}]/`).hostname === '[::1]';
}

/** The host part of a Host header (no port, no IPv6 brackets), lower case. */
function hostName(header: string | undefined): string | undefined {
  const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::\d{1,5})?$/i.exec((header ?? '').trim());
  return match === null ? undefined : (match[1] ?? match[2] ?? '').toLowerCase();
}
