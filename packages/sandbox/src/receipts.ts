/**
 * Delivery receipts, as Nexmo sends them: GETs to the message's `callback` URL, per part. Each
 * part first gets an `accepted` receipt (the network has it), then its final one; a part to a
 * phone that is off is `buffered` in between (see STEPS). Each receipt that isn't answered with
 * 2xx is tried again a few times (Nexmo keeps trying for up to 72 hours; a demo gives up sooner).
 * With a signature option every receipt is signed (receiptSigning.ts), afresh at each attempt.
 *
 * For demos, some recipient numbers end otherwise: see testNumbers.ts.
 */
import { signReceipt, type ReceiptSignature } from './receiptSigning.js';
import { outcomeFor, type TestNumberOutcome } from './testNumbers.js';

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

/** One receipt of a part's timeline: its status, err-code, and when, in units of `delayMs` after acceptance. */
export interface ReceiptStep {
  status: 'accepted' | 'buffered' | 'delivered' | 'failed' | 'expired';
  errCode: string;
  after: number;
}

/** The receipts each kind of recipient gets, in order. */
export function stepsFor(outcome: TestNumberOutcome): ReceiptStep[] {
  const accepted: ReceiptStep = { status: 'accepted', errCode: '0', after: 1 };
  switch (outcome.kind) {
    case 'undelivered':
      return [accepted, { status: 'failed', errCode: outcome.errCode, after: 2 }];
    case 'buffered':
      return [accepted, { status: 'buffered', errCode: '2', after: 2 }, { status: 'delivered', errCode: '0', after: 6 }];
    case 'expired':
      return [accepted, { status: 'buffered', errCode: '2', after: 2 }, { status: 'expired', errCode: '2', after: 4 }];
    case 'refused':
    case 'delivered':
      return [accepted, { status: 'delivered', errCode: '0', after: 2 }];
  }
}

const ATTEMPTS = 4;

type Part = { messageId: string; price: string };

export class ReceiptSender {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: { now: () => number; delayMs: number; apiKey: string; signature?: ReceiptSignature | undefined; log: (line: string) => void },
  ) {}

  schedule(job: ReceiptJob): void {
    const steps = stepsFor(outcomeFor(job.to));
    for (const part of job.parts) {
      for (const step of steps) this.later(this.options.delayMs * step.after, () => this.deliver(job, part, step, 1));
    }
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

  private async deliver(job: ReceiptJob, part: Part, step: ReceiptStep, attempt: number): Promise<void> {
    const url = new URL(job.callback);
    for (const [name, value] of Object.entries(this.fields(job, part, step))) url.searchParams.set(name, value);
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
    this.later(this.options.delayMs * 2 ** attempt + 100, () => this.deliver(job, part, step, attempt + 1));
  }

  private fields(job: ReceiptJob, part: Part, step: ReceiptStep): Record<string, string> {
    const nowMs = this.options.now();
    const iso = new Date(nowMs).toISOString();
    const fields: Record<string, string> = {
      msisdn: job.to,
      to: job.from,
      'network-code': job.network,
      messageId: part.messageId,
      price: part.price,
      status: step.status,
      // When the carrier reported the status (YYMMDDHHMM, UTC); the sandbox's carrier is instant.
      scts: `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}`,
      'err-code': step.errCode,
      'api-key': this.options.apiKey,
      'message-timestamp': `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
    };
    if (job.clientRef !== undefined) fields['client-ref'] = job.clientRef;
    return this.options.signature ? signReceipt(fields, this.options.signature, nowMs) : fields;
  }
}
