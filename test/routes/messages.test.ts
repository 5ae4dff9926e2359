// The message history and one message's page, over the app in sandbox mode with the fake
// provider: each send answered as the spec scripts it, each receipt posted to the webhook as the
// carrier would, and several instances as two apps on one store. Nothing here asks the provider
// anything but the sends themselves.
import { describe, expect, it } from 'vitest';

import { countSegments } from '../../src/nexmo/segments.js';
import type { SendOutcome } from '../../src/nexmo/types.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { createMemoryStores } from '../../src/store/memory.js';
import type { AppStores } from '../../src/store/types.js';
import { refusedOutcome, sentInParts } from '../helpers/fakeNexmo.js';
import { elementOf, linksIn, textOf } from '../helpers/html.js';
import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { useRouteApp, type RouteApp } from '../helpers/routeApp.js';
import { sendSms } from '../helpers/smsForm.js';

const key = 'test-receipt-key-0123456789abcdef';
const SEND_URL = /^\/messages\/([A-Za-z0-9_-]{22})$/;
const THREE_PARTS = `${'Long message. '.repeat(25)}The end.`;
/** Nexmo's status 9: the account's credit does not cover the message. */
const NO_CREDIT = refusedOutcome(9);

const createRouteApp = useRouteApp();

/** Paging needs more messages in a minute than a person sends: the send limits are raised. */
const ROOM_FOR_PAGING = { LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '100', LIMIT_SMS_PER_ADDRESS_PER_MINUTE: '100', LIMIT_SMS_PER_NUMBER_PER_HOUR: '100' };
const start = (options: { stores?: AppStores } = {}) => createRouteApp({ RECEIPT_KEY: key, ...ROOM_FOR_PAGING }, { sandbox: {}, stores: options.stores });

let issued = 0;
/**
 * Sends through the form; the provider accepts the message in as many parts as it takes, each
 * with a message-id of its own, unless `answer` says otherwise. Returns the new message's id and
 * the message-ids of its parts.
 */
async function send(route: RouteApp, browser: ConnectedBrowser, to: string, text: string, answer?: SendOutcome): Promise<{ id: string; location: string; messageIds: string[] }> {
  const messageIds = answer ? [] : Array.from({ length: countSegments(text).parts }, () => `0A${String(++issued).padStart(14, '0')}`);
  route.nexmo.answerSend(answer ?? sentInParts(messageIds, { to: to.replace(/\D/g, '') }));
  const before = route.nexmo.sends().length;
  const res = await sendSms(browser, { from: 'Demo', to, text });
  expect(res.status).toBe(303);
  expect(route.nexmo.sends().slice(before).map((sms) => sms.text)).toEqual([text]);
  const location = res.headers.location as string;
  const id = SEND_URL.exec(location)?.[1];
  expect(id, `the send redirects to its message page (got ${location})`).toBeDefined();
  return { id: id!, location, messageIds };
}

function receipt(route: RouteApp, messageId: string, status: 'delivered' | 'failed' | 'accepted', errCode = 0) {
  return route.browser().get(`${RECEIPT_PATH}/${key}`).query({ messageId, status, 'err-code': String(errCode), msisdn: '447700900000', 'message-timestamp': '2026-11-23 12:00:00' });
}

/** The history's rows as shown: the id each links to and its one-line status. */
function rowsOf(html: string): { id: string; status: string }[] {
  return [...html.matchAll(/<tr>\s*<td data-label="(?:Sent|Not sent|Tried)"[^>]*>[\s\S]*?<a href="\/messages\/([^"]+)">[\s\S]*?data-status-for="([^"]+)"[^>]*><span class="badge[^"]*">([^<]*)<\/span>/g)].map((m) => {
    expect(m[1]).toBe(m[2]);
    return { id: m[1]!, status: m[3]! };
  });
}

const headlineOf = (html: string) => ({
  tone: /<div id="headline" class="notice notice-(\w+)"/.exec(html)?.[1],
  title: /data-headline="title">([^<]*)</.exec(html)?.[1],
});

