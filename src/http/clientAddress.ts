import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';

/**
 * The client's address as Express sees it (TRUST_PROXY decides whether a proxy's header is
 * believed), as the per-address limits count it. IPv6 addresses count by their /56 network: one
 * client usually holds all of one.
 */
export function addressOf(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  // An IPv4 client of a dual-stack listener appears as ::ffff:a.b.c.d: it counts as that IPv4
  // address (as ipKeyGenerator would say too, after parsing it as IPv6 on every request).
  return IPV4_MAPPED.exec(ip)?.[1] ?? ipKeyGenerator(ip);
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
