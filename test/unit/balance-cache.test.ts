// Which balance the SMS form shows and when it may ask the provider: one call a minute per
// account, claimed in the shared store, with calls held open so the races are certain.
import { createMemoryStorage } from '@nexmo-oauth/sandbox';
import { describe, expect, it } from 'vitest';

import { balanceAfterLastSend, createBalanceCache } from '../../src/nexmo/balanceCache.js';
import { compareAmounts } from '../../src/nexmo/money.js';
import type { BalanceOutcome } from '../../src/nexmo/types.js';
import type { SendRecord } from '../../src/store/types.js';

const ACCOUNT = 'account-key';

function sent(createdAt: number, balances: (string | undefined)[]): SendRecord {
  return {
    id: `send-${createdAt}`,
    account: ACCOUNT,
    createdAt,
    request: { from: 'Demo', to: '447700900000', text: 'hi', type: 'text' },
    outcome: { kind: 'sent', messageCount: balances.length, totalPrice: '0.00000000', parts: balances.map((remainingBalance, index) => ({ index, status: 0, messageId: `m${index}`, remainingBalance })) },
    receipts: {},
  };
}

/** A balance call that answers only when the test says so, counting how often it was made. */
function heldCall() {
  let calls = 0;
  let answer: (outcome: BalanceOutcome) => void = () => {};
  const answered = new Promise<BalanceOutcome>((resolve) => (answer = resolve));
  return { fetch: () => (calls++, answered), calls: () => calls, answer: (outcome: BalanceOutcome) => answer(outcome) };
}

describe('balanceAfterLastSend', () => {
  it('takes the lowest remaining balance of the newest send that reports one, whatever the parts’ order', () => {
    const records = [sent(300, [undefined]), sent(200, ['9.90000000', '9.80000000', '10.1']), sent(100, ['5'])];
    expect(balanceAfterLastSend(records)).toEqual({ value: '9.80000000', at: 200 });
  });

  it('knows nothing from sends that report no balance', () => {
    expect(balanceAfterLastSend([sent(1, [undefined]), { ...sent(2, []), outcome: { kind: 'unknown' } }])).toBeUndefined();
  });
});

describe('compareAmounts', () => {
  it('orders decimal strings exactly, across signs and lengths', () => {
    expect(compareAmounts('9.9', '10.1')).toBeLessThan(0);
    expect(compareAmounts('10.10000000', '10.1')).toBe(0);
    expect(compareAmounts('-0.5', '-0.25')).toBeLessThan(0);
    expect(compareAmounts('0.00000001', '0')).toBeGreaterThan(0);
  });
});

describe('the balance cache', () => {
  it('makes one call for concurrent loads in one process, and all of them get its answer', async () => {
    let at = 1_000_000;
    const now = () => at;
    const cache = createBalanceCache(createMemoryStorage({ now }), now);
    const call = heldCall();
    const loads = [cache.forForm(ACCOUNT, [], call.fetch), cache.forForm(ACCOUNT, [], call.fetch), cache.forForm(ACCOUNT, [], call.fetch)];
    await new Promise((resolve) => setImmediate(resolve));
    call.answer({ kind: 'ok', value: '4.5', autoReload: false });
    expect(await Promise.all(loads)).toEqual(Array(3).fill({ kind: 'ok', value: '4.5', autoReload: false }));
    expect(call.calls()).toBe(1);

    at += 59_999;
    expect(await cache.forForm(ACCOUNT, [], call.fetch)).toMatchObject({ value: '4.5' });
    expect(call.calls()).toBe(1);
  });

  it('lets one of two instances sharing a store call in a minute; the other shows what is known', async () => {
    let at = 1_000_000;
    const now = () => at;
    const shared = createMemoryStorage({ now });
    const [a, b] = [createBalanceCache(shared, now), createBalanceCache(shared, now)];
    const first = heldCall();
    const loadA = a.forForm(ACCOUNT, [], first.fetch);
    await new Promise((resolve) => setImmediate(resolve));
    const second = heldCall();
    // Nothing known yet on B, and A holds the minute's claim: B shows no balance, and calls nothing.
    expect(await b.forForm(ACCOUNT, [], second.fetch)).toBeUndefined();
    first.answer({ kind: 'ok', value: '3', autoReload: false });
    await loadA;
    expect(await b.forForm(ACCOUNT, [], second.fetch)).toMatchObject({ value: '3' });
    expect([first.calls(), second.calls()]).toEqual([1, 0]);

    at += 60_000;
    const third = heldCall();
    const refreshed = b.forForm(ACCOUNT, [], third.fetch);
    await new Promise((resolve) => setImmediate(resolve));
    third.answer({ kind: 'ok', value: '2.5', autoReload: false });
    expect(await refreshed).toMatchObject({ value: '2.5' });
    expect(third.calls()).toBe(1);
  });

  it('after a failed call waits out the minute before trying again', async () => {
    // The start of a minute of the clock: claims are per minute.
    let at = 1_200_000;
    const now = () => at;
    const cache = createBalanceCache(createMemoryStorage({ now }), now);
    let calls = 0;
    const failing = async (): Promise<BalanceOutcome> => (calls++, { kind: 'unavailable' });
    expect(await cache.forForm(ACCOUNT, [], failing)).toEqual({ kind: 'unavailable' });
    at += 30_000;
    expect(await cache.forForm(ACCOUNT, [], failing)).toBeUndefined();
    expect(calls).toBe(1);
    at += 30_000;
    await cache.forForm(ACCOUNT, [], failing);
    expect(calls).toBe(2);
  });

  it('shows the newer of the fetched figure and the last send’s, and a fresh send’s needs no call', async () => {
    let at = 1_000_000;
    const now = () => at;
    const cache = createBalanceCache(createMemoryStorage({ now }), now);
    let calls = 0;
    const fetch = async (): Promise<BalanceOutcome> => (calls++, { kind: 'ok', value: '8', autoReload: false });
    await cache.forForm(ACCOUNT, [], fetch);
    at += 120_000;
    const recent = [sent(at - 1_000, ['7.9', '7.8'])];
    expect(await cache.forForm(ACCOUNT, recent, fetch)).toMatchObject({ value: '7.8' });
    expect(await cache.known(ACCOUNT, [sent(at - 500_000, ['1'])])).toMatchObject({ value: '8' });
    expect(calls).toBe(1);
  });

  it('passes a refused token only to the request that used it; a waiter shows what is known', async () => {
    const now = () => 1_000_000;
    const cache = createBalanceCache(createMemoryStorage({ now }), now);
    const call = heldCall();
    const own = cache.forForm(ACCOUNT, [], call.fetch);
    const waiter = cache.forForm(ACCOUNT, [sent(1, ['6'])], call.fetch);
    await new Promise((resolve) => setImmediate(resolve));
    call.answer({ kind: 'unauthorized' });
    expect(await own).toEqual({ kind: 'unauthorized' });
    expect(await waiter).toMatchObject({ value: '6' });
  });
});
