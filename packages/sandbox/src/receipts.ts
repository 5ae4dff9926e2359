/**
 * Delivery receipts, as Nexmo sends them: one GET per part to the message's `callback` URL,
 * a little after the message was accepted. A receipt that isn't answered with 2xx is tried
 * again a few times (Nexmo keeps trying for up to 72 hours; a demo gives up sooner).
 *
 * For demos, some recipient numbers always fail: see testNumbers.ts.
 */
import { outcomeFor } from './testNumbers.js';

/** Messages to this number (in Ofcom's range for drama) get a "failed" receipt: absent subscriber. */
export const FAILING_NUMBER = '447700900999';

export interface ReceiptJob {
  callback: string;
  from: string;
  to: string;
  clientRef: string | undefined;
  parts: ReadonlyArray<{ messageId: string; price: string }>;
  network: string;
}

const ATTEMPTS = 4;

export class ReceiptSender {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: { now: () => number; delayMs: number; apiKey: string; log: (line: string) => void },
  ) {}

  schedule(job: ReceiptJob): void {
    for (const part of job.parts) this.later(this.options.delayMs, () => this.deliver(job, part, 1));
  }

  /** Stops every pending receipt (shutdown, tests). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, ms);
    // A pending receipt must never keep the process alive on its own.
    timer.unref();
    this.timers.add(timer);
  }

  private async deliver(job: ReceiptJob, part: { messageId: string; price: string }, attempt: number): Promise<void> {
    const url = new URL(job.callback);
    for (const [name, value] of Object.entries(this.fields(job, part))) url.searchParams.set(name, value);
    let ok = false;
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      ok = res.status >= 200 && res.status < 300;
      await res.body?.cancel();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (attempt >= ATTEMPTS) {
      this.options.log(`sandbox: delivery receipt not accepted after ${ATTEMPTS} attempts; giving up`);
      return;
    }
    this.later(this.options.delayMs * 2 ** attempt + 100, () => this.deliver(job, part, attempt + 1));
  }

  private fields(job: ReceiptJob, part: { messageId: string; price: string }): Record<string, string> {
    const outcome = outcomeFor(job.to);
    const failed = outcome.kind === 'undelivered';
    const at = new Date(this.options.now());
    const iso = at.toISOString();
    const fields: Record<string, string> = {
      msisdn: job.to,
      to: job.from,
      'network-code': job.network,
      messageId: part.messageId,
      price: part.price,
      status: failed ? 'failed' : 'delivered',
      scts: `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`,
      'err-code': failed ? outcome.errCode : '0',
      'api-key': this.options.apiKey,
      'message-timestamp': `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
    };
    if (job.clientRef !== undefined) fields['client-ref'] = job.clientRef;
    return fields;
  }
}
