// What the app logs for each request: one access line, tied to its request by an id that the
// client and the error pages see too. The app with the fake provider; that no secret reaches
// the log through a whole flow with the real sandbox: test/http/logs.
import { describe, expect, it } from 'vitest';

import { ProviderHttpError } from '../../src/oauth/errors.js';
import { RECEIPT_PATH } from '../../src/routes/paths.js';
import { elementOf, smsFormTokens, textOf } from '../helpers/html.js';
import { connect } from '../helpers/login.js';
import { ROUTE_RECEIPT_KEY, useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id the page asks a person to quote. */
const quotedId = (html: string) => textOf(elementOf(html, 'code.request-id'));

describe('the logs', () => {
  it('gives every request an id of its own, never the one a client sends, on every line it logs', async () => {
    const route = createRouteApp();
    const first = await route.browser().get('/').set('X-Request-Id', 'chosen-by-the-client');
    const second = await route.browser().get('/');
    const ids = [first.headers['x-request-id'], second.headers['x-request-id']];
    expect(ids[0]).toMatch(UUID);
    expect(ids[1]).toMatch(UUID);
    expect(ids[0]).not.toBe(ids[1]);
    expect(route.rawLogs.join('\n')).not.toContain('chosen-by-the-client');

    // A receipt: the webhook's own line and the access line share the id.
    const receipt = await route.browser().get(`${RECEIPT_PATH}/${ROUTE_RECEIPT_KEY}`).query({ messageId: 'FFFFFFFFFFFFFFFF', msisdn: '447700900000', to: 'Demo', status: 'delivered', 'err-code': '0', 'message-timestamp': '2026-11-23 12:00:00' });
    expect(receipt.status).toBe(204);
    const id = receipt.headers['x-request-id'] as string;
    const lines = route.logEntries.filter((e) => e.requestId === id).map((e) => e.msg);
    expect(lines).toEqual([expect.stringMatching(/^delivery receipt: delivered/), `GET ${RECEIPT_PATH}/:key 204`]);
  });

  it('writes one line for a send, its access line, naming the message and what Nexmo answered', async () => {
    const route = createRouteApp({}, { sandbox: {} });
    const browser = await connect(route);
    const form = await browser.get('/sms');
    const sent = await browser.post('/sms').type('form').send({ ...smsFormTokens(form.text), from: 'Demo', to: '447700900000', text: 'One line' });
    expect(sent.status).toBe(303);
    const messageId = /^\/messages\/([A-Za-z0-9_-]{22})$/.exec(sent.headers.location as string)![1]!;
    const lines = route.logEntries.filter((e) => e.requestId === sent.headers['x-request-id']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', method: 'POST', path: '/sms', statusCode: 303, messageId, outcome: 'sent', msg: `POST /sms 303: sms ${messageId}: sent (1 parts)` });
    expect(route.nexmo.sends()).toHaveLength(1);
  });

  it('shows the request id on an error page and in a JSON error, the same as in X-Request-Id and in the log', async () => {
    const route = createRouteApp();
    const down = () => new ProviderHttpError('the provider answered 503', { status: 503, body: 'down for maintenance' });
    route.consumer.refuseNext('request_token', down());

    const page = await route.browser().get('/auth/login');
    expect(page.status).toBe(502);
    const id = page.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    expect(textOf(elementOf(page.text, 'main'))).toContain(`Quote this id if you report it: ${id}`);
    expect(quotedId(page.text)).toBe(id);
    const lines = route.logEntries.filter((e) => e.requestId === id);
    expect(lines.map((e) => e.msg)).toEqual([expect.stringMatching(/^provider failure during request token: ProviderHttpError status=503/), 'GET /auth/login 502']);
    expect(lines[1]).toMatchObject({ level: 'error', method: 'GET', path: '/auth/login', statusCode: 502 });

    route.consumer.refuseNext('request_token', down());
    const json = await route.browser().get('/auth/login').set('Accept', 'application/json');
    expect(json.status).toBe(502);
    expect(json.body.error.requestId).toBe(json.headers['x-request-id']);
    expect(json.body.error.requestId).not.toBe(id);
    expect(route.logEntries.some((e) => e.requestId === json.body.error.requestId && e.statusCode === 502)).toBe(true);

    // Every error page has it, a 404 too.
    const missing = await route.browser().get('/nowhere');
    expect(missing.status).toBe(404);
    expect(quotedId(missing.text)).toBe(missing.headers['x-request-id']);
    expect(route.consumer.tokenCalls.map((call) => call.kind)).toEqual(['request_token', 'request_token']);
  });
});
