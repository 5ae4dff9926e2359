/**
 * The sandbox's own cookies (it brings no cookie parser, and shares none with the host app): read
 * from the Cookie header, and set only for the sandbox's own pages wherever the host mounted it.
 */
import type { CookieOptions, Request } from 'express';

/** One cookie's value from the Cookie header, as sent; undefined when absent. */
export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/** HttpOnly, SameSite=Lax, Secure on https, and scoped to the sandbox's mount path. */
export function sandboxCookie(req: Request, maxAgeMs: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    // Only the sandbox's own pages get it, wherever the host mounted it.
    path: req.baseUrl === '' ? '/' : req.baseUrl,
    maxAge: maxAgeMs,
  };
}
