import { MAX_PENDING_LOGINS, isExpired, type PendingLogin, type PendingLoginStore } from '../oauth/pendingLogin.js';
import { safeEqual } from '../lib/safeEqual.js';

/**
 * Pending logins in this process's memory. JavaScript runs one callback at a time, so a Map
 * delete is already the atomic take the interface asks for. Expired logins are pruned on write.
 */
export function createMemoryPendingLogins(now: () => number = Date.now): PendingLoginStore {
  const byToken = new Map<string, PendingLogin>();

  const find = (token: string, owner: string): PendingLogin | undefined => {
    const login = byToken.get(token);
    return login && safeEqual(login.owner, owner) ? login : undefined;
  };

  return {
    async add(login) {
      for (const [token, existing] of byToken) if (isExpired(existing, now())) byToken.delete(token);
      byToken.set(login.token, { ...login });
      const owned = [...byToken.values()].filter((l) => l.owner === login.owner).sort((a, b) => a.createdAt - b.createdAt);
      for (const old of owned.slice(0, Math.max(0, owned.length - MAX_PENDING_LOGINS))) byToken.delete(old.token);
    },
    async take(token, owner) {
      const login = find(token, owner);
      if (login) byToken.delete(token);
      return login;
    },
    async peek(token, owner) {
      return find(token, owner);
    },
  };
}
