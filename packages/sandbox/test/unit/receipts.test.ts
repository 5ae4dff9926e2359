import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAILING_NUMBER, ReceiptSender } from '../../src/receipts.js';
import { TEST_NUMBERS } from '../../src/testNumbers.js';
import type { ReceiptJob } from '../../src/receipts.js';

// Receipts are timed with setTimeout; fake timers let these tests walk through the retries and
// their back-off in microseconds, and assert exactly when each attempt happens.
const DELAY = 1000;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

const job = (overrides: Partial<ReceiptJob> = {}): ReceiptJob => ({
  callback: 'http://consumer.test/webhooks/receipt?k=abc',
  from: 'Demo',
  to: '447700900000',
  clientRef: undefined,
  parts: [{ messageId: 'MSG-1', price: '0.03330000' }],
  network: '23410',
  ...overrides,
});

let fetchMock: ReturnType<typeof vi.fn<(url: URL, init?: RequestInit) => Promise<Response>>>;
let logs: string[];
let sender: ReceiptSender;

beforeEach(() => {
  vi.useFakeTimers();
  fetchMock = vi.fn<(url: URL, init?: RequestInit) => Promise<Response>>();
  vi.stubGlobal('fetch', fetchMock);
  logs = [];
  sender = new ReceiptSender({ now: () => NOW, delayMs: DELAY, apiKey: 'sandbox', log: (line) => logs.push(line) });
});
afterEach(() => {
  sender.close();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const answer = (status: number) => async () => new Response(status === 204 ? null : 'body', { status });
const calledUrl = (call: number): URL => new URL(String(fetchMock.mock.calls[call]?.[0]));

describe('delivery receipt retries', () => {
  it('sends each receipt after the delay, then retries a refused one three times with a growing pause before giving up', async () => {
    fetchMock.mockImplementation(answer(500));
    sender.schedule(job());

    // First attempt: delayMs after acceptance. Then pauses of delayMs·2^n + 100 ms after attempt n.
    const pauses = [DELAY, DELAY * 2 + 100, DELAY * 4 + 100, DELAY * 8 + 100];
    for (const [attempt, pause] of pauses.entries()) {
      await vi.advanceTimersByTimeAsync(pause - 1);
      expect(fetchMock, `attempt ${attempt + 1} must wait the full ${pause} ms`).toHaveBeenCalledTimes(attempt);
      await vi.advanceTimersByTimeAsync(1);
      expect(fetchMock).toHaveBeenCalledTimes(attempt + 1);
    }
    expect(logs).toEqual(['sandbox: delivery receipt not accepted after 4 attempts; giving up']);

    // Nothing is left pending after giving up.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    expect(fetchMock).toHaveBeenCalledTimes(4);
    // Every attempt sends the same receipt.
    expect(new Set(fetchMock.mock.calls.map(([url]) => String(url))).size).toBe(1);
  });

  it('treats a network error like a refusal, and stops as soon as a receipt is accepted', async () => {
    fetchMock
      .mockImplementationOnce(async () => {
        throw new TypeError('fetch failed');
      })
      .mockImplementationOnce(answer(503))
      .mockImplementation(answer(204));
    sender.schedule(job());

    await vi.advanceTimersByTimeAsync(DELAY);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(DELAY * 2 + 100);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(DELAY * 4 + 100);
    expect(fetchMock).toHaveBeenCalledTimes(3);

    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
    expect(logs).toEqual([]);
  });

  it('does not retry a receipt accepted at once, and never follows redirects', async () => {
    fetchMock.mockImplementation(answer(200));
    sender.schedule(job());
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]?.[1]).toMatchObject({ redirect: 'manual' });
  });

  it('treats a redirect as a refusal', async () => {
    fetchMock.mockImplementation(async () => new Response(null, { status: 302, headers: { location: '/elsewhere' } }));
    sender.schedule(job());
    await vi.advanceTimersByTimeAsync(DELAY);
    await vi.advanceTimersByTimeAsync(DELAY * 2 + 100);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('sends one receipt per part, each with its own retries', async () => {
    fetchMock.mockImplementation(async (url: URL) => new Response(null, { status: url.searchParams.get('messageId') === 'MSG-1' ? 200 : 500 }));
    sender.schedule(job({ parts: [{ messageId: 'MSG-1', price: '0.03330000' }, { messageId: 'MSG-2', price: '0.03330000' }] }));

    await vi.advanceTimersByTimeAsync(DELAY);
    expect(fetchMock.mock.calls.map((_, i) => calledUrl(i).searchParams.get('messageId'))).toEqual(['MSG-1', 'MSG-2']);
    await vi.advanceTimersByTimeAsync(DELAY * 2 + 100);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(calledUrl(2).searchParams.get('messageId')).toBe('MSG-2');
  });

  it("carries Nexmo's receipt fields on the callback URL, keeping its own query", async () => {
    fetchMock.mockImplementation(answer(200));
    sender.schedule(job({ clientRef: 'ref-7' }));
    sender.schedule(job({ to: FAILING_NUMBER, parts: [{ messageId: 'MSG-F', price: '0.03330000' }] }));
    await vi.advanceTimersByTimeAsync(DELAY);

    expect(Object.fromEntries(calledUrl(0).searchParams)).toEqual({
      k: 'abc',
      msisdn: '447700900000',
      to: 'Demo',
      'network-code': '23410',
      messageId: 'MSG-1',
      price: '0.03330000',
      status: 'delivered',
      scts: '2611231200',
      'err-code': '0',
      'api-key': 'sandbox',
      'message-timestamp': '2026-11-23 12:00:00',
      'client-ref': 'ref-7',
    });
    expect(calledUrl(1).searchParams.get('status')).toBe('failed');
    expect(calledUrl(1).searchParams.get('err-code')).toBe('2');
    expect(calledUrl(1).searchParams.has('client-ref')).toBe(false);
  });

  it('reports the test numbers that are never delivered as failed, each with its err-code', async () => {
    fetchMock.mockImplementation(answer(200));
    const undelivered = TEST_NUMBERS.filter((n) => n.outcome.kind === 'undelivered');
    expect(undelivered.map((n) => n.digits)).toEqual(['447700900999', '447700900998']);
    for (const n of undelivered) sender.schedule(job({ to: n.digits }));
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(fetchMock.mock.calls.map((_, i) => [calledUrl(i).searchParams.get('status'), calledUrl(i).searchParams.get('err-code')])).toEqual([
      ['failed', '2'],
      ['failed', '3'],
    ]);
  });

  it('close() cancels receipts not yet sent and retries not yet due', async () => {
    fetchMock.mockImplementation(answer(500));
    sender.schedule(job());
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    sender.schedule(job({ parts: [{ messageId: 'MSG-2', price: '0.03330000' }] }));
    expect(vi.getTimerCount()).toBe(2);

    sender.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
