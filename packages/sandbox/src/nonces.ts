/**
 * Remembers nonces for as long as a replay could still pass the timestamp check, then forgets
 * them. Purging is lazy (on use, at most once a second) so the store never needs a timer.
 */
export class NonceStore {
  private readonly seen = new Map<string, number>();
  private lastPurge = 0;

  constructor(
    private readonly now: () => number,
    /** How far a timestamp may be from now, in ms; a nonce is kept until its request is stale. */
    private readonly windowMs: number,
  ) {}

  /**
   * Keyed by consumer and nonce, not by timestamp: a client never has a reason to reuse a nonce
   * inside the window, and ignoring the timestamp makes a replay with a shifted timestamp fail
   * here too (RFC 5849 §3.3 only asks for uniqueness per timestamp, this is stricter).
   */
  has(consumerKey: string, nonce: string): boolean {
    this.purge();
    const expiresAt = this.seen.get(key(consumerKey, nonce));
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /** Record a nonce once its request has been verified (so forged requests cannot burn them). */
  remember(consumerKey: string, nonce: string, timestampSeconds: number): void {
    this.purge();
    const expiresAt = Math.max(timestampSeconds * 1000, this.now()) + this.windowMs;
    this.seen.set(key(consumerKey, nonce), expiresAt);
  }

  get size(): number {
    return this.seen.size;
  }

  private purge(): void {
    const now = this.now();
    if (now - this.lastPurge < 1000 && now >= this.lastPurge) return;
    this.lastPurge = now;
    for (const [k, expiresAt] of this.seen) {
      if (expiresAt <= now) this.seen.delete(k);
    }
  }
}

function key(consumerKey: string, nonce: string): string {
  // The consumer key is ours and never contains a newline, so the join cannot collide.
  return `${consumerKey}\n${nonce}`;
}
