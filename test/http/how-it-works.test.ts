// The live view of OAuth 1.0a, end to end: the connection's own timeline built from what the
// real consumer signed and sent to the real sandbox, every step present, tokens masked, secrets
// and signatures never shown (in the page or the log). The page before connecting, and how the
// timeline keeps sends and balance reads: test/routes/how-it-works.
import { describe, expect, it } from 'vitest';

import { expectNoSecretIn } from '../helpers/assertions.js';
import { smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useTestApp, type TestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

async function storedConnection(app: TestApp): Promise<{ token: string; secret: string }> {
  const all = await new Promise<Record<string, { connection?: { token: string; secret: string } }>>((resolve, reject) =>
    app.stores.sessions.all!((err, sessions) => (err ? reject(err) : resolve((sessions ?? {}) as Record<string, { connection?: { token: string; secret: string } }>))),
  );
  return Object.values(all).find((s) => s.connection)!.connection!;
}

describe('the "How it works" page', () => {
  it('shows the whole dance and each signed call, built from what was really sent, with no secret', async () => {
    const app = await startTestApp();
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
});
