import { describe, expect, it } from 'vitest';
import { ACCOUNT_NAME_RULE, AccountNames, DEMO_ACCOUNTS, isAccountName, normalizeAccountName, twoWordName } from '../../src/accountNames.js';
import { chosenAccount } from '../../src/accountPicker.js';
import { ADJECTIVES, ANIMALS } from '../../src/nameWords.js';
import { createMemoryStorage } from '../../src/storage.js';

describe('fresh account names', () => {
  it('are two words from two lists of 64 distinct a–z words, always valid under the name rule', () => {
    for (const list of [ADJECTIVES, ANIMALS]) {
      expect(list).toHaveLength(64);
      expect(new Set(list).size).toBe(64);
      for (const word of list) expect(word).toMatch(/^[a-z]{2,10}$/);
    }
    for (const adjective of ADJECTIVES) for (const animal of ANIMALS) expect(isAccountName(`${adjective}-${animal}-999`)).toBe(true);
    const names = Array.from({ length: 200 }, () => twoWordName());
    for (const name of names) {
      const [adjective, animal] = name.split('-');
      expect(ADJECTIVES).toContain(adjective);
      expect(ANIMALS).toContain(animal);
    }
    // Random, not a sequence: 200 draws from 4096 names repeat only a handful of times.
    expect(new Set(names).size).toBeGreaterThan(180);
    // None of them is a shared account, or the old default.
    expect(names.filter((n) => DEMO_ACCOUNTS.includes(n) || n === 'sandbox-demo')).toEqual([]);
  });

  it('are never offered to two pages at once, on one storage shared by two instances', async () => {
    const storage = createMemoryStorage();
    const [first, second] = [new AccountNames(storage), new AccountNames(storage)];
    const names = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? first : second).suggest()));
    expect(new Set(names).size).toBe(100);
    for (const name of names) expect(name).toMatch(/^[a-z]+-[a-z]+$/);
  });

  it('never suggest a name someone chose, and add a number once the two-word names are taken', async () => {
    let now = 0;
    const storage = createMemoryStorage({ now: () => now });
    const names = new AccountNames(storage);
    for (const adjective of ADJECTIVES) for (const animal of ANIMALS) await names.markUsed(`${adjective}-${animal}`);
    const suggested = await names.suggest();
    expect(suggested).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    // Chosen names stay taken for good; a suggestion nobody took is free again after a day.
    now += 24 * 60 * 60 * 1000;
    expect(await storage.get('sandbox:name:amber-otter')).toBe('used');
    expect(await storage.get(`sandbox:name:${suggested}`)).toBeUndefined();
  });
});

describe('account names as typed', () => {
  it('are trimmed and lower-cased, then 1–32 of a–z, 0–9 and "-"', () => {
    expect(normalizeAccountName('  Team-Blue-7 ')).toBe('team-blue-7');
    for (const bad of ['', ' ', 'has space', 'x'.repeat(33), 'émile', 'a_b', 'a/b']) expect(normalizeAccountName(bad), bad).toBeUndefined();
    expect(isAccountName('team-blue-7')).toBe(true);
    expect(isAccountName('Team-Blue-7')).toBe(false);
    expect(isAccountName(undefined)).toBe(false);
    expect(ACCOUNT_NAME_RULE).toContain('1 to 32 characters');
  });
});

describe('what a posted account picker means', () => {
  const pick = (fields: Record<string, string>) => chosenAccount(new Map(Object.entries(fields)));
  const shown = { account_name: 'amber-otter', account_name_shown: 'amber-otter' };

  it('the suggested name with "an account of your own" checked', () => {
    expect(pick({ account: '', ...shown })).toEqual({ ok: true, account: 'amber-otter' });
  });

  it('a shared account when its radio button is checked and the suggestion left as shown (or cleared)', () => {
    expect(pick({ account: 'bob', ...shown })).toEqual({ ok: true, account: 'bob' });
    expect(pick({ account: 'bob', account_name: '', account_name_shown: 'amber-otter' })).toEqual({ ok: true, account: 'bob' });
    expect(pick({ account: 'bob' })).toEqual({ ok: true, account: 'bob' });
  });

  it('a name typed in the field over any radio button, lower-cased', () => {
    expect(pick({ account: 'bob', account_name: '  Team-Blue-7 ', account_name_shown: 'amber-otter' })).toEqual({ ok: true, account: 'team-blue-7' });
    expect(pick({ account_name: 'Zed' })).toEqual({ ok: true, account: 'zed' });
    // The old default can still be typed; it is simply no longer anyone's default.
    expect(pick({ account: '', account_name: 'sandbox-demo', account_name_shown: 'amber-otter' })).toEqual({ ok: true, account: 'sandbox-demo' });
  });

  it('nothing at all when no account field was posted: the caller makes up a fresh name', () => {
    expect(pick({})).toEqual({ ok: true, account: undefined });
    expect(pick({ account_name: '  ' })).toEqual({ ok: true, account: undefined });
  });

  it('a refusal, kept as posted, for a name that breaks the rule or an own account left without a name', () => {
    expect(pick({ account: 'alice', account_name: 'has space', account_name_shown: 'amber-otter' })).toEqual({ ok: false, selected: 'alice', typed: 'has space' });
    expect(pick({ account: '', account_name: '', account_name_shown: 'amber-otter' })).toEqual({ ok: false, selected: '', typed: '' });
    expect(pick({ account: 'Not Valid!' })).toEqual({ ok: false, selected: 'Not Valid!', typed: '' });
  });
});
