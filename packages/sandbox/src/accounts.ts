/**
 * One sandbox account per access token: a balance and a throughput log. Money is kept in whole
 * units of 1e-8 EUR (Nexmo reports 8 decimals) so that charging part by part never drifts.
 */
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

export interface Account {
  balanceUnits: number;
  /** Times (ms) of the requests admitted in the last second, oldest first. */
  recent: number[];
}

export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

export class Accounts {
  private readonly accounts = new Map<string, Account>();

  constructor(
    private readonly now: () => number,
    private readonly startingUnits: number,
    private readonly maxPerSecond: number,
  ) {}

  /** Opened lazily: a connected user starts with the full balance on first use. */
  get(accessToken: string): Account {
    let account = this.accounts.get(accessToken);
    if (account === undefined) {
      account = { balanceUnits: this.startingUnits, recent: [] };
      this.accounts.set(accessToken, account);
    }
    return account;
  }

  /**
   * Sliding one-second window. Only admitted requests are logged, so a client that backs off
   * for the advertised time is let through again.
   */
  admit(account: Account): Admission {
    const now = this.now();
    while (account.recent.length > 0 && (account.recent[0] as number) <= now - 1000) account.recent.shift();
    if (account.recent.length >= this.maxPerSecond) {
      return { ok: false, retryAfterMs: Math.max(1, (account.recent[0] as number) + 1000 - now) };
    }
    account.recent.push(now);
    return { ok: true };
  }
}
