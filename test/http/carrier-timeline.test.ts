import supertest from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { pageOf } from '../helpers/html.js';
import { sendSms } from '../helpers/smsForm.js';
import { connect, startTestApp, type TestApp } from '../helpers/testApp.js';

// What the message page says as the carrier's receipts arrive: each at the carrier's time
// (scts), accepted and buffered as "with the carrier", and expired when none is final 72 hours on.

const key = 'test-receipt-key-0123456789abcdef';
const HOUR = 60 * 60 * 1000;
const SENT_AT = Date.UTC(2026, 10, 23, 12, 0, 0);

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** The app on a clock the spec moves; the sandbox answers OAuth on the real one, as a provider would. */
async function start(options: { receiptDelayMs?: number; clock?: { now: () => number } } = {}) {
  // Long enough a connection to outlive the 72 hours the clock is moved through.
  const app = await startTestApp({ RECEIPT_KEY: key, SESSION_MAX_HOURS: '100' }, { now: options.clock?.now, sandbox: { now: Date.now, receiptDelayMs: options.receiptDelayMs ?? 600_000 } });
  apps.push(app);
  return app;
}

async function sendOne(app: TestApp, to = '447700900000', text = 'Carrier timeline') {
  const browser = await connect(app);
  const sent = await sendSms(browser, { to, text });
  expect(sent.status).toBe(303);
  const page = sent.headers.location as string;
  const messageIds = [...(await app.sandbox!.outbox())[0]!.messageIds];
  return { browser, page, messageIds };
}

function receipt(app: TestApp, messageId: string, status: string, scts: string, messageTimestamp: string, errCode = '0') {
  return supertest(app.url).get(`${RECEIPT_PATH}/${key}`).query({ messageId, status, 'err-code': errCode, msisdn: '447700900000', to: 'Demo', scts, 'message-timestamp': messageTimestamp });
}

const headlineOf = (html: string) => {
  const root = pageOf(html);
  const box = root.querySelector('#headline')!;
  return { title: box.querySelector('[data-headline="title"]')!.text.trim(), polls: box.getAttribute('data-status-url') !== undefined };
};
const deliveryCell = (html: string, messageId: string) => pageOf(html).querySelector(`[data-receipt-for="${messageId}"]`)!;

