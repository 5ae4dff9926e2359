// A message through the real sandbox: signed by the app, read by the sandbox's own code, and
// delivered byte for byte, every part priced. The form, bad input and what the provider's
// answers show: test/routes/sms-flow; receipts from the sandbox: test/http/carrier-timeline.
import { describe, expect, it } from 'vitest';

import { countSegments } from '../../src/nexmo/segments.js';
import { connect } from '../helpers/login.js';
import { sendSms } from '../helpers/smsForm.js';
import { useTestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

const TRICKY = 'Héllo !*\'()&=+ "quoted" \'single\'\nnew line 🎉 and 50% off; a=b&c=d — done';

describe('sending an SMS through the sandbox', () => {
  it('delivers a multi-part unicode message byte for byte and shows every part with its price', async () => {
    const app = await startTestApp({}, { sandbox: { receiptDelayMs: 60_000 } });
    const browser = await connect(app);
    const text = `${TRICKY} ${'ü'.repeat(70)}`;
    const res = await sendSms(browser, { from: 'DemoApp', to: '+44 7700-900000', text });
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
});
