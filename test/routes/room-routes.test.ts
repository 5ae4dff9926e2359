// The room board (GET /room, /room.json) over createApp(deps) in sandbox mode, with the fake
// provider and the in-memory stores: what the board says as a person connects, sends, gets a
// delivery, signs in again and leaves, and that it is a 404 in live mode.
import type { ActiveSwitch } from '@nexmo-oauth/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { sentOutcome } from '../helpers/fakeNexmo.js';
import { csrfFrom, elementOf, pageOf, textOf, textsOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { createRouteApp, ROUTE_RECEIPT_KEY, type RouteApp } from '../helpers/routeApp.js';
import { sendSms } from '../helpers/smsForm.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
let clock = NOW;
let route: RouteApp | undefined;
afterEach(async () => {
  await route?.close();
  route = undefined;
  clock = NOW;
});

/** The app in sandbox mode, its sandbox's switches answered by fakes (the room needs none). */
function sandboxApp(): RouteApp {
  route = createRouteApp({}, {
    now: () => clock,
    provider: (live) => ({ ...live, mode: 'sandbox', sandboxSwitches: async (): Promise<ActiveSwitch[]> => [] }),
  });
  return route;
}

const board = async (r: RouteApp) => {
  const res = await r.browser().get('/room.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.body as { people: Array<Record<string, unknown>> };
};

/** The receipt Nexmo sends for part `messageId` of send `sendId` (its client-ref). */
const receipt = (r: RouteApp, sendId: string, messageId: string, status: string) =>
  r.browser().get(`${RECEIPT_PATH}/${ROUTE_RECEIPT_KEY}`).query({ messageId, status, 'err-code': '0', 'client-ref': sendId, msisdn: '447700900000' });

describe('the room board', () => {
  it('is empty, saying so, before anyone connects', async () => {
    const r = sandboxApp();
    expect(await board(r)).toEqual({ people: [] });
    const page = await r.browser().get('/room');
    expect(page.status).toBe(200);
    expect(textOf(elementOf(page.text, 'h1'))).toBe('Who is in the room');
    expect(textOf(elementOf(page.text, '#room-summary'))).toBe('Nobody has connected in the last hour yet.');
    expect(elementOf(page.text, '#room-table').getAttribute('hidden')).toBe('');
  });

  it('follows a person through the legs: connected, sending (each signed send), a delivery counted once, signing in again, disconnected', async () => {
    const r = sandboxApp();
    const browser = await connect(r);
    expect(await board(r)).toEqual({ people: [{ name: 'fake-account', leg: 'connected', sends: 0, deliveries: 0, lastSeen: '2026-11-23T12:00:00.000Z' }] });

    clock += 5_000;
    r.nexmo.answerSend(sentOutcome('0A00000000000001'));
    const sent = await sendSms(browser);
    expect(sent.status).toBe(303);
    const sendId = (sent.headers.location as string).split('/').pop()!;
    expect((await board(r)).people).toEqual([{ name: 'fake-account', leg: 'sending', sends: 1, deliveries: 0, lastSeen: '2026-11-23T12:00:05.000Z' }]);

    // Each part's receipts, and a retry: one delivery for the send.
    expect((await receipt(r, sendId, '0A00000000000001', 'accepted')).status).toBe(204);
    expect((await board(r)).people[0]).toMatchObject({ deliveries: 0 });
    expect((await receipt(r, sendId, '0A00000000000001', 'delivered')).status).toBe(204);
    expect((await receipt(r, sendId, '0A00000000000001', 'delivered')).status).toBe(204);
    expect((await board(r)).people[0]).toMatchObject({ sends: 1, deliveries: 1 });

    clock += 5_000;
    expect((await browser.get('/auth/login')).status).toBe(302);
    expect((await board(r)).people[0]).toMatchObject({ leg: 'signing-in', lastSeen: '2026-11-23T12:00:10.000Z' });

    const home = await browser.get('/');
    expect((await browser.post('/auth/logout').type('form').send({ _csrf: csrfFrom(home.text) })).status).toBe(303);
    expect((await board(r)).people).toEqual([{ name: 'fake-account', leg: 'disconnected', sends: 1, deliveries: 1, lastSeen: '2026-11-23T12:00:10.000Z' }]);
  });

  it('draws each person as a row of words and counts, and nothing else of theirs', async () => {
    const r = sandboxApp();
    const browser = await connect(r);
    await sendSms(browser, { to: '447700900123', text: 'Meet at the bridge' });
    const page = await r.browser().get('/room');
    expect(page.status).toBe(200);
    expect(textOf(elementOf(page.text, '#room-summary'))).toBe('1 person connected in the last hour.');
    expect(textsOf(page.text, '#room-table thead th')).toEqual(['Account', 'Leg', 'Sends', 'Delivered', 'Last seen']);
    expect(textsOf(page.text, '#room-table tbody tr > *')).toEqual(['fake-account', 'Sending', '1', '0', '23 Nov 2026, 12:00:00 UTC']);
    expect(elementOf(page.text, '#room-table tbody time').getAttribute('datetime')).toBe('2026-11-23T12:00:00.000Z');
    expect(elementOf(page.text, '#room-table').getAttribute('data-json-url')).toBe('/room.json');
    for (const secret of ['access-token-1', 'access-secret-1', '447700900123', '7700 900123', 'Meet at the bridge']) {
      expect(page.text).not.toContain(secret);
      expect(JSON.stringify(await board(r))).not.toContain(secret);
    }
    expect(pageOf(page.text).querySelectorAll('script[src="/js/app/browser/room-board.js"]')).toHaveLength(1);
  });

  it('counts no send for a form sent twice or refused by a limit: only signed send calls count', async () => {
    const r = sandboxApp();
    const browser = await connect(r);
    const form = await browser.get('/sms');
    const tokens = { _csrf: csrfFrom(form.text), sendKey: /name="sendKey" value="([^"]+)"/.exec(form.text)![1]!, formAccount: /name="formAccount" value="([^"]+)"/.exec(form.text)![1]! };
    const fields = { ...tokens, from: 'Demo', to: '447700900000', text: 'Once' };
    expect((await browser.post('/sms').type('form').send(fields)).status).toBe(303);
    expect((await browser.post('/sms').type('form').send(fields)).status).toBe(303);
    expect(r.nexmo.sends()).toHaveLength(1);
    expect((await board(r)).people[0]).toMatchObject({ sends: 1 });
  });

  it('shows a person whose token Nexmo refused as disconnected, with the send that found out', async () => {
    const r = sandboxApp();
    const browser = await connect(r);
    r.nexmo.answerSend({ kind: 'unauthorized', problem: 'token_rejected' });
    const sent = await sendSms(browser);
    expect(sent.headers.location).toBe('/?notice=token-revoked&return=%2Fsms');
    expect((await board(r)).people).toEqual([expect.objectContaining({ leg: 'disconnected', sends: 1 })]);
  });

  it('loses a line of the board, never the send, when the store cannot take it', async () => {
    const r = sandboxApp();
    const browser = await connect(r);
    r.stores.records.incrBy = async () => Promise.reject(new Error('store down'));
    const sent = await sendSms(browser);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toMatch(/^\/messages\/[\w-]{22}$/);
    expect(r.nexmo.sends()).toHaveLength(1);
    expect(r.logs).toContain('could not note an event on the room board: store down');
  });

  it('is not there in live mode', async () => {
    route = createRouteApp();
    const browser = await connect(route);
    for (const path of ['/room', '/room.json']) {
      const res = await browser.get(path);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
    }
    // Nothing is kept for a board nobody can see.
    await sendSms(browser);
    const stored = await route.stores.records.range('room:index', 10);
    expect(stored).toEqual([]);
  });
});
