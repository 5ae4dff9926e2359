/**
 * What the sandbox "delivered", kept in its storage. Bounded, because the sandbox may run for
 * days as a demo and a looping client must not grow it without limit; the oldest entries fall
 * off first. The page that shows it, one account at a time, is in demoOutboxPage.ts.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxStorage } from './storage.js';

export interface OutboxEntry {
  readonly id: string;
  /** ISO 8601 time of acceptance. */
  readonly at: string;
  /** The sandbox account that sent it. */
  readonly account: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly type: 'text' | 'unicode';
  readonly parts: number;
  readonly messageIds: readonly string[];
}

export const OUTBOX_LIMIT = 500;

const OUTBOX = 'sandbox:outbox';

export class Outbox {
  constructor(private readonly storage: SandboxStorage) {}

  async record(entry: Omit<OutboxEntry, 'id'>): Promise<OutboxEntry> {
    const full: OutboxEntry = { ...entry, id: randomBytes(8).toString('hex'), messageIds: [...entry.messageIds] };
    await this.storage.pushCapped(OUTBOX, JSON.stringify(full), OUTBOX_LIMIT);
    return freeze(full);
  }

  /** Newest first. */
  async list(): Promise<ReadonlyArray<OutboxEntry>> {
    return (await this.storage.range(OUTBOX, OUTBOX_LIMIT)).map((raw) => freeze(JSON.parse(raw) as OutboxEntry));
  }
}

function freeze(entry: OutboxEntry): OutboxEntry {
  return Object.freeze({ ...entry, messageIds: Object.freeze([...entry.messageIds]) });
}

/** Where the ids start: a random point, written once (a value, so a storage may seal it). */
const MESSAGE_ID_START = 'sandbox:message-id-start';
/** How many ids were handed out: a counter, only ever written by incrBy. */
const MESSAGE_ID_COUNT = 'sandbox:message-id-count';

/**
 * Message ids look like Nexmo's (16 upper-case hex digits, consecutive within one message).
 * A random start and one counter in the storage are unique across restarts and instances
 * without remembering every id. They are two keys because a counter is only ever written by
 * `incrBy` (a storage may keep counters apart from values, as the app's sealed storage does).
 */
export class MessageIds {
  private start = 0;

  constructor(private readonly storage: SandboxStorage) {}

  /** Picks the random start, unless the storage already has one (another instance's, or before a restart). */
  async init(): Promise<void> {
    // 48 bits: far from the 53 bits a JavaScript number holds exactly.
    await this.storage.setIfAbsent(MESSAGE_ID_START, String(parseInt(randomBytes(6).toString('hex'), 16)));
    const start = Number(await this.storage.get(MESSAGE_ID_START));
    if (!Number.isSafeInteger(start)) throw new Error('the sandbox storage holds no usable message-id start');
    this.start = start;
  }

  /** `count` consecutive ids, reserved in one atomic step. */
  async next(count: number): Promise<string[]> {
    const last = this.start + (await this.storage.incrBy(MESSAGE_ID_COUNT, count));
    return Array.from({ length: count }, (_, i) => (last - count + 1 + i).toString(16).toUpperCase().padStart(16, '0'));
  }
}
