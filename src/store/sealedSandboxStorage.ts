import type { SandboxStorage } from '@nexmo-oauth/sandbox';

import type { Sealer } from './sealing.js';

/**
 * The sandbox's state at rest, as unreadable as the app's own: its keys name tokens
 * (`sandbox:at:<access token>`), so each key is stored under its one-way name, and every value
 * (token secrets, verifiers, the consumer secret, the outbox) is sealed. Counters stay numbers,
 * as their stores need; they hold balances, not secrets. A value that cannot be opened reads as
 * absent.
 */
export function sealSandboxStorage(storage: SandboxStorage, sealer: Sealer): SandboxStorage {
  const key = (name: string) => `sealed:${sealer.name(name)}`;
  const open = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    try {
      return sealer.open(value);
    } catch {
      return undefined;
    }
  };
  return {
    get: async (name) => open(await storage.get(key(name))),
    set: (name, value, ttlMs) => storage.set(key(name), sealer.seal(value), ttlMs),
    setIfAbsent: (name, value, ttlMs) => storage.setIfAbsent(key(name), sealer.seal(value), ttlMs),
    take: async (name) => open(await storage.take(key(name))),
    delete: (name) => storage.delete(key(name)),
    incrBy: (name, by) => storage.incrBy(key(name), by),
    pushCapped: (name, value, max, ttlMs) => storage.pushCapped(key(name), sealer.seal(value), max, ttlMs),
    range: async (name, limit) => (await storage.range(key(name), limit)).flatMap((value) => open(value) ?? []),
  };
}
