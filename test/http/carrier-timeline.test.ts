// The sandbox's own delivery receipts, end to end: sent to the app's webhook as the carrier
// reports each part, and shown on the message page. What the page says for each receipt the
// webhook takes: test/routes/carrier-timeline.
import { describe, expect, it, vi } from 'vitest';

import { pageOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { sendSms } from '../helpers/smsForm.js';
import { useTestApp, type TestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

/** The app with the sandbox sending its receipts `receiptDelayMs` apart. */
const start = (receiptDelayMs: number) => startTestApp({}, { sandbox: { receiptDelayMs } });

async function sendOne(app: TestApp, to = '447700900000', text = 'Carrier timeline') {
  const browser = await connect(app);
  const sent = await sendSms(browser, { to, text });
  expect(sent.status).toBe(303);
  const page = sent.headers.location as string;
  const messageIds = [...(await app.sandbox!.outbox())[0]!.messageIds];
  return { browser, page, messageIds };
}

const headlineOf = (html: string) => {
  const root = pageOf(html);
  const box = root.querySelector('#headline')!;
  return { title: box.querySelector('[data-headline="title"]')!.text.trim(), polls: box.getAttribute('data-status-url') !== undefined };
};

describe('the sandbox\'s receipts, end to end', () => {
  it('arrive accepted, then delivered, one of each per part', async () => {
    const app = await start(20);
    const { browser, page, messageIds } = await sendOne(app, '447700900000', `${'Long message. '.repeat(12)}The end.`);
    await vi.waitFor(async () => expect((await browser.get(`${page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    const parts = (await browser.get(`${page}/status.json`)).body.parts as Array<{ receipt: { status: string } }>;
    expect(parts.map((part) => part.receipt.status)).toEqual(messageIds.map(() => 'delivered'));
    const arrived = app.logs.filter((line) => line.startsWith('delivery receipt:'));
    expect(arrived.filter((line) => line.includes('accepted'))).toHaveLength(messageIds.length);
    expect(arrived.filter((line) => line.includes('delivered'))).toHaveLength(messageIds.length);
    expect(headlineOf((await browser.get(page)).text).title).toBe('Delivered');
  });

  it('report a phone that is off as with the carrier, then delivered later; and the expiring number as expired', async () => {
    // Receipts 100 ms apart: the buffered one (at 2 steps) and the delivered one (at 6) arrive
    // in their order even on a busy machine, where 20 ms steps can overtake each other.
    const app = await start(100);
    const buffered = await sendOne(app, '447700900902', 'Phone off for a while');
    await vi.waitFor(async () => expect((await buffered.browser.get(`${buffered.page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    expect(app.logs.filter((line) => line.startsWith('delivery receipt:'))).toEqual(['delivery receipt: accepted err-code=0', 'delivery receipt: buffered err-code=2', 'delivery receipt: delivered err-code=0']);

    const expiring = await sendOne(app, '447700900903', 'Never reaches the phone');
    await vi.waitFor(async () => expect((await expiring.browser.get(`${expiring.page}/status.json`)).body.complete).toBe(true), { timeout: 10_000, interval: 50 });
    expect(headlineOf((await expiring.browser.get(expiring.page)).text).title).toBe('Not delivered: expired');
  });
});
