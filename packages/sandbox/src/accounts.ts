/**
 * Sandbox accounts' money and throughput: every access token granted for an account (picked on
 * the consent page, see accountPicker.ts) shares its balance. Money is kept in whole units of
 * 1e-8 EUR (Nexmo reports 8 decimals) so that charging part by part never drifts.
 */
import type { SandboxStorage } from './storage.js';

const UNITS_PER_EUR = 100_000_000;

export function eurToUnits(eur: number): number {
  return Math.round(eur * UNITS_PER_EUR);
}

/** "9.93340000": the fixed 8-decimal form Nexmo uses in SMS replies. */
export function formatUnits(units: number): string {
  const sign = units < 0 ? '-' : '';
  const abs = Math.abs(units);
  const whole = Math.floor(abs / UNITS_PER_EUR);
  const fraction = String(abs % UNITS_PER_EUR).padStart(8, '0');
  return `${sign}${whole}.${fraction}`;
}

export type Charge = { ok: true; balanceUnits: number } | { ok: false };

/**
 * Balances live in the storage as the amount each account has spent, so an account nobody used
 * yet needs no record and starts with the full balance, and a charge is one atomic add: of
 * concurrent sends, those that would take the balance below zero are refunded and refused.
 */
export class Accounts {
  constructor(
    private readonly storage: SandboxStorage,
    /** What every account starts with, and gets back on a reset. */
    readonly startingUnits: number,
  ) {}

  async balance(account: string): Promise<number> {
    const spent = Number((await this.storage.get(spentKey(account))) ?? '0');
    return this.startingUnits - spent;
  }

  /** Takes `units` from the account, all or nothing; the balance left when it did. */
  async charge(account: string, units: number): Promise<Charge> {
    const spent = await this.storage.incrBy(spentKey(account), units);
    if (this.startingUnits - spent >= 0) return { ok: true, balanceUnits: this.startingUnits - spent };
    await this.storage.incrBy(spentKey(account), -units);
    return { ok: false };
  }

  /** Back to the starting balance (the demo controls). */
  async reset(account: string): Promise<void> {
    await this.storage.delete(spentKey(account));
  }
}

function spentKey(account: string): string {
  return `sandbox:spent:${account}`;
}

export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Throughput per access token, in this process: a sliding one-second window. Only admitted
 * requests are logged, so a client that backs off for the advertised time is let through again.
 * (Kept in memory on purpose: a second's worth of timestamps is not worth a round trip, and
 * after a restart every client may start afresh.)
 */
export class Throttle {
  private readonly recent = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly now: () => number,
    private readonly maxPerSecond: number,
  ) {}

  admit(accessToken: string): Admission {
    const now = this.now();
    this.sweep(now);
    const times = this.recent.get(accessToken) ?? [];
    while (times.length > 0 && (times[0] as number) <= now - 1000) times.shift();
    if (times.length >= this.maxPerSecond) {
      return { ok: false, retryAfterMs: Math.max(1, (times[0] as number) + 1000 - now) };
    }
    times.push(now);
    this.recent.set(accessToken, times);
    return { ok: true };
  }

  /** Forgets tokens idle for a second, so the map does not grow with every token ever used. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1000 && now >= this.lastSweep) return;
    this.lastSweep = now;
    for (const [token, times] of this.recent) {
      if (times.length === 0 || (times[times.length - 1] as number) <= now - 1000) this.recent.delete(token);
    }
  }
}
