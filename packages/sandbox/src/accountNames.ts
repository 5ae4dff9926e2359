/**
 * Sandbox account names: the rule every name follows, the shared demo accounts, and fresh names
 * made up for people who have not picked one, so that a room of people pressing Authorize
 * straight away lands in as many accounts. People share an account only by picking the same name.
 *
 * A suggestion is two words ("amber-otter") picked with crypto randomness. Each one is claimed in
 * the storage before it is shown (setIfAbsent, so two pages rendered at once never get the same
 * name, on any instance), and every name someone chooses is marked as used for good, so a later
 * suggestion is never an account that already has a history. A suggestion nobody took is given
 * back after a day.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { SandboxStorage } from './storage.js';
import { ADJECTIVES, ANIMALS } from './nameWords.js';

/** Shared demo accounts the pickers offer: whoever picks one sees what the others did in it. */
export const DEMO_ACCOUNTS: readonly string[] = Object.freeze(['alice', 'bob', 'carol']);

/** An account name as typed: trimmed and lower-cased, then 1–32 of a-z, 0-9 and "-". */
export function normalizeAccountName(input: string): string | undefined {
  const name = input.trim().toLowerCase();
  return /^[a-z0-9-]{1,32}$/.test(name) ? name : undefined;
}

/** True for a name exactly as the sandbox keeps it (what a cookie or a caller must hand back). */
export function isAccountName(value: unknown): value is string {
  return typeof value === 'string' && normalizeAccountName(value) === value;
}

export const ACCOUNT_NAME_RULE =
  'Account names are 1 to 32 characters: letters a–z, digits and hyphens (-). Keep the suggested name, type another, or pick a shared account.';

/** Two words, e.g. "amber-otter": about four thousand names, each easy to say across a room. */
export function twoWordName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}`;
}

const NAME = 'sandbox:name:';
const SUGGESTED = 'suggested';
const USED = 'used';
/** A suggestion nobody took is free again after a day. */
const SUGGESTION_TTL_MS = 24 * 60 * 60 * 1000;
/** Tries before the next, larger kind of name: two taken names in a row are already rare. */
const TRIES = 8;

export class AccountNames {
  constructor(private readonly storage: SandboxStorage) {}

  /** A readable name nobody has chosen and nobody else was offered in the last day. */
  async suggest(): Promise<string> {
    for (let i = 0; i < TRIES; i += 1) {
      const name = twoWordName();
      if (await this.claim(name)) return name;
    }
    // Most two-word names are taken: a number makes a thousand times as many.
    for (let i = 0; i < TRIES; i += 1) {
      const name = `${twoWordName()}-${randomInt(2, 1000)}`;
      if (await this.claim(name)) return name;
    }
    // Not reached in practice; 48 random bits need no asking.
    const name = `guest-${randomBytes(6).toString('hex')}`;
    await this.claim(name);
    return name;
  }

  /** Someone chose `name` (suggested, typed or shared): it is never suggested to anyone else. */
  async markUsed(name: string): Promise<void> {
    await this.storage.set(NAME + name, USED);
  }

  private claim(name: string): Promise<boolean> {
    return this.storage.setIfAbsent(NAME + name, SUGGESTED, SUGGESTION_TTL_MS);
  }
}