describe('the carrier\'s timeline on the message page', () => {
  it('shows an accepted part as with the carrier and keeps polling, then delivered at the carrier\'s time', async () => {
    const app = await start();
    const { browser, page, messageIds } = await sendOne(app);
    const [messageId] = messageIds;

    expect((await receipt(app, messageId!, 'accepted', '2611231200', '2026-11-23 12:00:04')).status).toBe(204);
    const accepted = await browser.get(page);
    expect(headlineOf(accepted.text)).toEqual({ title: 'With the carrier, not yet delivered', polls: true });
    expect(deliveryCell(accepted.text, messageId!).text).toContain('With the carrier, not yet delivered');
    expect((await browser.get(`${page}/status.json`)).body).toMatchObject({ complete: false, status: { text: 'With the carrier, not yet delivered', final: false } });
    expect(pageOf((await browser.get('/messages')).text).querySelector(`[data-status-for]`)!.text.trim()).toBe('With the carrier, not yet delivered');

    expect((await receipt(app, messageId!, 'delivered', '2611231201', '2026-11-23 12:03:20')).status).toBe(204);
    const delivered = await browser.get(page);
    expect(headlineOf(delivered.text)).toEqual({ title: 'Delivered', polls: false });
    const times = deliveryCell(delivered.text, messageId!).querySelector('[data-receipt="times"]')!;
    // The carrier's time is known to the minute, and says so; Nexmo's report has its seconds.
    expect(times.querySelectorAll('time').map((time) => time.getAttribute('datetime'))).toEqual(['2026-11-23T12:01Z', '2026-11-23T12:03:20.000Z']);
    expect(times.text.replace(/\s+/g, ' ').trim()).toBe('Carrier time 23 Nov 2026, 12:01 UTC (to the minute) reported 23 Nov 2026, 12:03:20 UTC');
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status.complete).toBe(true);
    expect(status.parts[0].receipt).toMatchObject({
      status: 'delivered',
      at: '2026-11-23T12:01:00.000Z',
      carrier: { iso: '2026-11-23T12:01Z', text: '23 Nov 2026, 12:01 UTC', precision: 'minute', note: 'to the minute' },
      reported: { iso: '2026-11-23T12:03:20.000Z', text: '23 Nov 2026, 12:03:20 UTC', precision: 'second' },
    });
  });

  it('keeps a part delivered when its accepted receipt arrives late, and rolls the parts up', async () => {
    const app = await start();
    const { browser, page, messageIds } = await sendOne(app, '447700900000', `${'Long message. '.repeat(12)}The end.`);
    expect(messageIds).toHaveLength(2);
    await receipt(app, messageIds[0]!, 'delivered', '2611231201', '2026-11-23 12:01:30');
    await receipt(app, messageIds[0]!, 'accepted', '2611231200', '2026-11-23 12:02:00');
    await receipt(app, messageIds[1]!, 'buffered', '2611231200', '2026-11-23 12:00:30', '2');
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status).toMatchObject({ complete: false, status: { text: '1 of 2 delivered', final: false } });
    expect(status.parts.map((p: { receipt: { status: string } }) => p.receipt.status)).toEqual(['delivered', 'buffered']);
    expect(headlineOf((await browser.get(page)).text)).toEqual({ title: 'Partly delivered: 1 of 2 parts so far', polls: true });
  });

  it('says "Expired: no delivery report within 72 hours" once 72 hours pass with no final receipt, by the app\'s clock', async () => {
    let at = SENT_AT;
    const app = await start({ clock: { now: () => at } });
    const { browser, page, messageIds } = await sendOne(app);
    await receipt(app, messageIds[0]!, 'buffered', '2611231200', '2026-11-23 12:00:10', '2');

    at = SENT_AT + 72 * HOUR - 60_000;
    expect(headlineOf((await browser.get(page)).text)).toEqual({ title: 'With the carrier, not yet delivered', polls: true });

    at = SENT_AT + 72 * HOUR;
    const expired = await browser.get(page);
    expect(expired.status).toBe(200);
    expect(headlineOf(expired.text)).toEqual({ title: 'Expired: no delivery report within 72 hours', polls: false });
    expect(deliveryCell(expired.text, messageIds[0]!).text).toContain('No delivery report within 72 hours');
    expect((await browser.get(`${page}/status.json`)).body).toMatchObject({ complete: true, status: { text: 'Expired: no delivery report within 72 hours', tone: 'bad', final: true } });
    const history = pageOf((await browser.get('/messages')).text);
    expect(history.querySelector('[data-status-for]')!.text.trim()).toBe('Expired: no delivery report within 72 hours');
    // A late final receipt still tells what happened.
    await receipt(app, messageIds[0]!, 'delivered', '2611260900', '2026-11-26 09:00:05');
    expect(headlineOf((await browser.get(page)).text).title).toBe('Delivered');
  });
});

describe('the sandbox\'s receipts, end to end', () => {
  it('arrive accepted, then delivered, one of each per part', async () => {
    const app = await start({ receiptDelayMs: 20 });
    const { browser, page, messageIds } = await sendOne(app, '447700900000', `${'Long message. '.repeat(12)}The end.`);
    await vi.waitFor(async () => expect((await browser.get(`${page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    const arrived = app.logs.filter((line) => line.startsWith('delivery receipt:'));
    expect(arrived.filter((line) => line.includes('accepted'))).toHaveLength(messageIds.length);
    expect(arrived.filter((line) => line.includes('delivered'))).toHaveLength(messageIds.length);
    expect(headlineOf((await browser.get(page)).text).title).toBe('Delivered');
  });

  it('report a phone that is off as with the carrier, then delivered later; and the expiring number as expired', async () => {
    const app = await start({ receiptDelayMs: 20 });
    const buffered = await sendOne(app, '447700900902', 'Phone off for a while');
    await vi.waitFor(async () => expect((await buffered.browser.get(`${buffered.page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    expect(app.logs.filter((line) => line.startsWith('delivery receipt:'))).toEqual(['delivery receipt: accepted err-code=0', 'delivery receipt: buffered err-code=2', 'delivery receipt: delivered err-code=0']);

    const expiring = await sendOne(app, '447700900903', 'Never reaches the phone');
    await vi.waitFor(async () => expect((await expiring.browser.get(`${expiring.page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    expect(headlineOf((await expiring.browser.get(expiring.page)).text).title).toBe('Not delivered: expired');
  });
});
