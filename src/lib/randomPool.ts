import { randomFillSync } from 'node:crypto';

// Random bytes for the values made on every request (nonces, IVs, ids). Each randomBytes call
// is a trip into OpenSSL with a buffer of its own (~5 µs on a busy server, several per send);
// here one call fills 4 KiB, handed out in slices that are never handed out again (Node's own
// randomUUID works the same way). The bytes are the same CSPRNG's.

const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `size` fresh random bytes (at most 4096), never given to anyone else. */
export function randomBytesFromPool(size: number): Buffer {
  if (size > POOL_SIZE) throw new RangeError(`at most ${POOL_SIZE} bytes at a time`);
  if (offset + size > pool.length) {
    // A new pool, not a refill in place: the slices already handed out keep their bytes.
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_SIZE));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}

/** `size` random bytes as base64url (24 bytes: exactly 32 characters, all unreserved). */
export function randomToken(size: number): string {
  return randomBytesFromPool(size).toString('base64url');
}
