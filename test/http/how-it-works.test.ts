// The live view of OAuth 1.0a: the connection's own timeline, every step present, tokens masked,
// secrets and signatures never shown (in the page or the log).
import { afterEach, describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { connect, csrfFrom, smsFormTokens, startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function storedConnection(app: TestApp): Promise<{ token: string; secret: string }> {
  const all = await new Promise<Record<string, { connection?: { token: string; secret: string } }>>((resolve, reject) =>
    app.stores.sessions.all!((err, sessions) => (err ? reject(err) : resolve((sessions ?? {}) as Record<string, { connection?: { token: string; secret: string } }>))),
  );
  return Object.values(all).find((s) => s.connection)!.connection!;
}

describe('the "How it works" page', () => {
  it('shows the whole dance and each signed call, built from what was really sent, with no secret', async () => {
    app = await startTestApp();
    const browser = await connect(app);
    const form = await browser.get('/sms');
    const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'Shown in the timeline' });
    expect(sent.status).toBe(303);

    const page = await browser.get('/how-it-works');
    expect(page.status).toBe(200);
    const text = page.text;
    for (const title of ['Request token', 'To Nexmo’s consent page', 'Back with a verifier', 'Access token', 'Signed call: account balance', 'Signed call: send an SMS']) {
      expect(text).toContain(title);
    }
    expect(text).toContain('oauth_callback_confirmed');
    expect(text).toContain('the verifier ties your approval to this request token'.replace('the verifier', 'The verifier'));
    // The base strings: method, the encoded URL, the encoded parameters.
    expect(text).toMatch(/POST&amp;http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsandbox%2Foauth%2Frequest_token&amp;oauth_callback/);
    expect(text).toMatch(/POST&amp;http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsandbox%2Fsms%2Fjson&amp;/);
    // The raw request as sent: its request line and its Authorization header, the signature hidden.
    expect(text).toMatch(/POST \/sandbox\/sms\/json HTTP\/1\.1\r\nAuthorization: OAuth oauth_consumer_key=/);
    expect(text).toMatch(/oauth_signature=(&#34;|&quot;)\[hidden\](&#34;|&quot;)/);
    expect(text).not.toMatch(/oauth_signature=(&#34;|&quot;)[A-Za-z0-9%+/=]{20,}/);
    // The provider's reply, status line first.
    expect(text).toMatch(/aria-label="The raw reply of Signed call: send an SMS">HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('Signing key');

    const { token, secret } = await storedConnection(app);
    // The access token appears only masked: its first characters and its length.
    expect(text).toContain(`${token.slice(0, 4)}… (${token.length} characters)`);
    expectNoSecretIn(page, token, secret, app.provider.consumerSecret);
    // Nothing of the timeline reaches the log.
    expectNoSecretIn(app.logs, token, secret, app.provider.consumerSecret);
    expect(app.logs.join('\n')).not.toContain('oauth_signature');
  });

  it('explains the three legs before connecting, with the button that starts them, and asks the provider nothing', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/how-it-works');
    expect(res.status).toBe(200);
    expect(res.text).toContain('How connecting with OAuth 1.0a works');
    for (const leg of ['Leg 1</span> Request token', 'Leg 2</span> Approval', 'Leg 3</span> Access token', 'Leg 4</span> Signed calls']) expect(res.text).toContain(leg);
    expect(res.text).toContain('oauth_callback_confirmed=true');
    // Connecting from here comes back here.
    expect(res.text).toMatch(/<a class="button button-primary button-large" href="\/auth\/login\?return=%2Fhow-it-works">Connect with Nexmo<\/a>/);
    // A general explanation: no recorded step, and nothing was asked of the provider for it.
    expect(res.text).not.toContain('Signature base string');
    expect(res.text).not.toContain('No steps recorded');
    expect(app.sandbox!.stats()).toEqual({ requestTokenCalls: 0, accessTokenCalls: 0, smsCalls: 0, balanceCalls: 0 });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('shows every send, newest first, and the balance reads as one card saying how often', async () => {
    // The form asks for the balance at most once a minute: each load here is a minute later. The
    // sandbox checks the signatures' timestamps, which the consumer takes from the real clock.
    let at = Date.now();
    app = await startTestApp({}, { now: () => at, sandbox: { now: Date.now } });
    const browser = await connect(app);
    for (const text of ['First message', 'Second message']) {
      const form = await browser.get('/sms');
      const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text });
      expect(sent.status).toBe(303);
    }
    // Every form load reads the balance: far more reads than the timeline keeps.
    for (let i = 0; i < 30; i++) {
      at += 60_000;
      expect((await browser.get('/sms')).status).toBe(200);
    }

    const page = await browser.get('/how-it-works');
    expect(page.status).toBe(200);
    const titles = [...page.text.matchAll(/<h2 id="[^"]+-title"><span class="step-leg">Leg (\d)<\/span> ([^<]+)<\/h2>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(titles).toEqual([
      '1 Request token',
      '2 To Nexmo’s consent page',
      '2 Back with a verifier',
      '3 Access token',
      '4 Signed call: send an SMS (2 of 2)',
      '4 Signed call: send an SMS (1 of 2)',
      '4 Signed call: account balance',
    ]);
    // Both sends stayed, however many balance reads came after them.
    const sendCards = page.text.split('<section class="card call').filter((card) => card.includes('send an SMS ('));
    expect(sendCards[0]).toMatch(/text%3DSecond%2520message/);
    expect(sendCards[1]).toMatch(/text%3DFirst%2520message/);
    expect(page.text).toMatch(/Account balance read at least 20 times, last at [^<]+<\/strong>\. The details below are of the latest\./);
  });

  it('keeps the login’s steps and counts a few balance reads exactly', async () => {
    let at = Date.now();
    app = await startTestApp({}, { now: () => at, sandbox: { now: Date.now } });
    const browser = await connect(app);
    for (let i = 0; i < 3; i++) {
      expect((await browser.get('/sms')).status).toBe(200);
      at += 60_000;
    }
    const page = await browser.get('/how-it-works');
    expect(page.text.match(/<h2[^>]*>.*Signed call: account balance<\/h2>/g)).toHaveLength(1);
    expect(page.text).toMatch(/Account balance read 3 times, last at /);
    expect(page.text).toContain('Back with a verifier');
  });
});
