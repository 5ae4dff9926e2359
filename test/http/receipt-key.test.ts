// The delivery-receipt URL's last segment is a secret: whoever knows it can post receipts for
// anyone's messages. A connected user sees the send's signed call on "How it works" (its base
// string carries the callback URL, encoded twice), so every page they can reach is searched for
// the key in every form it could take there.
import { CONTROLS_PATH, OUTBOX_PATH } from '@nexmo-oauth/sandbox';
import { describe, expect, it } from 'vitest';

import { percentEncode } from '../../src/lib/percentEncoding.js';
import { SANDBOX_MOUNT } from '../../src/routes/paths.js';
import { HIDDEN } from '../../src/logging/redaction.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { expectNoSecretIn } from '../helpers/assertions.js';
import { smsFormTokens } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { useTestApp } from '../helpers/testApp.js';

const RECEIPT_KEY = 'receipt-key-under-test_0123456789';

const startTestApp = useTestApp();

/** The key as it could appear on a page: raw, percent-encoded once or twice, in base64, and inside its URL. */
function formsOfTheKey(receiptUrl: string): string[] {
  const tail = `${RECEIPT_PATH}/${RECEIPT_KEY}`;
  return [
    RECEIPT_KEY,
    Buffer.from(RECEIPT_KEY).toString('base64'),
    Buffer.from(RECEIPT_KEY).toString('base64url'),
    receiptUrl,
    percentEncode(receiptUrl),
    percentEncode(percentEncode(receiptUrl)),
    percentEncode(tail),
    percentEncode(percentEncode(tail)),
  ];
}

describe('the delivery-receipt key', () => {
  it('appears on no page a connected user can reach after a send, while the timeline still shows the callback masked', async () => {
    const app = await startTestApp({ RECEIPT_KEY }, { sandbox: { receiptDelayMs: 20 } });
    const receiptUrl = `${app.url}${RECEIPT_PATH}/${RECEIPT_KEY}`;
    const browser = await connect(app);
    const form = await browser.get('/sms');
    const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'Receipt, please' });
    expect(sent.status).toBe(303);
    const messagePath = sent.headers.location as string;
    // The sandbox did get the callback, and the receipt came back through it.
    await expect.poll(async () => (await browser.get(`${messagePath}/status.json`)).text).toContain('delivered');

    // The sandbox's outbox and controls open on the account approved when connecting.
    const pages = ['/', '/sms', '/messages', messagePath, `${messagePath}/status.json`, '/how-it-works', `${SANDBOX_MOUNT}${OUTBOX_PATH}`, `${SANDBOX_MOUNT}${CONTROLS_PATH}`];
    for (const path of pages) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(200);
      expectNoSecretIn(page, ...formsOfTheKey(receiptUrl));
    }

    // The send's base string still shows that a callback was signed, with the key replaced by
    // the placeholder every other secret gets.
    const timeline = await browser.get('/how-it-works');
    expect(timeline.text).toContain(`callback%3D${percentEncode(percentEncode(`${app.url}${RECEIPT_PATH}/`))}${HIDDEN}%26`);
    expectNoSecretIn(app.rawLogs, RECEIPT_KEY);
  });
});
