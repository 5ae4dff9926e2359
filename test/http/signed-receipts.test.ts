import supertest from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { signReceipt } from '../../packages/sandbox/src/receiptSigning.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { VECTOR_FIELDS, VECTOR_METHODS, VECTOR_SECRET, VECTOR_SIGNATURES, VECTOR_SIGNED_AT_MS, type VectorMethod } from '../fixtures/receiptSignatureVectors.js';
import { expectNoSecretIn } from '../helpers/assertions.js';
import { sendSms } from '../helpers/smsForm.js';
import { connect, startTestApp, type TestApp } from '../helpers/testApp.js';

// Receipts that must be signed (NEXMO_SIGNATURE_SECRET) over HTTP with the real webhook. Valid
// receipts are signed by the sandbox's signer, its own code: the app's verifier shares nothing
// with it, and both are checked against Vonage's published vectors.

const key = 'test-receipt-key-0123456789abcdef';
const SECRET = 'signature-secret-for-receipts-0123';

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** The app's clock, standing still where the spec puts it; the sandbox answers OAuth on the real one, as a provider would. */
function stoppedClock(at: number) {
  return { now: () => at };
}

/** The app's clock when the sandbox's receipts must find it on time: the real one, read through the app's injection. */
const runningClock = () => ({ now: () => Date.now() });

async function start(method: VectorMethod, now: () => number, receiptDelayMs = 600_000) {
  const app = await startTestApp({ RECEIPT_KEY: key, NEXMO_SIGNATURE_SECRET: SECRET, NEXMO_SIGNATURE_METHOD: method }, { now, sandbox: { now: Date.now, receiptDelayMs } });
  apps.push(app);
  return app;
}

/** Connects and sends one SMS; returns the message page and its part's message-id. */
async function sendOne(app: TestApp, to = '447700900000') {
  const browser = await connect(app);
  const sent = await sendSms(browser, { to, text: 'Signed receipt test' });
  expect(sent.status).toBe(303);
  const page = sent.headers.location as string;
  const messageId = (await app.sandbox!.outbox())[0]!.messageIds[0]!;
  return { browser, page, messageId };
}

const receiptFields = (messageId: string, status = 'delivered') => ({
  messageId,
  msisdn: '447700900000',
  to: 'Demo',
  'network-code': '23410',
  price: '0.03330000',
  status,
  'err-code': status === 'delivered' ? '0' : '2',
  scts: '2611231200',
  'message-timestamp': '2026-11-23 12:00:00',
  'api-key': 'sandbox',
});

describe('signed receipts, for every method', () => {
  it.each(VECTOR_METHODS)('%s: a receipt signed with the secret is stored; a tampered, wrongly keyed, stale or unsigned one gets 401 and changes nothing', async (method) => {
    const time = stoppedClock(Date.UTC(2026, 10, 23, 12, 0, 0));
    const app = await start(method, time.now);
    const { browser, page, messageId } = await sendOne(app);
    const webhook = supertest(app.url);
    const receiptOf = async () => (await browser.get(`${page}/status.json`)).body.parts[0].receipt;

    const refusals: Array<[string, Record<string, string>, string]> = [
      ['a tampered value', { ...signReceipt(receiptFields(messageId, 'failed'), { secret: SECRET, method }, time.now()), status: 'delivered' }, 'the signature does not match (a changed field, or another signature secret or method)'],
      ['another secret', signReceipt(receiptFields(messageId), { secret: `${SECRET}-old`, method }, time.now()), 'the signature does not match (a changed field, or another signature secret or method)'],
      ['a stale timestamp', signReceipt(receiptFields(messageId), { secret: SECRET, method }, time.now() - 6 * 60_000), 'timestamp is 360 s behind this server’s clock (at most 300 s is accepted)'],
      ['no sig', (({ sig: _sig, ...rest }) => rest)(signReceipt(receiptFields(messageId), { secret: SECRET, method }, time.now())), 'it is not signed (no sig), and signed receipts are required'],
      ['no signature at all', receiptFields(messageId), 'it is not signed (no sig), and signed receipts are required'],
    ];
    for (const [name, fields, problem] of refusals) {
      const res = await webhook.get(`${RECEIPT_PATH}/${key}`).query(fields);
      expect(res.status, name).toBe(401);
      expect(res.type).toBe('text/plain');
      expect(res.text, name).toBe(`Receipt refused: ${problem}`);
      expect(await receiptOf(), `${name} changed nothing`).toBeNull();
    }
    expect(app.logs.filter((line) => line.startsWith('delivery receipt refused (401): '))).toHaveLength(refusals.length);

    // The same receipt, signed with the secret, as GET query, form and JSON alike.
    const signed = signReceipt(receiptFields(messageId, 'accepted'), { secret: SECRET, method }, time.now());
    expect((await webhook.get(`${RECEIPT_PATH}/${key}`).query(signed)).status).toBe(204);
    expect(await receiptOf()).toMatchObject({ status: 'accepted', final: false });
    const final = signReceipt(receiptFields(messageId), { secret: SECRET, method }, time.now());
    expect((await webhook.post(`${RECEIPT_PATH}/${key}`).type('form').send(final)).status).toBe(204);
    expect((await webhook.post(`${RECEIPT_PATH}/${key}`).send(final)).status).toBe(204);
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.complete).toBe(true);
    expect(status.parts[0].receipt).toMatchObject({ status: 'delivered', final: true });
    expectNoSecretIn(app.rawLogs, SECRET, key);
  });
});

