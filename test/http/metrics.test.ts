// /metrics end to end, against the sandbox: after a login, a send, a repeat, a limit and a
// receipt, each series says so, and nothing in them names an account, a number, a text or a
// secret. METRICS=off leaves nothing there.
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { sendSms } from '../helpers/smsForm.js';
import { connect } from '../helpers/login.js';
import { NO_LIMITS, useTestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

/** The value of one series in the exposition (its name and labels exactly), or undefined. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const RECEIPT_KEY = 'metrics-spec-receipt-key-0123456789';

describe('/metrics', () => {
  it('counts logins, sends by outcome, repeats, limit refusals, receipts, provider calls and store operations', async () => {
    const app = await startTestApp({ ...NO_LIMITS, LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: '1', RECEIPT_KEY }, { sandbox: { receiptDelayMs: 600_000 } });
    const browser = await connect(app);
    const sent = await sendSms(browser, { to: '447700900123', text: 'Counted once' });
    expect(sent.status).toBe(303);
    // The same text again from a new form: held as a repeat. Another text: over the limit of one a minute.
    expect((await sendSms(browser, { to: '447700900123', text: 'Counted once' })).headers.location).toMatch(/^\/sms\?again=/);
    expect((await sendSms(browser, { to: '447700900123', text: 'Over the limit' })).status).toBe(429);
    const messageId = (await app.sandbox!.outbox())[0]!.messageIds[0]!;
    const receipt = await supertest(app.url).get(`${RECEIPT_PATH}/${RECEIPT_KEY}`).query({ messageId, status: 'delivered', 'err-code': '0', msisdn: '447700900123', to: 'Demo', scts: '2601011200', 'message-timestamp': '2026-01-01 12:00:00' });
    expect(receipt.status).toBe(204);

    const res = await supertest(app.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(valueOf(text, 'nexmo_logins_total{outcome="connected"}')).toBe(1);
    expect(valueOf(text, 'nexmo_sms_sends_total{outcome="sent"}')).toBe(1);
    expect(valueOf(text, 'nexmo_sms_sends_total{outcome="repeat"}')).toBe(1);
    expect(valueOf(text, 'nexmo_sms_sends_total{outcome="limited"}')).toBe(1);
    expect(valueOf(text, 'nexmo_limit_refusals_total{limit="sends-per-account"}')).toBe(1);
    expect(valueOf(text, 'nexmo_delivery_receipts_total{status="delivered"}')).toBe(1);
    for (const endpoint of ['request_token', 'access_token', 'sms', 'balance']) {
      expect(valueOf(text, `nexmo_provider_call_duration_seconds_count{endpoint="${endpoint}",status="200"}`), endpoint).toBeGreaterThanOrEqual(1);
    }
    expect(valueOf(text, 'nexmo_store_operation_duration_seconds_count{operation="messages.reserve",result="ok"}')).toBe(3);
    expect(valueOf(text, 'nexmo_store_operation_duration_seconds_count{operation="messages.complete",result="ok"}')).toBe(1);
    expect(valueOf(text, 'nexmo_store_operation_duration_seconds_count{operation="sessions.get",result="ok"}')).toBeGreaterThan(3);
    // The process's own figures, as prom-client gathers them.
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    // Labels are fixed sets: no account, number, text, key or token.
    for (const never of ['447700900123', 'Counted once', RECEIPT_KEY, app.provider.consumerSecret, messageId]) expect(text).not.toContain(never);
  });

  // Closed to a request a proxy forwarded, trusted or not: test/unit/metrics-endpoint.test.ts.
  it('is absent with METRICS=off', async () => {
    const app = await startTestApp({ METRICS: 'off' });
    const res = await supertest(app.url).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('nexmo_');
  });
});
