import type { SandboxStorage } from '@nexmo-oauth/sandbox';

import type { Sealer } from './sealing.js';

/** The one-way name a key is stored under. */
function sealedKeyName(sealer: Sealer, name: string): string {
  return `sealed:${sealer.name(name)}`;
}

/**
 * What `incrBy` leaves in a store: a plain whole number. A sealed value never looks like one
 * (it starts with the sealer's version, "v1."), so a stored value is either one or the other.
 */
const COUNTER = /^-?\d{1,16}$/;

/**
 * The sandbox's state at rest, as unreadable as the app's own: its keys name tokens
 * (`sandbox:at:<access token>`), so each key is stored under its one-way name, and every value
 * written with `set`, `setIfAbsent` or `pushCapped` (token secrets, verifiers, the consumer
 * secret, the outbox) is sealed.
 *
 * Counters are the exception, by decision: `incrBy` must be the store's own atomic add (SQLite's
 * upsert, Redis's INCRBY), which only works on a plain number, and they hold balances, message
 * ids and grant generations, no secret. So they are stored unsealed (under their one-way key
 * name like everything else), and `get` / `take` hand back a stored whole number as it is, so
 * reading a counter agrees with what `incrBy` returned. Anything else that cannot be opened
 * (another key, an altered value) reads as absent. A counter is only ever written by `incrBy`:
 * `set` seals whatever it is given, and `incrBy` refuses a sealed value rather than count it.
 */
export function sealKeyValue(storage: SandboxStorage, sealer: Sealer): SandboxStorage {
  const key = (name: string) => sealedKeyName(sealer, name);
  const open = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    if (COUNTER.test(value)) return value;
    try {
      return sealer.open(value);
    } catch {
      return undefined;
    }
  };
  const openListItem = (value: string): string | undefined => {
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
    incrBy: (name, by, ttlMs) => storage.incrBy(key(name), by, ttlMs),
    pushCapped: (name, value, max, ttlMs) => storage.pushCapped(key(name), sealer.seal(value), max, ttlMs),
    // Lists only ever hold sealed items (pushCapped), never counters.
    range: async (name, limit) => (await storage.range(key(name), limit)).flatMap((value) => openListItem(value) ?? []),
  };
}