describe('signed receipts arriving at once', () => {
  it('are each checked on their own: the signed ones applied (the final status wins), every forged one refused', async () => {
    const time = stoppedClock(Date.UTC(2026, 10, 23, 12, 0, 0));
    const app = await start('sha256', time.now);
    const { browser, page, messageId } = await sendOne(app);
    const webhook = supertest(app.url);
    const sign = (status: string, secret = SECRET) => signReceipt(receiptFields(messageId, status), { secret, method: 'sha256' }, time.now());
    const genuine = [...Array.from({ length: 6 }, () => sign('accepted')), ...Array.from({ length: 6 }, () => sign('delivered'))];
    const forged = [...Array.from({ length: 6 }, () => sign('failed', 'a-guessed-secret-value')), ...Array.from({ length: 6 }, () => ({ ...sign('accepted'), status: 'failed' }))];
    const answers = await Promise.all([...genuine, ...forged].map((fields, i) => (i % 2 === 0 ? webhook.get(`${RECEIPT_PATH}/${key}`).query(fields) : webhook.post(`${RECEIPT_PATH}/${key}`).type('form').send(fields))));
    expect(answers.map((res) => res.status)).toEqual([...genuine.map(() => 204), ...forged.map(() => 401)]);
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.complete).toBe(true);
    expect(status.parts[0].receipt).toMatchObject({ status: 'delivered', final: true });
    expect(app.logs.filter((line) => line.startsWith('delivery receipt refused (401): '))).toHaveLength(forged.length);
  });
});

describe('the published vectors, through the webhook', () => {
  async function vectorApp(method: VectorMethod) {
    const app = await startTestApp({ RECEIPT_KEY: key, NEXMO_SIGNATURE_SECRET: VECTOR_SECRET, NEXMO_SIGNATURE_METHOD: method }, { now: () => VECTOR_SIGNED_AT_MS, sandbox: { now: Date.now } });
    apps.push(app);
    return app;
  }

  it.each(VECTOR_METHODS)('%s: the signed fields pass the check (then, being an inbound message, are no receipt: 400), and a changed text is 401', async (method) => {
    const app = await vectorApp(method);
    const webhook = supertest(app.url);
    const fields = { ...VECTOR_FIELDS, sig: VECTOR_SIGNATURES[method] };
    for (const res of [await webhook.get(`${RECEIPT_PATH}/${key}`).query(fields), await webhook.post(`${RECEIPT_PATH}/${key}`).type('form').send(fields), await webhook.post(`${RECEIPT_PATH}/${key}`).send(fields)]) {
      expect(res.status).toBe(400);
      expect(res.text).toBe('Receipt refused: status is missing or unknown');
    }
    const tampered = await webhook.get(`${RECEIPT_PATH}/${key}`).query({ ...fields, text: 'Test again.' });
    expect(tampered.status).toBe(401);
    expect(tampered.text).toBe('Receipt refused: the signature does not match (a changed field, or another signature secret or method)');
    expectNoSecretIn(app.rawLogs, VECTOR_SECRET);
  });
});

describe('receipts the sandbox signs', () => {
  it.each(VECTOR_METHODS)('%s: are accepted end to end, accepted then delivered, and none is refused', async (method) => {
    const app = await start(method, runningClock().now, 20);
    const { browser, page } = await sendOne(app);
    await vi.waitFor(async () => expect((await browser.get(`${page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.parts[0].receipt).toMatchObject({ status: 'delivered', final: true });
    const receipts = app.logs.filter((line) => line.startsWith('delivery receipt'));
    expect(receipts).toEqual(['delivery receipt: accepted err-code=0', 'delivery receipt: delivered err-code=0']);
    expectNoSecretIn(app.rawLogs, SECRET);
  });

  it('are refused when the app expects another secret, and the message keeps waiting', async () => {
    const app = await startTestApp({ RECEIPT_KEY: key, NEXMO_SIGNATURE_SECRET: SECRET, NEXMO_SIGNATURE_METHOD: 'sha256' }, { now: runningClock().now, sandbox: { now: Date.now, receiptDelayMs: 20, receiptSignature: { secret: 'the-sandbox-has-another-secret', method: 'sha256' } } });
    apps.push(app);
    const { browser, page } = await sendOne(app);
    await vi.waitFor(() => expect(app.logs.filter((line) => line.startsWith('delivery receipt refused (401)'))).toHaveLength(2), { timeout: 10_000, interval: 50 });
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.complete).toBe(false);
    expect(status.parts[0].receipt).toBeNull();
    expectNoSecretIn(app.rawLogs, SECRET, 'the-sandbox-has-another-secret');
  });
});
