/**
 * What the sandbox "delivered". Bounded, because the sandbox may run for days as a demo and a
 * looping client must not grow it without limit; the oldest entries fall off first.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { renderPage } from './pages.js';

export interface OutboxEntry {
  readonly id: string;
  /** ISO 8601 time of acceptance. */
  readonly at: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly type: 'text' | 'unicode';
  readonly parts: number;
  readonly messageIds: readonly string[];
}

export const OUTBOX_LIMIT = 500;

export class Outbox {
  /** Newest first, so reading never needs a copy-and-reverse. */
  private readonly entries: OutboxEntry[] = [];

  record(entry: Omit<OutboxEntry, 'id'>): OutboxEntry {
    const full: OutboxEntry = Object.freeze({
      ...entry,
      id: randomBytes(8).toString('hex'),
      messageIds: Object.freeze([...entry.messageIds]),
    });
    this.entries.unshift(full);
    if (this.entries.length > OUTBOX_LIMIT) this.entries.length = OUTBOX_LIMIT;
    return full;
  }

  list(): ReadonlyArray<OutboxEntry> {
    return this.entries.slice();
  }
}

/**
 * Message ids look like Nexmo's (16 upper-case hex digits, consecutive within one message).
 * A counter from a random start is unique for the process without remembering every id.
 */
export class MessageIds {
  private counter = BigInt(`0x${randomBytes(7).toString('hex')}`);

  next(): string {
    this.counter += 1n;
    return this.counter.toString(16).toUpperCase().padStart(16, '0');
  }
}

/** GET /outbox: what the sandbox delivered, for people checking that a message went out. */
export function mountOutboxPage(router: Router, outbox: Outbox): void {
  router.get('/outbox', function outboxPage(req: Request, res: Response) {
    renderPage(req, res, 'outbox', { entries: outbox.list() });
  });
}
