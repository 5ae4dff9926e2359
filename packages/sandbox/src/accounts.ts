/**
 * Sandbox accounts: the person picks one on the consent page, and every access token granted
 * for it shares its balance. Money is kept in whole units of 1e-8 EUR (Nexmo reports 8
 * decimals) so that charging part by part never drifts.
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

/** The account selected on the consent page unless the person picks another. */
export const DEFAULT_ACCOUNT = 'sandbox-demo';
/** The accounts offered on the consent page; any other valid name can be typed in. */
export const DEMO_ACCOUNTS: readonly string[] = [DEFAULT_ACCOUNT, 'alice', 'bob', 'carol'];

/** An account name as typed: trimmed and lower-cased, then 1–32 of a-z, 0-9 and "-". */
export function normalizeAccountName(input: string): string | undefined {
  const name = input.trim().toLowerCase();
  return /^[a-z0-9-]{1,32}$/.test(name) ? name : undefined;
}

export type AccountChoice = { ok: true; account: string } | { ok: false; selected: string; typed: string };

/**
 * The account picked on a page's account picker (the consent page, the sandbox sign-in): a name
 * typed in "another account" wins over the radio buttons; nothing chosen at all (a client that
 * posts only the decision) means the default.
 */
export function chosenAccount(fields: ReadonlyMap<string, string>): AccountChoice {
  const typed = fields.get('account_name') ?? '';
  const selected = fields.get('account') ?? DEFAULT_ACCOUNT;
  const account = normalizeAccountName(typed.trim() === '' ? selected : typed);
  return account === undefined ? { ok: false, selected, typed } : { ok: true, account };
}

export const ACCOUNT_NAME_RULE =
  'Account names are 1 to 32 characters: letters a–z, digits and hyphens (-). Pick one of the accounts above or type another name.';

/**
 * What the account picker partial needs, with a refused pick kept so only the name needs fixing;
 * otherwise starting from `current`, the account the browser is signed in to the sandbox as.
 */
export function accountPickerLocals(refused?: { selected: string; typed: string }, current?: string): Record<string, unknown> {
  const locals = { accounts: DEMO_ACCOUNTS, accountError: refused === undefined ? undefined : ACCOUNT_NAME_RULE };
  if (refused === undefined && current !== undefined) {
    return DEMO_ACCOUNTS.includes(current) ? { ...locals, selected: current, typed: '' } : { ...locals, selected: DEFAULT_ACCOUNT, typed: current };
  }
  const selected = refused?.selected ?? DEFAULT_ACCOUNT;
  return { ...locals, selected: DEMO_ACCOUNTS.includes(selected) ? selected : DEFAULT_ACCOUNT, typed: refused?.typed ?? '' };
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
