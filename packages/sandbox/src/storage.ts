/**
 * Where a sandbox keeps its state: what it issued (tokens, consumer credentials), what it saw
 * (nonces) and what it did (balances, the outbox, message ids). A host app passes its own store
 * (SQLite, Redis, …) so that nothing is lost on restart and several instances sharing one store
 * behave as one provider; by default the state is in process memory.
 *
 * The interface is small and generic on purpose: values are strings, the sandbox prefixes its
 * own keys (see KEYS in context.ts), and every operation that must be exactly-once is one
 * atomic call here, so an implementation over any key-value store is a few lines each.
 */

/** What the sandbox needs from a store. Values are strings; the sandbox prefixes its own keys. */
export interface SandboxStorage {
  get(key: string): Promise<string | undefined>;
  /** Sets (replacing any value); with ttlMs the key disappears that long after. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent; true when it did (nonces, get-or-create). */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Removes and returns the value atomically: of concurrent callers one gets it. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /**
   * Adds to an integer (missing = 0) and returns the new value, atomically. With ttlMs the
   * counter disappears that long after this add (in the same atomic step); without, it keeps
   * any TTL it had. (The sandbox's own counters have none; a host app sharing the storage may
   * count things that should not outlive a while.) Counter keys are written only by incrBy (and
   * removed by delete); `get` reads them back as the decimal number. A value that is not a
   * whole number is refused, never counted from 0.
   */
  incrBy(key: string, by: number, ttlMs?: number): Promise<number>;
  /**
   * Prepends to a list, keeping the newest `max`, atomically. With ttlMs the whole list
   * disappears that long after this push; without, it keeps any TTL it had.
   */
  pushCapped(key: string, value: string, max: number, ttlMs?: number): Promise<void>;
  /** The newest first, at most `limit`. */
  range(key: string, limit: number): Promise<string[]>;
}

export interface MemoryStorageOptions {
  /** ms clock for expiry (default Date.now); a sandbox made without a storage shares its own. */
  now?: () => number;
}

/**
 * The default: everything in this process, lost on restart and seen by no other process. Each
 * method does its work synchronously, so each is atomic with respect to every other call.
 * Expired keys are dropped when read and swept at most once a second as the storage is used.
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): SandboxStorage {
  const now = options.now ?? Date.now;
  const values = new Map<string, { value: string; expiresAt: number | undefined }>();
  const lists = new Map<string, { items: string[]; expiresAt: number | undefined }>();
  let lastSweep = Number.NEGATIVE_INFINITY;

  const sweep = (): void => {
    const at = now();
    if (at - lastSweep < 1000 && at >= lastSweep) return;
    lastSweep = at;
    for (const [key, entry] of values) if (entry.expiresAt !== undefined && entry.expiresAt <= at) values.delete(key);
    for (const [key, list] of lists) if (list.expiresAt !== undefined && list.expiresAt <= at) lists.delete(key);
  };
  const live = (key: string) => {
    sweep();
    const entry = values.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      values.delete(key);
      return undefined;
    }
    return entry;
  };
  const liveList = (key: string) => {
    sweep();
    const list = lists.get(key);
    if (list?.expiresAt !== undefined && list.expiresAt <= now()) {
      lists.delete(key);
      return undefined;
    }
    return list;
  };
  const put = (key: string, value: string, ttlMs: number | undefined): void => {
    values.set(key, { value, expiresAt: ttlMs === undefined ? undefined : now() + checkTtl(ttlMs) });
  };

  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, ttlMs) {
      put(key, value, ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key) !== undefined) return false;
      put(key, value, ttlMs);
      return true;
    },
    async take(key) {
      const entry = live(key);
      values.delete(key);
      return entry?.value;
    },
    async delete(key) {
      values.delete(key);
      lists.delete(key);
    },
    async incrBy(key, by, ttlMs) {
      checkInteger(by);
      const expiresAt = ttlMs === undefined ? undefined : now() + checkTtl(ttlMs);
      const entry = live(key);
      const current = entry === undefined ? 0 : Number(entry.value);
      if (!Number.isSafeInteger(current)) throw new TypeError(`value at ${key} is not an integer`);
      const next = current + by;
      values.set(key, { value: String(next), expiresAt: expiresAt ?? entry?.expiresAt });
      return next;
    },
    async pushCapped(key, value, max, ttlMs) {
      const list = liveList(key) ?? { items: [], expiresAt: undefined };
      list.items.unshift(value);
      if (list.items.length > max) list.items.length = Math.max(0, max);
      if (ttlMs !== undefined) list.expiresAt = now() + checkTtl(ttlMs);
      lists.set(key, list);
    },
    async range(key, limit) {
      return (liveList(key)?.items ?? []).slice(0, Math.max(0, limit));
    },
  };
}

function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError('ttlMs must be a positive number of milliseconds');
  return Math.ceil(ttlMs);
}

function checkInteger(by: number): void {
  if (!Number.isSafeInteger(by)) throw new TypeError('incrBy needs a whole number');
}
