/**
 * Remembers nonces for as long as a replay could still pass the timestamp check, then forgets
 * them: each is a key in the sandbox's storage whose TTL is the rest of that window, so a shared
 * storage refuses a replay whichever instance it reaches.
 */
import type { SandboxStorage } from './storage.js';

export class NonceStore {
  constructor(
    private readonly storage: SandboxStorage,
    private readonly now: () => number,
    /** How far a timestamp may be from now, in ms; a nonce is kept until its request is stale. */
    private readonly windowMs: number,
  ) {}

  /**
   * Keyed by consumer and nonce, not by timestamp: a client never has a reason to reuse a nonce
   * inside the window, and ignoring the timestamp makes a replay with a shifted timestamp fail
   * here too (RFC 5849 §3.3 only asks for uniqueness per timestamp, this is stricter).
   */
  async has(consumerKey: string, nonce: string): Promise<boolean> {
    return (await this.storage.get(key(consumerKey, nonce))) !== undefined;
  }

  /**
   * Records a nonce once its request has been verified (so forged requests cannot burn them).
   * False when it was already recorded: of two requests racing with one nonce, one gets true.
   */
  async remember(consumerKey: string, nonce: string, timestampSeconds: number): Promise<boolean> {
    const now = this.now();
    const expiresAt = Math.max(timestampSeconds * 1000, now) + this.windowMs;
    return this.storage.setIfAbsent(key(consumerKey, nonce), '1', expiresAt - now);
  }
}

function key(consumerKey: string, nonce: string): string {
  // Encoding the consumer key leaves no ":" in it, so the join cannot collide.
  return `sandbox:nonce:${encodeURIComponent(consumerKey)}:${nonce}`;
}
