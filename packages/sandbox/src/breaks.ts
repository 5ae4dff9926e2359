/**
 * Break-it switches, armed from the demo controls so a person sees what the app does when a
 * provider refuses a signed call: the next signed call acting for the account (the access-token
 * exchange that finishes a connection, a send, a balance read) is refused as if its signature
 * did not match (`signature_invalid`) or its nonce had been used before (`nonce_used`, a replay).
 * One-shot: the call that meets it takes it (an atomic `take`, so of two instances only one
 * refuses), and the call after it goes through. Revoking the app's access is the third switch
 * (tokens.ts). A request-token call acts for no account yet, so no switch touches it.
 */
import type { SandboxStorage } from './storage.js';

export const BREAKS = ['signature', 'nonce'] as const;
export type Break = (typeof BREAKS)[number];

const KEY = 'sandbox:break:';
/** An arming nobody used is forgotten after an hour, so it cannot surprise tomorrow's demo. */
const ARMED_TTL_MS = 60 * 60 * 1000;

function isBreak(value: string | undefined): value is Break {
  return (BREAKS as readonly string[]).includes(value ?? '');
}

export class Breaks {
  constructor(private readonly storage: SandboxStorage) {}

  async arm(account: string, kind: Break): Promise<void> {
    await this.storage.set(KEY + account, kind, ARMED_TTL_MS);
  }

  async disarm(account: string): Promise<void> {
    await this.storage.delete(KEY + account);
  }

  async armed(account: string): Promise<Break | undefined> {
    const kind = await this.storage.get(KEY + account);
    return isBreak(kind) ? kind : undefined;
  }

  /** The armed break, taken: this call is the one it breaks. */
  async take(account: string): Promise<Break | undefined> {
    const kind = await this.storage.take(KEY + account);
    return isBreak(kind) ? kind : undefined;
  }
}
