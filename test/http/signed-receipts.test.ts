// Receipts that must be signed (NEXMO_SIGNATURE_SECRET), end to end: the sandbox signs each
// receipt it sends as Nexmo would for the account, with its own code, and the app's verifier
// takes them, or refuses them all when the secrets differ. Every kind of forged or stale
// receipt, and Vonage's published vectors, at the webhook: test/routes/signed-receipts.
import { describe, expect, it, vi } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { connect } from '../helpers/login.js';
import { sendSms } from '../helpers/smsForm.js';
import { useTestApp, type TestApp } from '../helpers/testApp.js';
import { VECTOR_METHODS, type VectorMethod } from '../fixtures/receiptSignatureVectors.js';

const key = 'test-receipt-key-0123456789abcdef';
const SECRET = 'signature-secret-for-receipts-0123';

const startTestApp = useTestApp();

/** The app's clock when the sandbox's receipts must find it on time: the real one, read through the app's injection. */
const runningClock = () => ({ now: () => Date.now() });

/** The sandbox sends its receipts 20 ms apart, signed as `receiptSignature` says (as the app expects, by default). */
function start(method: VectorMethod, receiptSignature?: { secret: string; method: VectorMethod }) {
  return startTestApp({ RECEIPT_KEY: key, NEXMO_SIGNATURE_SECRET: SECRET, NEXMO_SIGNATURE_METHOD: method }, { now: runningClock().now, sandbox: { now: Date.now, receiptDelayMs: 20, ...(receiptSignature ? { receiptSignature } : {}) } });
}

/** Connects and sends one SMS; returns the message page. */
async function sendOne(app: TestApp, to = '447700900000') {
  const browser = await connect(app);
  const sent = await sendSms(browser, { to, text: 'Signed receipt test' });
  expect(sent.status).toBe(303);
  return { browser, page: sent.headers.location as string };
}

describe('receipts the sandbox signs', () => {
  it.each(VECTOR_METHODS)('%s: are accepted end to end, accepted then delivered, and none is refused', async (method) => {
    const app = await start(method);
    const { browser, page } = await sendOne(app);
    await vi.waitFor(async () => expect((await browser.get(`${page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.parts[0].receipt).toMatchObject({ status: 'delivered', final: true });
    const receipts = app.logs.filter((line) => line.startsWith('delivery receipt'));
    expect(receipts).toEqual(['delivery receipt: accepted err-code=0', 'delivery receipt: delivered err-code=0']);
    expectNoSecretIn(app.rawLogs, SECRET);
  });

  it('are refused when the app expects another secret, and the message keeps waiting', async () => {
    const app = await start('sha256', { secret: 'the-sandbox-has-another-secret', method: 'sha256' });
    const { browser, page } = await sendOne(app);
    await vi.waitFor(() => expect(app.logs.filter((line) => line.startsWith('delivery receipt refused (401)'))).toHaveLength(2), { timeout: 10_000, interval: 50 });
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.complete).toBe(false);
    expect(status.parts[0].receipt).toBeNull();
    expectNoSecretIn(app.rawLogs, SECRET, 'the-sandbox-has-another-secret');
  });
});
