// Every send exactly once: each drawn SMS form carries a one-time send key, so posting one form
// again (a double click, Back and resend, a retry) answers with the first post's message and
// never calls the provider twice. Real concurrent requests, on the SQLite file and on a real
// Redis, against the app with the fake provider, which counts its send calls and holds one
// when the spec asks. The same across two instances on one Redis: test/http/send-once.
import { afterAll, describe, expect, it } from 'vitest';

import type { AppStores } from '../../src/store/types.js';
import { elementOf, linksIn, smsFormTokens, textOf } from '../helpers/html.js';
import { connect, type ConnectedBrowser } from '../helpers/login.js';
import { useRouteApp } from '../helpers/routeApp.js';
import { redisBackend, sqliteBackend, type Backend } from '../helpers/storeBackends.js';
import { NO_LIMITS } from '../helpers/testApp.js';

const SMS = { from: 'Demo', to: '447700900000', text: 'Only once, please' };

const createRouteApp = useRouteApp();
const backends = [sqliteBackend(), redisBackend()];
const opened: AppStores[] = [];
afterAll(async () => {
  for (const stores of opened.splice(0)) await stores.close();
  for (const backend of backends) await backend.tearDown();
});

/** The app on fresh stores of `backend`, in sandbox mode, and a browser connected to it. */
async function connectedOn(backend: Backend) {
  const stores = await backend.open();
  opened.push(stores);
  const route = createRouteApp(NO_LIMITS, { stores, sandbox: {} });
  return { route, browser: await connect(route) };
}

async function drawForm(browser: ConnectedBrowser): Promise<{ _csrf: string; sendKey: string }> {
  const form = await browser.get('/sms');
  expect(form.status).toBe(200);
  return smsFormTokens(form.text);
}

/** The message links of the history's first page. */
async function historyIds(browser: ConnectedBrowser): Promise<string[]> {
  const page = await browser.get('/messages');
  expect(page.status).toBe(200);
  return linksIn(page.text, 'table a').map((link) => link.href).filter((href) => /^\/messages\/[A-Za-z0-9_-]{22}$/.test(href));
}

