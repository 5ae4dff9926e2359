// What the message page says as the carrier's receipts arrive at the webhook: each at the
// carrier's time (scts), accepted and buffered as "with the carrier", and expired when none is
// final 72 hours on, by the app's clock. The sandbox's own receipts: test/http/carrier-timeline.
import { describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { sentInParts } from '../helpers/fakeNexmo.js';
import { pageOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { ROUTE_RECEIPT_KEY, useRouteApp, type RouteApp } from '../helpers/routeApp.js';
import { sendSms } from '../helpers/smsForm.js';

const createRouteApp = useRouteApp();
const HOUR = 60 * 60 * 1000;
const SENT_AT = Date.UTC(2026, 10, 23, 12, 0, 0);

/** The app in sandbox mode on a clock that stands at SENT_AT, or the one the spec moves. */
function start(options: { clock?: { now: () => number } } = {}) {
  // Long enough a connection to outlive the 72 hours the clock is moved through.
  return createRouteApp({ SESSION_MAX_HOURS: '100' }, { now: options.clock?.now ?? (() => SENT_AT), sandbox: {} });
}

/** Connects and sends one message, which the provider accepts in `parts` parts. */
async function sendOne(route: RouteApp, to = '447700900000', text = 'Carrier timeline', parts = 1) {
  const browser = await connect(route);
  const messageIds = Array.from({ length: parts }, (_, i) => `0A0000000000000${i + 1}`);
  route.nexmo.answerSend(sentInParts(messageIds, { to }));
  const sent = await sendSms(browser, { to, text });
  expect(sent.status).toBe(303);
  expect(route.nexmo.sends().map((sms) => sms.text)).toEqual([text]);
  return { browser, page: sent.headers.location as string, messageIds };
}

function receipt(route: RouteApp, messageId: string, status: string, scts: string, messageTimestamp: string, errCode = '0') {
  return route.browser().get(`${RECEIPT_PATH}/${ROUTE_RECEIPT_KEY}`).query({ messageId, status, 'err-code': errCode, msisdn: '447700900000', to: 'Demo', scts, 'message-timestamp': messageTimestamp });
}

const headlineOf = (html: string) => {
  const root = pageOf(html);
  const box = root.querySelector('#headline')!;
  return { title: box.querySelector('[data-headline="title"]')!.text.trim(), polls: box.getAttribute('data-status-url') !== undefined };
};
const deliveryCell = (html: string, messageId: string) => pageOf(html).querySelector(`[data-receipt-for="${messageId}"]`)!;

describe('the carrier\'s timeline on the message page', () => {
  it('shows an accepted part as with the carrier and keeps polling, then delivered at the carrier\'s time', async () => {
    const route = start();
    const { browser, page, messageIds } = await sendOne(route);
    const [messageId] = messageIds;

    expect((await receipt(route, messageId!, 'accepted', '2611231200', '2026-11-23 12:00:04')).status).toBe(204);
    const accepted = await browser.get(page);
    expect(headlineOf(accepted.text)).toEqual({ title: 'With the carrier, not yet delivered', polls: true });
    expect(deliveryCell(accepted.text, messageId!).text).toContain('With the carrier, not yet delivered');
    expect((await browser.get(`${page}/status.json`)).body).toMatchObject({ complete: false, status: { text: 'With the carrier, not yet delivered', final: false } });
    expect(pageOf((await browser.get('/messages')).text).querySelector(`[data-status-for]`)!.text.trim()).toBe('With the carrier, not yet delivered');

    expect((await receipt(route, messageId!, 'delivered', '2611231201', '2026-11-23 12:03:20')).status).toBe(204);
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
    const route = start();
    const { browser, page, messageIds } = await sendOne(route, '447700900000', `${'Long message. '.repeat(12)}The end.`, 2);
    expect(messageIds).toHaveLength(2);
    await receipt(route, messageIds[0]!, 'delivered', '2611231201', '2026-11-23 12:01:30');
    await receipt(route, messageIds[0]!, 'accepted', '2611231200', '2026-11-23 12:02:00');
    await receipt(route, messageIds[1]!, 'buffered', '2611231200', '2026-11-23 12:00:30', '2');
    const status = (await browser.get(`${page}/status.json`)).body;
    expect(status).toMatchObject({ complete: false, status: { text: '1 of 2 delivered', final: false } });
    expect(status.parts.map((p: { receipt: { status: string } }) => p.receipt.status)).toEqual(['delivered', 'buffered']);
    expect(headlineOf((await browser.get(page)).text)).toEqual({ title: 'Partly delivered: 1 of 2 parts so far', polls: true });
  });

  it('says "Expired: no delivery report within 72 hours" once 72 hours pass with no final receipt, by the app\'s clock', async () => {
    let at = SENT_AT;
    const route = start({ clock: { now: () => at } });
    const { browser, page, messageIds } = await sendOne(route);
    await receipt(route, messageIds[0]!, 'buffered', '2611231200', '2026-11-23 12:00:10', '2');

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
    await receipt(route, messageIds[0]!, 'delivered', '2611260900', '2026-11-26 09:00:05');
    expect(headlineOf((await browser.get(page)).text).title).toBe('Delivered');
  });
});
