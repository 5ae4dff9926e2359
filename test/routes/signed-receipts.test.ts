// Receipts that must be signed (NEXMO_SIGNATURE_SECRET), at the webhook of the app with the fake
// provider. Valid receipts are signed by the sandbox's signer, its own code: the app's verifier
// shares nothing with it, and both are checked against Vonage's published vectors. The sandbox
// signing its own receipts end to end: test/http/signed-receipts.
import { describe, expect, it } from 'vitest';

import { signReceipt } from '../../packages/sandbox/src/receiptSigning.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { VECTOR_FIELDS, VECTOR_METHODS, VECTOR_SECRET, VECTOR_SIGNATURES, VECTOR_SIGNED_AT_MS, type VectorMethod } from '../fixtures/receiptSignatureVectors.js';
import { expectNoSecretIn } from '../helpers/assertions.js';
import { sentOutcome } from '../helpers/fakeNexmo.js';
import { connect } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';
import { sendSms } from '../helpers/smsForm.js';

const key = 'test-receipt-key-0123456789abcdef';
const SECRET = 'signature-secret-for-receipts-0123';

const createRouteApp = useRouteApp();

/** The app's clock, standing still where the spec puts it. */
function stoppedClock(at: number) {
  return { now: () => at };
}

function start(method: VectorMethod, now: () => number) {
  return createRouteApp({ RECEIPT_KEY: key, NEXMO_SIGNATURE_SECRET: SECRET, NEXMO_SIGNATURE_METHOD: method }, { now, sandbox: {} });
}

/** Connects and sends one SMS, which the provider accepts as one part; returns the message page and that part's message-id. */
async function sendOne(route: RouteApp, to = '447700900000') {
  const browser = await connect(route);
  const messageId = '0A00000000000007';
  route.nexmo.answerSend(sentOutcome(messageId, to));
  const sent = await sendSms(browser, { to, text: 'Signed receipt test' });
  expect(sent.status).toBe(303);
  return { browser, page: sent.headers.location as string, messageId };
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
    const route = start(method, time.now);
    const { browser, page, messageId } = await sendOne(route);
    const webhook = route.browser();
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
    expect(route.logs.filter((line) => line.startsWith('delivery receipt refused (401): '))).toHaveLength(refusals.length);

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
    expectNoSecretIn(route.rawLogs, SECRET, key);
  });
});

describe('signed receipts arriving at once', () => {
  it('are each checked on their own: the signed ones applied (the final status wins), every forged one refused', async () => {
    const time = stoppedClock(Date.UTC(2026, 10, 23, 12, 0, 0));
    const route = start('sha256', time.now);
    const { browser, page, messageId } = await sendOne(route);
    const webhook = route.browser();
    const sign = (status: string, secret = SECRET) => signReceipt(receiptFields(messageId, status), { secret, method: 'sha256' }, time.now());
    const genuine = [...Array.from({ length: 6 }, () => sign('accepted')), ...Array.from({ length: 6 }, () => sign('delivered'))];
    const forged = [...Array.from({ length: 6 }, () => sign('failed', 'a-guessed-secret-value')), ...Array.from({ length: 6 }, () => ({ ...sign('accepted'), status: 'failed' }))];
    const answers = await Promise.all([...genuine, ...forged].map((fields, i) => (i % 2 === 0 ? webhook.get(`${RECEIPT_PATH}/${key}`).query(fields) : webhook.post(`${RECEIPT_PATH}/${key}`).type('form').send(fields))));
    expect(answers.map((res) => res.status)).toEqual([...genuine.map(() => 204), ...forged.map(() => 401)]);
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.complete).toBe(true);
    expect(status.parts[0].receipt).toMatchObject({ status: 'delivered', final: true });
    expect(route.logs.filter((line) => line.startsWith('delivery receipt refused (401): '))).toHaveLength(forged.length);
  });
});

describe('the published vectors, through the webhook', () => {
  const vectorApp = (method: VectorMethod) => createRouteApp({ RECEIPT_KEY: key, NEXMO_SIGNATURE_SECRET: VECTOR_SECRET, NEXMO_SIGNATURE_METHOD: method }, { now: () => VECTOR_SIGNED_AT_MS, sandbox: {} });

  it.each(VECTOR_METHODS)('%s: the signed fields pass the check (then, being an inbound message, are no receipt: 400), and a changed text is 401', async (method) => {
    const route = vectorApp(method);
    const webhook = route.browser();
    const fields = { ...VECTOR_FIELDS, sig: VECTOR_SIGNATURES[method] };
    for (const res of [await webhook.get(`${RECEIPT_PATH}/${key}`).query(fields), await webhook.post(`${RECEIPT_PATH}/${key}`).type('form').send(fields), await webhook.post(`${RECEIPT_PATH}/${key}`).send(fields)]) {
      expect(res.status).toBe(400);
      expect(res.text).toBe('Receipt refused: status is missing or unknown');
    }
    const tampered = await webhook.get(`${RECEIPT_PATH}/${key}`).query({ ...fields, text: 'Test again.' });
    expect(tampered.status).toBe(401);
    expect(tampered.text).toBe('Receipt refused: the signature does not match (a changed field, or another signature secret or method)');
    expectNoSecretIn(route.rawLogs, VECTOR_SECRET);
  });
});
