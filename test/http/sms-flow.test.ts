import { afterEach, describe, expect, it } from 'vitest';

import { countSegments } from '../../src/nexmo/segments.js';
import { expectNoSmsSent, expectProviderCalls } from '../helpers/assertions.js';
import { elementOf, fieldValue, pageOf, textOf } from '../helpers/html.js';
import { sendSms } from '../helpers/smsForm.js';
import { connect, csrfFrom, smsFormTokens, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

type Browser = Awaited<ReturnType<typeof connect>>;

/** The form posted with exactly `fields` (no defaults filled in). */
const sendForm = (browser: Browser, fields: Record<string, string>) => sendSms(browser, { from: undefined, to: undefined, text: undefined, ...fields });

const TRICKY = 'Héllo !*\'()&=+ "quoted" \'single\'\nnew line 🎉 and 50% off; a=b&c=d — done';

describe('the SMS form', () => {
  it('sends disconnected visitors to the start page, for the form and for a post', async () => {
    app = await startTestApp();
    const browser = app.browser();
    const form = await browser.get('/sms');
    expect(form.status).toBe(303);
    // Connecting again comes back to the form, for the page asked for and for the form posted.
    expect(form.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    const post = await browser.post('/sms').type('form').send({ from: 'Demo', to: '447700900000', text: 'hi' });
    expect(post.status).toBe(303);
    expect(post.headers.location).toBe('/?notice=connect-first&return=%2Fsms');
    expect((await browser.get('/?notice=connect-first')).text).toContain('Connect with Nexmo first');
    await expectNoSmsSent(app.sandbox!);
  });

  it('shows labelled fields, the balance, the counter rendered by the server and the counter script', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const res = await browser.get('/sms');
    expect(res.status).toBe(200);
    expect(pageOf(res.text).querySelectorAll('label').map((l) => l.getAttribute('for'))).toEqual(expect.arrayContaining(['from', 'to', 'text']));
    expect(res.text).toContain('Balance: <strong>€10.00</strong>');
    expect(res.text).toContain('0 characters · the message is empty');
    expect(res.text).toContain('<script type="module" src="/js/app/browser/sms-counter.js"></script>');
    // A plain form post without scripts; with them, the button says "Sending…" once pressed.
    expect(res.text).toMatch(/<form method="post" action="\/sms" novalidate data-once [^>]*>/);
    expect(res.text).toContain('<button type="submit" class="button button-primary" data-busy-label="Sending…">Send SMS</button>');
    expect(res.text).toContain('<script type="module" src="/js/app/browser/busy-submit.js"></script>');
    const script = await browser.get('/js/app/browser/busy-submit.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
    expectProviderCalls(app.sandbox!, 'balance', 1);
  });
});

describe('sending an SMS through the sandbox', () => {
  it('delivers a multi-part unicode message byte for byte and shows every part with its price', async () => {
    app = await startTestApp({}, { sandbox: { receiptDelayMs: 60_000 } });
    const browser = await connect(app);
    const text = `${TRICKY} ${'ü'.repeat(70)}`;
    const res = await sendForm(browser, { from: 'DemoApp', to: '+44 7700-900000', text });
    expect(res.status).toBe(303);
    const resultUrl = res.headers.location as string;
    expect(resultUrl).toMatch(/^\/messages\/[A-Za-z0-9_-]{22}$/);

    const outbox = await app.sandbox!.outbox();
    expect(outbox).toHaveLength(1);
    const [delivered] = outbox;
    expect(delivered!.text).toBe(text);
    expect(delivered!.to).toBe('447700900000');
    expect(delivered!.from).toBe('DemoApp');
    expect(delivered!.type).toBe('unicode');
    const parts = countSegments(text).parts;
    expect(parts).toBeGreaterThan(1);
    expect(delivered!.parts).toBe(parts);

    const page = await browser.get(resultUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Nexmo accepted your message in ${parts} parts`);
    for (const id of delivered!.messageIds) expect(page.text).toContain(id);
    expect(page.text).toMatch(new RegExp(`Total price</dt><dd>€${(0.0333 * parts).toFixed(4).replace('.', '\\.')}0*<`));
    // A balance is written to the cent, whatever places Nexmo gave it.
    expect(page.text).toContain(`Remaining balance</dt><dd>€${(10 - 0.0333 * parts).toFixed(2)}<`);
    expect(page.text).toContain('Waiting for receipt');
  });

  it('never sends twice when the result page is refreshed', async () => {
    app = await startTestApp({}, { sandbox: { receiptDelayMs: 60_000 } });
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'DemoApp', to: '447700900000', text: 'Once only' });
    expect(res.status).toBe(303);
    expectProviderCalls(app.sandbox!, 'sms', 1);
    for (let i = 0; i < 3; i++) expect((await browser.get(res.headers.location as string)).status).toBe(200);
    expectProviderCalls(app.sandbox!, 'sms', 1);
    expect(await app.sandbox!.outbox()).toHaveLength(1);
  });

  it('keeps results private to the connection that sent them', async () => {
    app = await startTestApp({}, { sandbox: { receiptDelayMs: 60_000 } });
    const alice = await connect(app);
    const res = await sendForm(alice, { from: 'DemoApp', to: '447700900000', text: 'For Alice only' });
    // Another person on the same demo signs in to another sandbox account.
    const bob = await connect(app, app.browser(), 'bob');
    const peek = await bob.get(res.headers.location as string);
    expect(peek.status).toBe(404);
    expect(peek.text).not.toContain('For Alice only');
    expect((await bob.get('/messages/not-an-id')).status).toBe(404);
  });

  it('shows the delivery receipt once the network reports it', async () => {
    app = await startTestApp({}, { sandbox: { receiptDelayMs: 10 } });
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'DemoApp', to: '447700900000', text: 'Receipt please' });
    const url = `${res.headers.location as string}/status.json`;
    await expect.poll(async () => (await browser.get(url)).body.complete, { timeout: 5000 }).toBe(true);
    const receipts = (await browser.get(url)).body as { parts: Array<{ receipt: { title: string; status: string } }> };
    expect(receipts.parts[0]!.receipt.status).toBe('delivered');
    expect((await browser.get(res.headers.location as string)).text).toContain('Delivered');
  });

  it('shows a failed receipt in plain language', async () => {
    app = await startTestApp({}, { sandbox: { receiptDelayMs: 10 } });
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'DemoApp', to: '447700900999', text: 'Nobody home' });
    const url = `${res.headers.location as string}/status.json`;
    await expect.poll(async () => (await browser.get(url)).body.complete, { timeout: 5000 }).toBe(true);
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('Not delivered');
    expect(page.text).toContain('Phone unreachable for now');
  });
});

describe('bad input is refused before anything is sent', () => {
  it('refuses a post without the form token, or with a wrong one, with 403', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    for (const token of [undefined, 'forged-token']) {
      const res = await browser.post('/sms').type('form').send({ ...(token ? { _csrf: token } : {}), from: 'Demo', to: '447700900000', text: 'hi' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('nothing was done');
    }
    await expectNoSmsSent(app.sandbox!);
  });

  it('shows each field error next to its field and keeps what the user typed', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'Far Too Long A Sender', to: '+44 (abc) 123', text: '  ' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Nothing was sent');
    for (const field of ['from', 'to', 'text']) {
      expect(textOf(elementOf(res.text, `#${field}-error`)), `the ${field} error`).not.toBe('');
      expect(elementOf(res.text, `#${field}`).getAttribute('aria-invalid'), `#${field} is marked invalid`).toBe('true');
    }
    expect(fieldValue(res.text, 'from')).toBe('Far Too Long A Sender');
    expect(fieldValue(res.text, 'to')).toBe('+44 (abc) 123');
    await expectNoSmsSent(app.sandbox!);
  });

  it('refuses a message over 3200 characters and keeps the text', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'x'.repeat(3201) });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="text-error"/);
    expect(res.text).toContain('x'.repeat(3201));
    await expectNoSmsSent(app.sandbox!);
  });

  it('answers 3201 emoji with a field error, not a refusal to read the form', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: '🎉'.repeat(3201) });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="text-error"/);
    await expectNoSmsSent(app.sandbox!);
  });

  it('answers a body far too large to be a form with 413 and a page, sending nothing', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('That request could not be read');
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    await expectNoSmsSent(app.sandbox!);
  });

  it('treats repeated fields as invalid rather than guessing', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const form = await browser.get('/sms');
    const body = `_csrf=${encodeURIComponent(csrfFrom(form.text))}&sendKey=${encodeURIComponent(smsFormTokens(form.text).sendKey)}&from=Demo&to=447700900000&to=447700900001&text=hi`;
    const res = await browser.post('/sms').type('form').send(body);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="to-error"/);
    await expectNoSmsSent(app.sandbox!);
  });
});