describe('the message history', () => {
  it('sends visitors who are not connected to the start page', async () => {
    const route = start();
    for (const path of ['/messages', '/messages/AAAAAAAAAAAAAAAAAAAAAA', '/messages/status.json?ids=AAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await route.browser().get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location).toBe(`/?notice=connect-first&return=${encodeURIComponent(path)}`);
    }
  });

  it('says when nothing has been sent yet, and links to the form', async () => {
    const route = start();
    const browser = await connect(route);
    const res = await browser.get('/messages');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You haven’t sent any messages yet.');
    expect(textOf(elementOf(res.text, 'main a.button-primary[href="/sms"]'))).toBe('Send an SMS');
    expect(res.text).not.toContain('/js/app/browser/history-status.js');
    expect(linksIn(res.text, 'a[aria-current="page"]')).toEqual([{ href: '/messages', text: 'Messages' }]);
  });

  it('lists the sends newest first, each with a one-line status from its receipts', async () => {
    const route = start();
    const browser = await connect(route);
    const delivered = await send(route, browser, '447700900000', 'One part, delivered');
    const partly = await send(route, browser, '447700900000', THREE_PARTS);
    const failed = await send(route, browser, '447700900999', 'Nobody home');
    const waiting = await send(route, browser, '447700900000', 'Still on its way');
    // The credit ran out with the last one.
    const refused = await send(route, browser, '447700900000', 'No credit left for this one', NO_CREDIT);
    expect(partly.messageIds).toHaveLength(3);
    expect(refused.messageIds).toEqual([]);

    expect((await receipt(route, delivered.messageIds[0]!, 'delivered')).status).toBe(204);
    await receipt(route, partly.messageIds[0]!, 'delivered');
    await receipt(route, partly.messageIds[2]!, 'delivered');
    await receipt(route, failed.messageIds[0]!, 'failed', 2);
    await receipt(route, waiting.messageIds[0]!, 'accepted');

    const res = await browser.get('/messages');
    expect(res.status).toBe(200);
    expect(rowsOf(res.text)).toEqual([
      { id: refused.id, status: 'Not sent: not enough credit' },
      { id: waiting.id, status: 'With the carrier, not yet delivered' },
      { id: failed.id, status: 'Not delivered: phone unreachable for now' },
      { id: partly.id, status: '2 of 3 delivered' },
      { id: delivered.id, status: 'Delivered' },
    ]);
    expect(res.text).toContain('5 messages, newest first');
    expect(res.text).toContain('<td data-label="To" class="nowrap"><span data-number>+44 7700 900999</span><br><span class="muted small">United Kingdom</span></td>');
    expect(res.text).toContain('>Long message. Long message. Long messag…<');
    expect(res.text).toMatch(/<td data-label="Parts" class="nowrap">3<\/td>/);
    // Two rows can still change, so the page watches them.
    expect(res.text).toContain('data-status-url="/messages/status.json"');
    expect(res.text).toContain('<script type="module" src="/js/app/browser/history-status.js"></script>');
    expect(res.text.match(/data-pending/g)).toHaveLength(2);

    // The poll answers for the rows still pending, from the store.
    await receipt(route, waiting.messageIds[0]!, 'delivered');
    await receipt(route, partly.messageIds[1]!, 'delivered');
    const poll = await browser.get(`/messages/status.json?ids=${waiting.id},${partly.id}`).set('Accept', 'application/json');
    expect(poll.status).toBe(200);
    expect(poll.body).toEqual({
      messages: {
        [waiting.id]: { text: 'Delivered', tone: 'ok', final: true },
        [partly.id]: { text: 'Delivered', tone: 'ok', final: true },
      },
    });
    // A reload shows what the poll said.
    const reloaded = rowsOf((await browser.get('/messages')).text);
    expect(reloaded.map((row) => row.status)).toEqual(['Not sent: not enough credit', 'Delivered', 'Not delivered: phone unreachable for now', 'Delivered', 'Delivered']);
  });

  it('dates a send that went nowhere "Not sent", with no price, and calls a failed delivery "Not delivered" in the history as on its page', async () => {
    // Credit for one part: the second send is refused.
    const route = start();
    const browser = await connect(route);
    const failed = await send(route, browser, '447700900999', 'Nobody home');
    const refused = await send(route, browser, '447700900000', 'No credit left for this one', NO_CREDIT);
    expect(refused.messageIds).toEqual([]);
    await receipt(route, failed.messageIds[0]!, 'failed', 2);

    const history = await browser.get('/messages');
    expect(history.status).toBe(200);
    expect(rowsOf(history.text)).toEqual([
      { id: refused.id, status: 'Not sent: not enough credit' },
      { id: failed.id, status: 'Not delivered: phone unreachable for now' },
    ]);
    // Each row names its moment by what happened: the refused one was not sent.
    const labels = [...history.text.matchAll(/<tr>\s*<td data-label="([^"]*)"[^>]*><time/g)].map((m) => m[1]);
    expect(labels).toEqual(['Not sent', 'Sent']);
    expect(history.text).toContain('<th scope="col">When</th>');
    expect(history.text).not.toMatch(/Failed/);

    const refusedPage = await browser.get(refused.location);
    expect(refusedPage.status).toBe(200);
    expect(headlineOf(refusedPage.text).title).toBe('Not sent: not enough credit');
    expect(refusedPage.text).toMatch(/<dt>Not sent<\/dt><dd><time/);
    expect(refusedPage.text).not.toMatch(/<dt>Sent<\/dt>/);
    expect(refusedPage.text).not.toContain('Total price');
    expect(refusedPage.text).not.toContain('€0.00');
    // The refused part is listed with its status, and no price.
    expect(refusedPage.text).toMatch(/<td data-label="Price"[^>]*>—<\/td>/);

    const failedPage = await browser.get(failed.location);
    expect(headlineOf(failedPage.text).title).toBe('Not delivered: phone unreachable for now');
    expect(failedPage.text).toMatch(/<dt>Sent<\/dt><dd><time/);
    expect(failedPage.text).toMatch(/Total price<\/dt><dd>€0\.0333/);
    // Nothing more was asked of the provider than the two sends.
    expect(route.nexmo.sends()).toHaveLength(2);
  });

  it('shows 20 messages a page, with links between pages, and handles page numbers it has no page for', async () => {
    const route = start();
    const browser = await connect(route);
    const sent: string[] = [];
    for (let i = 1; i <= 21; i += 1) sent.push((await send(route, browser, '447700900000', `Message number ${i}`)).id);

    const first = await browser.get('/messages');
    expect(rowsOf(first.text).map((row) => row.id)).toEqual(sent.slice(1).reverse());
    expect(first.text).toContain('Page 1 of 2');
    expect(linksIn(first.text, 'a.button[rel="next"]')).toEqual([{ href: '/messages?page=2', text: 'Older' }]);
    expect(first.text).not.toContain('rel="prev"');

    const second = await browser.get('/messages?page=2');
    expect(second.status).toBe(200);
    expect(rowsOf(second.text).map((row) => row.id)).toEqual([sent[0]]);
    expect(second.text).toContain('Message number 1<');
    expect(linksIn(second.text, 'a.button[rel="prev"]')).toEqual([{ href: '/messages', text: 'Newer' }]);
    expect(second.text).toContain('<title>Messages, page 2 of 2 · Nexmo SMS</title>');

    const beyond = await browser.get('/messages?page=7');
    expect(beyond.status).toBe(303);
    expect(beyond.headers.location).toBe('/messages?page=2');

    for (const page of ['0', '-1', 'abc', '1.5', '99999999', '', '1&page=2']) {
      const res = await browser.get(`/messages?page=${page}`);
      expect(res.status, `page=${page}`).toBe(400);
      expect(res.text).toContain('No such page');
      expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    }
    const json = await browser.get('/messages?page=abc').set('Accept', 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.error).toMatchObject({ status: 400, title: 'No such page' });
  });
});

describe('one message', () => {
  it('is where the send redirects, and says it was sent and waits for the receipt', async () => {
    const route = start();
    const browser = await connect(route);
    const { location, id } = await send(route, browser, '447700900000', 'Waiting');
    expect(location).toBe(`/messages/${id}`);
    const page = await browser.get(location);
    expect(page.status).toBe(200);
    expect(headlineOf(page.text)).toEqual({ tone: 'info', title: 'Sent' });
    expect(page.text).toContain('Waiting for the network’s delivery receipt; this page updates when it arrives.');
    expect(page.text).toContain(`data-status-url="/messages/${id}/status.json"`);
    expect(page.text).toContain('<script type="module" src="/js/app/browser/message-status.js"></script>');
    expect(linksIn(page.text, 'a[aria-current="true"]')).toEqual([{ href: '/messages', text: 'Messages' }]);
  });

  it('says delivered once the receipt arrives, and stops asking for updates', async () => {
    const route = start();
    const browser = await connect(route);
    const { location, messageIds } = await send(route, browser, '447700900000', 'Delivered soon');
    await receipt(route, messageIds[0]!, 'delivered');
    const page = await browser.get(location);
    expect(headlineOf(page.text)).toEqual({ tone: 'success', title: 'Delivered' });
    expect(page.text).not.toContain('data-status-url');
    expect(page.text).not.toContain('/js/app/browser/message-status.js');
  });

  it('says a failed delivery was not delivered and why, in an error tone rather than under "Sent"', async () => {
    const route = start();
    const browser = await connect(route);
    const { location, messageIds } = await send(route, browser, '447700900999', 'Nobody home');
    await receipt(route, messageIds[0]!, 'failed', 2);
    const page = await browser.get(location);
    expect(headlineOf(page.text)).toEqual({ tone: 'error', title: 'Not delivered: phone unreachable for now' });
    expect(page.text).toContain('role="alert"');
    expect(page.text).not.toContain('notice-success');
    expect(page.text).not.toMatch(/data-headline="title">Sent</);
    expect(page.text).toContain('Send this message again');
  });

  it('says how much of a multi-part message was delivered, while waiting and once every receipt is in', async () => {
    const route = start();
    const browser = await connect(route);
    const { location, messageIds } = await send(route, browser, '447700900000', THREE_PARTS);
    await receipt(route, messageIds[0]!, 'delivered');
    await receipt(route, messageIds[1]!, 'delivered');
    const sofar = await browser.get(location);
    expect(headlineOf(sofar.text)).toEqual({ tone: 'info', title: 'Partly delivered: 2 of 3 parts so far' });

    await receipt(route, messageIds[2]!, 'failed', 3);
    const done = await browser.get(location);
    expect(headlineOf(done.text)).toEqual({ tone: 'warning', title: 'Partly delivered: 2 of 3 parts' });
    expect(done.text).toContain('Part 3 could not be delivered: phone unreachable. The recipient may see an incomplete message.');
  });

  it('answers its status as JSON, with the headline, the status line and each part’s receipt', async () => {
    const route = start();
    const browser = await connect(route);
    const { location, id, messageIds } = await send(route, browser, '447700900000', THREE_PARTS);
    await receipt(route, messageIds[1]!, 'delivered');
    const res = await browser.get(`${location}/status.json`).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      id,
      headline: { tone: 'info', title: 'Partly delivered: 1 of 3 parts so far' },
      status: { text: '1 of 3 delivered', tone: 'wait', final: false },
      complete: false,
    });
    expect(res.body.parts.map((part: { receipt: { status: string } | null }) => part.receipt?.status ?? null)).toEqual([null, 'delivered', null]);
  });

  it('answers 404 for an id that is not one of the account’s messages, as a page or as JSON, without echoing it', async () => {
    const route = start();
    const browser = await connect(route);
    const mine = await send(route, browser, '447700900000', 'Mine');
    const guessed = 'Zz9_-Zz9_-Zz9_-Zz9_-Zz';
    for (const path of [`/messages/${guessed}`, `/messages/${guessed}/status.json`, '/messages/not-an-id', `/messages/${mine.id}x`]) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(404);
      expect(page.text).toContain('Message not found');
      expect(page.text).not.toContain(guessed);
      const json = await browser.get(path).set('Accept', 'application/json');
      expect(json.status, path).toBe(404);
      expect(json.body).toEqual({ error: { status: 404, title: 'Message not found', message: 'There is no sent message at this address for your connection.', requestId: json.headers['x-request-id'] } });
    }
    // The history's poll leaves out ids it does not know, and refuses ids that cannot be ids.
    const poll = await browser.get(`/messages/status.json?ids=${guessed},${mine.id}`).set('Accept', 'application/json');
    expect(Object.keys(poll.body.messages)).toEqual([mine.id]);
    for (const ids of ['', '<script>', Array.from({ length: 51 }, (_, i) => `${'A'.repeat(20)}${String(i).padStart(2, '0')}`).join(',')]) {
      expect((await browser.get(`/messages/status.json?ids=${encodeURIComponent(ids)}`)).status, ids.slice(0, 20)).toBe(400);
    }
  });
});

