// The balance the SMS form shows, without a provider call per page view: every balance call is
// a signed request on the user's Nexmo account that no send limit counts, so a form reloaded or
// posted invalid in a loop must not turn into a loop of calls.

import type { AppRecords, SendRecord } from '../store/types.js';
import { compareAmounts } from './money.js';
import type { BalanceOutcome } from './types.js';

/** A figure younger than this is shown as it is; an older one may be refreshed, once. */
export const BALANCE_FRESH_MS = 60_000;
/** How long a fetched figure is kept to show when no fresher one may be fetched. */
const KEEP_MS = 24 * 60 * 60 * 1000;

/** A balance as last known, and when it was true. */
export interface KnownBalance {
  value: string;
  at: number;
}

export interface BalanceCache {
  /**
   * For the form itself: the newest known figure if it is under a minute old; otherwise one
   * call to `fetch`, made only by the caller that claims this minute for the account (in the
   * store, so concurrent requests and other instances do not call too). A caller that loses the
   * claim waits for the call when it runs in this process, and otherwise shows the newest known
   * figure, however old, or none (undefined).
   */
  forForm(account: string, recent: readonly SendRecord[], fetch: () => Promise<BalanceOutcome>): Promise<BalanceOutcome | undefined>;
  /** For a re-rendered form (invalid input): the newest known figure or none; never a call. */
  known(account: string, recent: readonly SendRecord[]): Promise<BalanceOutcome | undefined>;
}

/**
 * The lowest remaining balance among the parts of the most recent send that reports one
 * (`records` newest first): Nexmo gives each part the balance after it, so the lowest is the
 * balance after the whole message, whatever order the parts came back in.
 */
export function balanceAfterLastSend(records: readonly SendRecord[]): KnownBalance | undefined {
  for (const record of records) {
    if (!('parts' in record.outcome)) continue;
    const amounts = record.outcome.parts.flatMap((part) => (part.remainingBalance === undefined ? [] : [part.remainingBalance]));
    if (amounts.length === 0) continue;
    const lowest = amounts.reduce((low, amount) => (compareAmounts(amount, low) < 0 ? amount : low));
    return { value: lowest, at: record.createdAt };
  }
  return undefined;
}

/**
 * `records` is the store's key-value storage (shared by instances), `now` the app's clock. The
 * claim is one key per minute of the app's clock, so whichever clock the store's TTLs follow
 * (Redis's own, or an injected one), a new minute is a new claim; the TTL only clears old ones.
 */
export function createBalanceCache(records: AppRecords, now: () => number): BalanceCache {
  const figureKey = (account: string) => `balance:${account}`;
  const claimKey = (account: string) => `balance-claim:${account}:${Math.floor(now() / BALANCE_FRESH_MS)}`;
  // One call per account in flight in this process: concurrent page loads share its answer.
  const inFlight = new Map<string, Promise<BalanceOutcome | undefined>>();

  async function cached(account: string): Promise<KnownBalance | undefined> {
    const raw = await records.get(figureKey(account));
    if (raw === undefined) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<KnownBalance>;
      return typeof parsed.value === 'string' && typeof parsed.at === 'number' ? { value: parsed.value, at: parsed.at } : undefined;
    } catch {
      return undefined;
    }
  }

  async function newest(account: string, recent: readonly SendRecord[]): Promise<KnownBalance | undefined> {
    // On a tie the send's figure wins: a balance read and a send in the same millisecond (a frozen
    // test clock) most likely read before the send was charged.
    const figures = [balanceAfterLastSend(recent), await cached(account)].filter((f): f is KnownBalance => f !== undefined);
    return figures.sort((a, b) => b.at - a.at)[0];
  }

  const shown = (figure: KnownBalance | undefined): BalanceOutcome | undefined =>
    figure && { kind: 'ok', value: figure.value, autoReload: false };

  async function claimAndFetch(account: string, fetch: () => Promise<BalanceOutcome>): Promise<BalanceOutcome | undefined> {
    if (!(await records.setIfAbsent(claimKey(account), String(now()), 2 * BALANCE_FRESH_MS))) return undefined;
    const outcome = await fetch();
    if (outcome.kind === 'ok') await records.set(figureKey(account), JSON.stringify({ value: outcome.value, at: now() }), KEEP_MS);
    return outcome;
  }

  return {
    async forForm(account, recent, fetch) {
      const figure = await newest(account, recent);
      if (figure && now() - figure.at < BALANCE_FRESH_MS) return shown(figure);
      // No await between the look-up and the set: two requests here cannot both start a call.
      const running = inFlight.get(account);
      if (running) {
        // Another session's token may be the one refused: only its own request disconnects.
        const answer = await running;
        return answer && answer.kind !== 'unauthorized' ? answer : shown(figure);
      }
      const call = claimAndFetch(account, fetch).finally(() => inFlight.delete(account));
      inFlight.set(account, call);
      return (await call) ?? shown(figure);
    },
    async known(account, recent) {
      return shown(await newest(account, recent));
    },
  };
}
