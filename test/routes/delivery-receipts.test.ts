// The delivery-receipt webhook over the app, with the fake provider: receipts in every form
// Nexmo sends them, at the right key only, checked before anything is stored, and kept to the
// connection whose message they are about. The sandbox's own receipts: test/http/carrier-timeline.
import { beforeEach, describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { expectNoSecretIn } from '../helpers/assertions.js';
import { sentOutcome } from '../helpers/fakeNexmo.js';
import { smsFormTokens } from '../helpers/html.js';
import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();
let route: RouteApp;
let browser: ConnectedBrowser;
let resultUrl: string;
const messageId = '0A00000000000042';
const key = 'test-receipt-key-0123456789abcdef';

beforeEach(async () => {
  route = createRouteApp({ RECEIPT_KEY: key }, { sandbox: {} });
  browser = await connect(route);
  route.nexmo.answerSend(sentOutcome(messageId));
  const form = await browser.get('/sms');
  const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'Receipt test' });
  expect(sent.status).toBe(303);
  resultUrl = sent.headers.location as string;
});

const webhook = () => route.browser();
const receipt = (fields: Record<string, string> = {}) => ({
  messageId,
  msisdn: '447700900000',
  to: 'Demo',
  'network-code': '23410',
  price: '0.03330000',
  status: 'delivered',
  'err-code': '0',
  scts: '2611231200',
  'message-timestamp': '2026-11-23 12:00:00',
  ...fields,
});

describe('delivery receipts', () => {
  it.each([
    ['GET with a query string', () => webhook().get(`${RECEIPT_PATH}/${key}`).query(receipt())],
    ['POST with a form body', () => webhook().post(`${RECEIPT_PATH}/${key}`).type('form').send(receipt())],
    ['POST with a JSON body', () => webhook().post(`${RECEIPT_PATH}/${key}`).send(receipt())],
  ])('are accepted as %s and shown on the message page', async (_name, deliver) => {
    const before = await browser.get(resultUrl);
    expect(before.text).toContain('Waiting for receipt');
    const res = await deliver();
    expect(res.status).toBe(204);
    const after = await browser.get(resultUrl);
    expect(after.text).toContain('Delivered');
    expect(after.text).not.toContain('Waiting for receipt');
    const json = (await browser.get(`${resultUrl}/status.json`)).body;
    expect(json.complete).toBe(true);
    expect(json.parts[0].receipt).toMatchObject({ status: 'delivered', at: '2026-11-23T12:00:00.000Z' });
    expect(route.logEntries.some((e) => e.path === `${RECEIPT_PATH}/:key` && e.statusCode === 204)).toBe(true);
    expectNoSecretIn(route.rawLogs, key);
  });

  it('refuses receipts sent to a URL without the right key, and stores nothing', async () => {
    const res = await webhook().get(`${RECEIPT_PATH}/wrong-key`).query(receipt());
    expect(res.status).toBe(404);
    expect((await browser.get(resultUrl)).text).toContain('Waiting for receipt');
  });

  it.each([
    ['no messageId', { messageId: '' }],
    ['an unknown status', { status: 'teleported' }],
    ['a non-numeric err-code', { 'err-code': 'x' }],
    ['a messageId with markup', { messageId: '<script>' }],
  ])('answers a receipt with %s with 400 and stores nothing', async (_name, fields) => {
    const res = await webhook().get(`${RECEIPT_PATH}/${key}`).query(receipt(fields));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/^Receipt refused: /);
    expect((await browser.get(resultUrl)).text).toContain('Waiting for receipt');
  });

  it('accepts a receipt for an unknown message with 204, so the sender does not retry for hours, and changes no other message', async () => {
    const res = await webhook().get(`${RECEIPT_PATH}/${key}`).query(receipt({ messageId: 'FFFFFFFFFFFFFFFF' }));
    expect(res.status).toBe(204);
    expect((await browser.get(resultUrl)).text).toContain('Waiting for receipt');
    expect(route.logs.some((line) => line.includes('(send not stored yet: kept)'))).toBe(true);
  });

  it('never logs the key, even when the URL is spelled in capitals (routing ignores case)', async () => {
    const shouted = `${RECEIPT_PATH.toUpperCase()}/${key}`;
    const res = await webhook().get(shouted).query(receipt());
    expect(res.status).toBe(204);
    const missing = await webhook().get(`${RECEIPT_PATH.toUpperCase()}/${key}/extra`);
    expect(missing.status).toBe(404);
    expect(route.logs).toContain(`GET ${RECEIPT_PATH}/:key 204`);
    expect(route.logs).toContain(`GET ${RECEIPT_PATH}/[hidden] 404`);
    expectNoSecretIn(route.rawLogs, key, key.toUpperCase());
  });

  it('keeps the receipts out of reach of other connections', async () => {
    expect((await webhook().get(`${RECEIPT_PATH}/${key}`).query(receipt())).status).toBe(204);
    const other = await connect(route, { account: 'alice' });
    const res = await other.get(`${resultUrl}/status.json`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(messageId);
  });
});