describe('the old message addresses', () => {
  it('redirect permanently to the new ones, for the page and its receipts', async () => {
    const route = start();
    const browser = await connect(route);
    const { id } = await send(route, browser, '447700900000', 'Old link');
    const page = await browser.get(`/sms/sent/${id}`);
    expect(page.status).toBe(301);
    expect(page.headers.location).toBe(`/messages/${id}`);
    const receipts = await browser.get(`/sms/sent/${id}/receipts.json`);
    expect(receipts.status).toBe(308);
    expect(receipts.headers.location).toBe(`/messages/${id}/status.json`);
    const followed = await browser.get(receipts.headers.location as string);
    expect(followed.body).toMatchObject({ parts: [{ number: 1, receipt: null }], complete: false });
    expect(route.nexmo.sends()).toHaveLength(1);
  });
});

describe('several instances sharing one store', () => {
  it('show a receipt that reached another instance, because every poll reads the store', async () => {
    const stores = createMemoryStores();
    const first = start({ stores });
    const second = start({ stores });
    const browser = await connect(first);
    const { id, messageIds } = await send(first, browser, '447700900000', 'Across instances');

    // The receipt reaches the second instance; the first one answers the poll.
    expect((await receipt(second, messageIds[0]!, 'delivered')).status).toBe(204);
    const poll = await browser.get(`/messages/${id}/status.json`);
    expect(poll.body.status).toEqual({ text: 'Delivered', tone: 'ok', final: true });
    // And the same session on the second instance sees the same history.
    const history = await second.browser().get('/messages').set('Cookie', browser.sessionCookie);
    expect(history.status).toBe(200);
    expect(rowsOf(history.text)).toEqual([{ id, status: 'Delivered' }]);
    await stores.close();
  });
});
