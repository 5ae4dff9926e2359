// Encryption at rest for what the stores keep (sessions with their access tokens, pending
// request-token secrets, the sandbox's state): AES-256-GCM, so a copy of the SQLite file or a
// Redis dump holds no usable token. Keys rotate like SESSION_SECRET: the first seals, all open.

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

import { randomBytesFromPool } from '../lib/randomPool.js';

export interface Sealer {
  seal(plain: string): string;
  /** Throws when the value was not sealed by one of the keys, or was altered. */
  open(sealed: string): string;
  /**
   * A one-way name for a secret used as a lookup key: the same input gives the same name under
   * any key (so rotation keeps lookups working), and the name is no use as the secret itself.
   */
  name(secret: string): string;
}

const VERSION = 'v1';

interface Key {
  id: string;
  aes: Buffer;
}

function deriveKey(secret: string): Key {
  const material = Buffer.from(secret, 'utf8');
  return {
    // Which key sealed a value, without revealing anything about it.
    id: createHash('sha256').update(material).digest('base64url').slice(0, 8),
    aes: Buffer.from(hkdfSync('sha256', material, 'nexmo-store', 'aes-256-gcm', 32)),
  };
}

export function createSealer(secrets: readonly string[]): Sealer {
  if (secrets.length === 0) throw new Error('at least one store key is needed');
  const keys = secrets.map(deriveKey);
  const current = keys[0] as Key;
  const byId = new Map(keys.map((key) => [key.id, key]));

  return {
    seal(plain) {
      const iv = randomBytesFromPool(12);
      const cipher = createCipheriv('aes-256-gcm', current.aes, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, id, iv, tag, body] = sealed.split('.');
      const key = id === undefined ? undefined : byId.get(id);
      if (version !== VERSION || !key || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('not sealed with a known store key');
      }
      const decipher = createDecipheriv('aes-256-gcm', key.aes, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    name(secret) {
      // Tokens are long random values: a plain hash cannot be turned back into one.
      return createHash('sha256').update(secret).digest('base64url');
    },
  };
}

/** A new random store key (STORE_KEY's format: 43 base64url characters, 256 bits). */
export function newStoreKey(): string {
  return randomBytes(32).toString('base64url');
}
