// The live view of OAuth 1.0a: the connection's own timeline, every step present, tokens masked,
// secrets and signatures never shown (in the page or the log).
import { afterEach, describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { connect, csrfFrom, startTestApp, type TestApp } from '../helpers/testApp.js';

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
    const sent = await browser.post('/sms').type('form').send({ _csrf: csrfFrom(form.text), from: 'Demo', to: '447700900000', text: 'Shown in the timeline' });
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
    expect(text).toContain('Authorization header');
    expect(text).toMatch(/oauth_signature=(&#34;|&quot;)\[not shown\](&#34;|&quot;)/);

    const { token, secret } = await storedConnection(app);
    // The access token appears only masked: its first characters and its length.
    expect(text).toContain(`${token.slice(0, 4)}… (${token.length} characters)`);
    expectNoSecretIn(page, token, secret, app.provider.consumerSecret);
    // Nothing of the timeline reaches the log.
    expectNoSecretIn(app.logs, token, secret, app.provider.consumerSecret);
    expect(app.logs.join('\n')).not.toContain('oauth_signature');
  });

  it('is only for connected visitors', async () => {
    app = await startTestApp();
    const res = await app.browser().get('/how-it-works');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?notice=connect-first');
  });

  it('keeps the login’s steps and only the last 20 signed calls', async () => {
    // The form asks for the balance at most once a minute: each load here is a minute later. The
    // sandbox checks the signatures' timestamps, which the consumer takes from the real clock.
    let at = Date.now();
    app = await startTestApp({}, { now: () => at, sandbox: { now: Date.now } });
    const browser = await connect(app);
    for (let i = 0; i < 23; i++) {
      expect((await browser.get('/sms')).status).toBe(200);
      at += 60_000;
    }
    const page = await browser.get('/how-it-works');
    expect(page.text.match(/<h2[^>]*>.*Signed call: account balance<\/h2>/g)).toHaveLength(20);
    expect(page.text).toContain('Back with a verifier');
  });
});
