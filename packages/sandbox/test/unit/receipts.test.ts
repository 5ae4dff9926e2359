import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAILING_NUMBER, ReceiptSender } from '../../src/receipts.js';
import { receiptSig } from '../../src/receiptSigning.js';
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
/** The receipts sent so far, in order: [messageId, status, err-code]. */
const sent = () => fetchMock.mock.calls.map(([url]) => new URL(String(url)).searchParams).map((q) => [q.get('messageId'), q.get('status'), q.get('err-code')]);
/** Refuses the `accepted` receipts only, so a test can follow their retries alone. */
const refuseAccepted = (status: number) => async (url: URL) => new Response(null, { status: url.searchParams.get('status') === 'accepted' ? status : 204 });
const acceptedCalls = () => fetchMock.mock.calls.filter(([url]) => new URL(String(url)).searchParams.get('status') === 'accepted').length;

describe('delivery receipt retries', () => {
  it('sends each receipt after the delay, then retries a refused one three times with a growing pause before giving up', async () => {
    fetchMock.mockImplementation(refuseAccepted(500));
    sender.schedule(job());

    // First attempt: delayMs after acceptance. Then pauses of delayMs·2^n + 100 ms after attempt n.
    const pauses = [DELAY, DELAY * 2 + 100, DELAY * 4 + 100, DELAY * 8 + 100];
    for (const [attempt, pause] of pauses.entries()) {
      await vi.advanceTimersByTimeAsync(pause - 1);
      expect(acceptedCalls(), `attempt ${attempt + 1} must wait the full ${pause} ms`).toBe(attempt);
      await vi.advanceTimersByTimeAsync(1);
      expect(acceptedCalls()).toBe(attempt + 1);
    }
    expect(logs).toEqual(['sandbox: delivery receipt not accepted after 4 attempts; giving up']);

    // Nothing is left pending after giving up; the final receipt went once, when it was due.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    expect(fetchMock).toHaveBeenCalledTimes(5);
    expect(sent().filter(([, status]) => status === 'delivered')).toEqual([['MSG-1', 'delivered', '0']]);
    // Every attempt sends the same receipt.
    const accepted = fetchMock.mock.calls.map(([url]) => String(url)).filter((url) => url.includes('status=accepted'));
    expect(new Set(accepted).size).toBe(1);
  });

  it('treats a network error like a refusal, and stops as soon as a receipt is accepted', async () => {
    fetchMock
      .mockImplementationOnce(async () => {
        throw new TypeError('fetch failed');
      })
      .mockImplementation(refuseAccepted(204));
    sender.schedule(job());

    await vi.advanceTimersByTimeAsync(DELAY);
    expect(acceptedCalls()).toBe(1);
    await vi.advanceTimersByTimeAsync(DELAY * 2 + 100);
    expect(acceptedCalls()).toBe(2);

    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(acceptedCalls()).toBe(2);
    expect(sent()).toEqual([
      ['MSG-1', 'accepted', '0'],
      ['MSG-1', 'delivered', '0'],
      ['MSG-1', 'accepted', '0'],
    ]);
    expect(vi.getTimerCount()).toBe(0);
    expect(logs).toEqual([]);
  });

  it('does not retry a receipt accepted at once, and never follows redirects', async () => {
    fetchMock.mockImplementation(answer(200));
    sender.schedule(job());
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(sent()).toEqual([
      ['MSG-1', 'accepted', '0'],
      ['MSG-1', 'delivered', '0'],
    ]);
    expect(fetchMock.mock.calls[0]?.[1]).toMatchObject({ redirect: 'manual' });
  });

  it('treats a redirect as a refusal', async () => {
    fetchMock.mockImplementation(async () => new Response(null, { status: 302, headers: { location: '/elsewhere' } }));
    sender.schedule(job());
    await vi.advanceTimersByTimeAsync(DELAY);
    await vi.advanceTimersByTimeAsync(DELAY * 2 + 100);
    expect(acceptedCalls()).toBe(2);
  });

  it('sends one receipt per part, each with its own retries', async () => {
    fetchMock.mockImplementation(async (url: URL) => new Response(null, { status: url.searchParams.get('messageId') === 'MSG-1' ? 200 : 500 }));
    sender.schedule(job({ parts: [{ messageId: 'MSG-1', price: '0.03330000' }, { messageId: 'MSG-2', price: '0.03330000' }] }));

    await vi.advanceTimersByTimeAsync(DELAY);
    expect(sent()).toEqual([
      ['MSG-1', 'accepted', '0'],
      ['MSG-2', 'accepted', '0'],
    ]);
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(sent().slice(2)).toEqual([
      ['MSG-1', 'delivered', '0'],
      ['MSG-2', 'delivered', '0'],
    ]);
    // MSG-2's accepted receipt is tried again 2·delay + 100 ms after its first attempt.
    await vi.advanceTimersByTimeAsync(DELAY + 100);
    expect(sent().slice(4)).toEqual([['MSG-2', 'accepted', '0']]);
  });

  it("carries Nexmo's receipt fields on the callback URL, keeping its own query", async () => {
    fetchMock.mockImplementation(answer(200));
    sender.schedule(job({ clientRef: 'ref-7' }));
    sender.schedule(job({ to: FAILING_NUMBER, parts: [{ messageId: 'MSG-F', price: '0.03330000' }] }));
    await vi.advanceTimersByTimeAsync(DELAY * 2);

    expect(Object.fromEntries(calledUrl(2).searchParams)).toEqual({
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
    expect(calledUrl(0).searchParams.get('status')).toBe('accepted');
    expect(calledUrl(3).searchParams.get('status')).toBe('failed');
    expect(calledUrl(3).searchParams.get('err-code')).toBe('2');
    expect(calledUrl(3).searchParams.has('client-ref')).toBe(false);
  });

  it('reports the test numbers that are never delivered as failed, each with its err-code', async () => {
    fetchMock.mockImplementation(answer(200));
    const undelivered = TEST_NUMBERS.filter((n) => n.outcome.kind === 'undelivered');
    expect(undelivered.map((n) => n.digits)).toEqual(['447700900999', '447700900998']);
    for (const n of undelivered) sender.schedule(job({ to: n.digits }));
    await vi.advanceTimersByTimeAsync(DELAY * 2);
    expect(sent().map(([, status, errCode]) => [status, errCode])).toEqual([
      ['accepted', '0'],
      ['accepted', '0'],
      ['failed', '2'],
      ['failed', '3'],
    ]);
  });

  it('sends a buffered part accepted, buffered, then delivered later; an expiring one buffered, then expired', async () => {
    fetchMock.mockImplementation(answer(204));
    sender.schedule(job({ to: '447700900902', parts: [{ messageId: 'MSG-B', price: '0.03330000' }] }));
    sender.schedule(job({ to: '447700900903', parts: [{ messageId: 'MSG-E', price: '0.03330000' }] }));
    const at = async (units: number, expected: string[][]) => {
      await vi.advanceTimersByTimeAsync(DELAY * units);
      expect(sent()).toEqual(expected);
    };
    await at(1, [['MSG-B', 'accepted', '0'], ['MSG-E', 'accepted', '0']]);
    await at(1, [['MSG-B', 'accepted', '0'], ['MSG-E', 'accepted', '0'], ['MSG-B', 'buffered', '2'], ['MSG-E', 'buffered', '2']]);
    await at(2, [['MSG-B', 'accepted', '0'], ['MSG-E', 'accepted', '0'], ['MSG-B', 'buffered', '2'], ['MSG-E', 'buffered', '2'], ['MSG-E', 'expired', '2']]);
    await at(2, [['MSG-B', 'accepted', '0'], ['MSG-E', 'accepted', '0'], ['MSG-B', 'buffered', '2'], ['MSG-E', 'buffered', '2'], ['MSG-E', 'expired', '2'], ['MSG-B', 'delivered', '0']]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('signs every receipt with timestamp, nonce and sig when given a signature secret, afresh at each attempt', async () => {
    let clock = NOW;
    const signature = { secret: 'my_secret_key_for_testing', method: 'sha256' as const };
    const signing = new ReceiptSender({ now: () => clock, delayMs: DELAY, apiKey: 'sandbox', signature, log: () => {} });
    fetchMock.mockImplementation(refuseAccepted(500));
    signing.schedule(job());
    await vi.advanceTimersByTimeAsync(DELAY);
    clock += 60_000;
    await vi.advanceTimersByTimeAsync(DELAY * 2 + 100);
    signing.close();
    const [first, , retry] = fetchMock.mock.calls.map(([url]) => Object.fromEntries(new URL(String(url)).searchParams));
    expect(first).toMatchObject({ status: 'accepted', timestamp: String(NOW / 1000), sig: expect.stringMatching(/^[0-9A-F]{64}$/) });
    expect(first!.nonce).toMatch(/^[0-9a-f-]{36}$/);
    // The signature covers every field the sandbox sends but sig (the callback URL's own query is not its to sign).
    const { sig, k: _k, ...signed } = first!;
    expect(receiptSig(signed, signature)).toBe(sig);
    expect(retry).toMatchObject({ status: 'accepted', timestamp: String((NOW + 60_000) / 1000) });
    expect(retry!.nonce).not.toBe(first!.nonce);
    const { k: _retryK, ...retried } = retry!;
    expect(receiptSig(retried, signature)).toBe(retry!.sig);
  });

  it('close() cancels receipts not yet sent and retries not yet due', async () => {
    fetchMock.mockImplementation(answer(500));
    sender.schedule(job());
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    sender.schedule(job({ parts: [{ messageId: 'MSG-2', price: '0.03330000' }] }));
    // The first part's retry and final receipt, and the second part's two receipts.
    expect(vi.getTimerCount()).toBe(4);

    sender.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
