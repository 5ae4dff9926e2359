// Host names as the app reads them from a Host header or a URL: pure, no network lookups.
import { isIP } from 'node:net';

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

/** Without PUBLIC_URL, or with one on a loopback name, the app answers at every address of this machine. */
export function answersEveryAddress(publicUrl: string | undefined): boolean {
  return publicUrl === undefined || isLoopbackHostName(hostNameOf(new URL(publicUrl).host) ?? '');
}
