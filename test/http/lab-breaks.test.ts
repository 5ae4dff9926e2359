// The lab's break-it buttons end to end, with the real sandbox mounted in the app: each press
// makes the person's next signed call fail as a provider would refuse it, the app explains it,
// and the call after it goes through (a revoked token asks to connect again). A teammate on
// another sandbox account sends as usual meanwhile. One server for the file: each spec is its own
// people on sandbox accounts of their own, as in a room, and a break acts only on its account.
import { beforeEach, describe, expect, it } from 'vitest';

import { csrfFrom, elementOf, textOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { sendSms } from '../helpers/smsForm.js';
import { useSharedTestApp, type TestApp } from '../helpers/testApp.js';

const sharedApp = useSharedTestApp({}, { sandbox: { receiptDelayMs: 20 } });
let app: TestApp;
beforeEach(() => {
  app = sharedApp();
});

type Browser = Awaited<ReturnType<typeof connect>>;

/** Presses a break-it button as the lab's form does, with the session's token from the home page. */
async function pressBreak(browser: Browser, action: string): Promise<void> {
  const csrf = csrfFrom((await browser.get('/')).text);
  const res = await browser.post('/how-it-works/break').type('form').send({ _csrf: csrf, action });
  expect(res.status).toBe(303);
  expect(res.headers.location).toMatch(new RegExp(`^/how-it-works\\?notice=${action}#break$`));
}

let n = 0;
/** A send of a new text each time (the same text again would be held as a repeat). */
const send = (browser: Browser) => sendSms(browser, { from: 'DemoApp', to: '447700900123', text: `Hello ${++n}` });

/** The message page a send was redirected to, and its status JSON once every part is final. */
async function delivered(browser: Browser, messageUrl: string): Promise<void> {
  await expect.poll(async () => (await browser.get(`${messageUrl}/status.json`)).body.parts?.[0]?.receipt?.status, { timeout: 5_000 }).toBe('delivered');
}

describe('the lab’s break-it buttons, against the mounted sandbox', () => {
  it('"Break its signature": the next send shows Nexmo’s status 14 explanation, and the send after it is delivered', async () => {
    const [presenter, teammate] = [await connect(app, { account: 'presenter-lab' }), await connect(app, { account: 'teammate-lab' })];
    // The form once, so its balance is known and the next signed call is the send itself.
    expect((await presenter.get('/sms')).status).toBe(200);
    await pressBreak(presenter, 'break-signature');
    const lab = await presenter.get('/how-it-works?notice=break-signature');
    expect(textOf(elementOf(lab.text, '.notice'))).toContain('Armed for presenter-lab');
    // The banner names what is on, on every page.
    expect(lab.text).toContain('The next signed call is refused: its signature will not match (signature_invalid)');

    const refused = await send(presenter);
    expect(refused.status).toBe(303);
    const page = await presenter.get(refused.headers.location as string);
    expect(textOf(elementOf(page.text, 'h1'))).toBe('Not sent: signature not accepted');
    expect(page.text).toContain('Nexmo did not accept the app’s signature on the request, so it could not tell the message came from your account.');
    // A teammate on another account is not touched.
    const theirs = await send(teammate);
    await delivered(teammate, theirs.headers.location as string);

    const after = await send(presenter);
    await delivered(presenter, after.headers.location as string);
    expect((await app.sandbox!.outbox()).map((sms) => sms.account).filter((account) => account.endsWith('-lab')).sort()).toEqual(['presenter-lab', 'teammate-lab']);
    expect(await app.sandbox!.switchesFor('presenter-lab')).toEqual([]);
  });

  it('"Replay its nonce": the next balance read (the SMS form) explains the replay, then the form works and sends', async () => {
    const presenter = await connect(app, { account: 'nonce-lab' });
    await pressBreak(presenter, 'break-nonce');
    const balanceCallsBefore = app.sandbox!.stats().balanceCalls;

    const refused = await presenter.get('/sms');
    expect(refused.status).toBe(502);
    expect(textOf(elementOf(refused.text, 'h1'))).toBe('Nexmo took this request for a replay');
    expect(refused.text).toContain('The one-time value (nonce) of the request had been used before, so Nexmo refused it as a possible replay.');
    expect(app.sandbox!.stats().balanceCalls).toBe(balanceCallsBefore + 1);

    const form = await presenter.get('/sms');
    expect(form.status).toBe(200);
    expect(textOf(elementOf(form.text, 'h1'))).toBe('Send an SMS');
    const sent = await send(presenter);
    await delivered(presenter, sent.headers.location as string);
  });

  it('"Revoke its token": the next call disconnects the person and asks them to connect again, which works', async () => {
    const presenter = await connect(app, { account: 'token-lab' });
    expect((await presenter.get('/sms')).status).toBe(200);
    await pressBreak(presenter, 'break-token');

    const refused = await send(presenter);
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe('/?notice=token-revoked&return=%2Fsms');
    const home = await presenter.get('/?notice=token-revoked&return=%2Fsms');
    expect(textOf(elementOf(home.text, '.notice'))).toContain('Nexmo no longer accepts this connection');
    expect(home.text).toContain('Connect with Nexmo');
    expect((await presenter.get('/sms')).headers.location).toMatch(/^\/\?notice=connect-first/);

    await connect(app, { browser: presenter, account: 'token-lab' });
    const sent = await send(presenter);
    await delivered(presenter, sent.headers.location as string);
  });

  it('"Cancel" disarms a break pressed by mistake: the next send goes through', async () => {
    const presenter = await connect(app, { account: 'cancel-lab' });
    await pressBreak(presenter, 'break-signature');
    expect(await app.sandbox!.switchesFor('cancel-lab')).toHaveLength(1);
    const csrf = csrfFrom((await presenter.get('/')).text);
    const res = await presenter.post('/how-it-works/break').type('form').send({ _csrf: csrf, action: 'cancel-break' });
    expect(res.headers.location).toBe('/how-it-works?notice=break-cancelled#break');
    expect(await app.sandbox!.switchesFor('cancel-lab')).toEqual([]);
    const sent = await send(presenter);
    await delivered(presenter, sent.headers.location as string);
  });
});