describe.each(backends)('one form posted many times, on $name', (backend) => {
  const appOn = connectedOn;
  it('ten concurrent posts of one form make one provider call; all ten answer 303 to one message, which says "Sending…" until the reply is stored', async () => {
    const { route, browser } = await appOn(backend);
    // The provider holds the send it gets until the spec has seen the others answered.
    const hold = route.nexmo.holdSends();
    const form = await drawForm(browser);

    const posts = Array.from({ length: 10 }, () => browser.post('/sms').type('form').send({ ...form, ...SMS }).then((res) => res));
    await hold.reached;
    // The first answer is a repeat: the first post is still held by the provider.
    const early = await Promise.race(posts);
    expect(early.status).toBe(303);
    const waiting = await browser.get(early.headers.location as string);
    expect(waiting.status).toBe(200);
    expect(textOf(elementOf(waiting.text, 'h1'))).toBe('Sending…');
    expect(waiting.text).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect(elementOf(waiting.text, '#headline').getAttribute('data-sending')).toBe('true');

    hold.release();
    const answers = await Promise.all(posts);
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(303));
    const locations = new Set(answers.map((answer) => answer.headers.location as string));
    expect(locations.size).toBe(1);
    const [location] = [...locations];
    // The message's id is the form's key's own: the key named the send before it was made.
    expect(location).toBe(`/messages/${form.sendKey.split('.')[0]}`);
    expect(route.nexmo.sends().map((sms) => sms.text)).toEqual([SMS.text]);
    expect(await historyIds(browser)).toEqual([location]);

    const done = await browser.get(location!);
    expect(textOf(elementOf(done.text, 'h1'))).toBe('Sent');
    expect(done.text).not.toContain('http-equiv="refresh"');
    const status = (await browser.get(`${location}/status.json`)).body as { sending: boolean };
    expect(status.sending).toBe(false);
  });

  it('a double click (two posts 30 ms apart) sends once; the same text from a new form is held as a repeat until "Send it again"', async () => {
    const { route, browser } = await appOn(backend);
    const form = await drawForm(browser);
    const first = browser.post('/sms').type('form').send({ ...form, ...SMS });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = browser.post('/sms').type('form').send({ ...form, ...SMS });
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(b.headers.location).toBe(a.headers.location);
    expect(route.nexmo.sends()).toHaveLength(1);

    // Minutes later, Back and send again: still that one message.
    const resent = await browser.post('/sms').type('form').send({ ...form, ...SMS });
    expect(resent.status).toBe(303);
    expect(resent.headers.location).toBe(a.headers.location);
    expect(route.nexmo.sends()).toHaveLength(1);

    // Back, and the browser refills a new form with the same text: two such forms at once (two
    // tabs, or Back twice) are both held, and answer with the earlier message.
    const firstId = (a.headers.location as string).split('/').pop() as string;
    const refilled = await Promise.all([drawForm(browser), drawForm(browser)]);
    const held = await Promise.all(refilled.map((form) => browser.post('/sms').type('form').send({ ...form, ...SMS })));
    expect(held.map((res) => [res.status, res.headers.location])).toEqual([
      [303, `/sms?again=${firstId}`],
      [303, `/sms?again=${firstId}`],
    ]);
    expect(route.nexmo.sends()).toHaveLength(1);
    const repeatPage = await browser.get(`/sms?again=${firstId}`);
    expect(repeatPage.status).toBe(200);
    expect(textOf(elementOf(repeatPage.text, '#repeat-notice'))).toMatch(/^You sent this at .+ to \+44 7700 900000 \(United Kingdom\), so it was not sent again\./);
    expect(linksIn(repeatPage.text, '#repeat-notice a')).toEqual([{ href: a.headers.location, text: 'Open that message' }]);
    expect(textOf(elementOf(repeatPage.text, 'form button[type=submit]'))).toBe('Send it again');

    // "Send it again", double-clicked: exactly one more send.
    const deliberate = smsFormTokens(repeatPage.text);
    const [again, againTwice] = await Promise.all([0, 1].map(() => browser.post('/sms').type('form').send({ ...deliberate, ...SMS })));
    expect(again!.status).toBe(303);
    expect(againTwice!.headers.location).toBe(again!.headers.location);
    expect(again!.headers.location).not.toBe(a.headers.location);
    expect(route.nexmo.sends()).toHaveLength(2);

    // Back to the "Send it again" page, drawn afresh: it names the first send, not the second,
    // so pressing it again is held as a repeat of the second.
    const secondId = (again!.headers.location as string).split('/').pop() as string;
    const redrawn = await browser.get(`/sms?again=${firstId}`);
    const pressedAgain = await browser.post('/sms').type('form').send({ ...smsFormTokens(redrawn.text), ...SMS });
    expect(pressedAgain.headers.location).toBe(`/sms?again=${secondId}`);
    expect(route.nexmo.sends()).toHaveLength(2);
    expect(route.nexmo.sends().map((sms) => sms.text)).toEqual([SMS.text, SMS.text]);
    expect((await historyIds(browser)).sort()).toEqual([a.headers.location, again!.headers.location].sort());
  });

  it('a key from another session, a made-up key or none is refused with 403, and nothing is sent or stored', async () => {
    const { route, browser: alice } = await appOn(backend);
    const bob = await connect(route, { account: 'bob' });
    const bobsForm = await drawForm(bob);
    const alicesForm = await drawForm(alice);
    const [id] = alicesForm.sendKey.split('.');
    const keys = [bobsForm.sendKey, `${id}.${'A'.repeat(43)}`, `${'B'.repeat(22)}.${alicesForm.sendKey.split('.')[1]}`, 'not-a-key', undefined];
    for (const sendKey of keys) {
      const res = await alice.post('/sms').type('form').send({ _csrf: alicesForm._csrf, ...(sendKey === undefined ? {} : { sendKey }), ...SMS });
      expect(res.status, String(sendKey)).toBe(403);
      expect(textOf(elementOf(res.text, 'h1'))).toBe('This form has expired');
      expect(res.text).toContain('nothing was sent');
    }
    expect(route.nexmo.sends()).toEqual([]);
    expect(await historyIds(alice)).toEqual([]);
    // Alice's own key still works: the refusals used nothing up.
    expect((await alice.post('/sms').type('form').send({ ...alicesForm, ...SMS })).status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);
  });

  it('a form drawn again after an invalid post carries a new key, and that key sends', async () => {
    const { route, browser } = await appOn(backend);
    const form = await drawForm(browser);
    const invalid = await browser.post('/sms').type('form').send({ ...form, ...SMS, to: 'not a number' });
    expect(invalid.status).toBe(400);
    const redrawn = smsFormTokens(invalid.text);
    expect(redrawn.sendKey).not.toBe(form.sendKey);
    expect((await browser.post('/sms').type('form').send({ ...redrawn, ...SMS })).status).toBe(303);
    expect(route.nexmo.sends()).toHaveLength(1);
  });
});