describe('what the sandbox refuses is explained', () => {
  it('says there is not enough credit and sends nothing when the balance runs out', async () => {
    app = await startTestApp({}, { sandbox: { startingBalance: 0.05, receiptDelayMs: 60_000 } });
    const browser = await connect(app);
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'y'.repeat(200) });
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('Not sent');
    expect(page.text).toMatch(/credit/i);
    expect(await app.sandbox!.outbox()).toHaveLength(0);
  });

  it('asks the user to wait and retry when sending too fast', async () => {
    const frozen = Date.now();
    app = await startTestApp({}, { now: () => frozen, sandbox: { maxRequestsPerSecond: 1, receiptDelayMs: 60_000 } });
    const browser = await connect(app);
    await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'first' });
    const res = await sendForm(browser, { from: 'Demo', to: '447700900000', text: 'second' });
    const page = await browser.get(res.headers.location as string);
    expect(page.text).toContain('Not sent: too many messages at once');
    expect(page.text).toContain('Wait a few seconds');
    expect(page.text).toContain('Send this message again');
    // Like the form's, the button says "Sending…" once pressed (with the script; without it, it just posts).
    expect(page.text).toMatch(/<button type="submit" class="button button-secondary" data-busy-label="Sending…">Send this message again<\/button>/);
    expect(page.text).toContain('<script type="module" src="/js/app/browser/busy-submit.js"></script>');
    expect(await app.sandbox!.outbox()).toHaveLength(1);
  });
});
